"""Collectors: one package per platform, each turning its wire format into `Post` records.

Sources know paging, rate limits and platform health. They never touch the database and
know nothing about defenders; `monitor` decides what to store and what to match.

Using a source (what `monitor` does)::

    from sources.registry import build_source
    source = build_source({"name": "news", "platform": "rss", "url": "https://…/feed.xml"})
    with source:
        result = source.fetch(saved_cursor)  # posts oldest first, cursor, not_modified

Failures raise `sources.errors` (see its docstring); only `TransientError`/`RateLimited` are
worth retrying, after `RateLimited.retry_after` seconds when given.

Adding a platform `foo`: `sources/foo/` with `client.py` (requests through
`sources._http.HttpClient`, which confines hosts, maps statuses and honours rate limits;
pass `reset_after=` for the platform's own reset header), `payloads.py` (exactly one
function turning a raw item into a `Post`) and `source.py` (a `SourceOptions` subclass for
its options and a `Source` subclass with `from_options(options, http_options)`); then one
entry in `sources.registry.PLATFORMS`. Tests replay recorded responses through
`tests/support/http_server.py`.
"""
