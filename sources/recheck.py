"""Asking a platform whether posts collected earlier are still there.

A post that harassed a defender is often deleted once people notice; the copy Kalkan keeps
is then the evidence. `Source.recheck` looks collected posts up again by id and reports
which are gone (deleted, or no longer public: the platforms do not tell the two apart),
which are still there, and which it could not check. Nothing here decides what to do
about it: the monitor marks the post and keeps its text.

Only platforms with a cheap lookup by id support it. A feed that rolls over (RSS, a
hashtag page) cannot: a post missing from it is old, not deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sources.errors import SourceError

Verdicts = Mapping[str, bool]
"""One batch's answer: external id -> still there (True) or gone (False); absent: unknown."""


@dataclass(frozen=True, slots=True)
class RecheckResult:
    """What one recheck learned. Ids in neither set were not checked: try them again later.

    `error` is the failure that stopped the recheck early (a `RateLimited` carries its wait);
    what was learned before it is still reported.
    """

    gone: frozenset[str] = frozenset()
    present: frozenset[str] = frozenset()
    error: SourceError | None = None

    def combined(self, other: RecheckResult) -> RecheckResult:
        """Both results as one (a source that looks up two kinds of item in turn)."""
        return RecheckResult(
            self.gone | other.gone, self.present | other.present, self.error or other.error
        )

    def unchecked(self, asked: Iterable[str]) -> list[str]:
        """The asked ids this recheck could not decide, in the order asked."""
        return [i for i in asked if i not in self.gone and i not in self.present]


def in_batches(
    external_ids: Sequence[str], *, size: int, check: Callable[[list[str]], Verdicts]
) -> RecheckResult:
    """Run `check` over batches of at most `size` ids; stop at the first SourceError.

    The platform's limits are the HTTP client's business (host limiter, Retry-After); this
    only makes sure a throttled or failing platform ends the recheck instead of being asked
    again for every remaining batch.
    """
    gone: set[str] = set()
    present: set[str] = set()
    error: SourceError | None = None
    for batch in _chunks(list(dict.fromkeys(external_ids)), size):
        try:
            verdicts = check(batch)
        except SourceError as exc:
            error = exc
            break
        for external_id in batch:
            if external_id in verdicts:
                (present if verdicts[external_id] else gone).add(external_id)
    return RecheckResult(frozenset(gone), frozenset(present), error)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
