"""Which collected Telegram messages were deleted, read from holes in the id sequence.

Telegram numbers a channel's messages 1, 2, 3, ... and never reuses a number: deleting a
message leaves a hole. The preview page `?before=N` lists the newest messages below N,
service messages included, so an id between the page's lowest id and N that the page does
not list was deleted. One page answers for every collected id in its range: a batch of
nearby posts costs one request, and at most `max_pages` pages are read per recheck.

The single-post embed (`t.me/<channel>/<id>?embed=1`, reported to say "Post not found"
once deleted) would answer too, but no recording of it exists to build on; the range rule
reads only the channel pages the collector already parses and is tested against.
"""

from __future__ import annotations

from collections.abc import Sequence

from sources.errors import MalformedResponse, RateLimited, SourceError
from sources.recheck import RecheckResult
from sources.telegram.client import THROTTLE_RETRY_SECONDS, PreviewClient
from sources.telegram.payloads import Page, parse_page


def recheck_messages(
    client: PreviewClient, external_ids: Sequence[str], *, source: str, max_pages: int
) -> RecheckResult:
    """Walk the channel back from the newest asked id; each page settles the ids it spans."""
    wanted = _message_numbers(external_ids, client.channel)
    pending = sorted(wanted, reverse=True)
    gone: set[str] = set()
    present: set[str] = set()
    error: SourceError | None = None
    for _ in range(max_pages):
        if not pending:
            break
        before = pending[0] + 1
        try:
            page = _page(client, before, source)
        except SourceError as exc:
            error = exc
            break
        if page is None:
            break  # nothing listed below `before`: this page cannot tell
        lowest, listed = min(page.ids), set(page.ids)
        for number in pending:
            if lowest <= number < before:
                (present if number in listed else gone).add(wanted[number])
        pending = [number for number in pending if number < lowest]
    return RecheckResult(frozenset(gone), frozenset(present), error)


def _message_numbers(external_ids: Sequence[str], channel: str) -> dict[int, str]:
    """`<channel>/<id>` ids of this channel by message number; anything else stays unchecked."""
    numbers: dict[int, str] = {}
    for external_id in external_ids:
        name, _, number = external_id.partition("/")
        if name.lower() == channel.lower() and number.isdigit() and int(number) > 0:
            numbers[int(number)] = external_id
    return numbers


def _page(client: PreviewClient, before: int, source: str) -> Page | None:
    """The plain channel page below `before` (never a search: its holes mean nothing)."""
    page = parse_page(client.page(before=before), source=source, where="t.me preview")
    if not page.ids:
        if page.no_posts_found:
            raise RateLimited(
                "Telegram answered 'No posts found' (throttled); retry later",
                retry_after=THROTTLE_RETRY_SECONDS,
            )
        return None
    if max(page.ids) >= before:
        raise MalformedResponse("the Telegram preview ignored ?before=; holes cannot be read")
    return page
