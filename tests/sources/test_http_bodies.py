"""HttpClient's public extension points: request bodies and the platform error-body hook."""

from __future__ import annotations

import json

import pytest
from support.http_server import Reply, TestHTTPServer

from sources._http import HttpClient, HttpOptions, HttpResponse
from sources.errors import AuthError, NotFound, RateLimited, SourceError, TransientError


def test_json_body_is_sent_with_its_content_type(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/session", Reply.json({"ok": True}), method="POST")
    with HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http) as client:
        response = client.request(
            "POST", http_server.url_for("/session"), json={"identifier": "Айгерим", "n": 1}
        )
    assert response.json() == {"ok": True}
    [request] = http_server.requests_to("/session")
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {"identifier": "Айгерим", "n": 1}


def test_raw_content_keeps_the_callers_content_type(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/upload", Reply(body=b"stored"), method="PUT")
    with HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http) as client:
        client.request(
            "PUT",
            http_server.url_for("/upload"),
            content=b"a=1&b=2",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    [request] = http_server.requests_to("/upload")
    assert request.body == b"a=1&b=2"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"


def test_json_and_content_together_are_refused(fast_http: HttpOptions) -> None:
    client = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http)
    with pytest.raises(ValueError, match="not both"):
        client.request("POST", "http://127.0.0.1:9/x", json={}, content=b"{}")


def test_body_is_resent_on_a_retry_and_a_307_but_dropped_on_a_303(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/flaky", [Reply(status=502), Reply(status=307, headers={"Location": "/b"})])
    http_server.route("/b", Reply(status=303, headers={"Location": "/done"}))
    http_server.route("/done", Reply(body=b"ok"))
    with HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http) as client:
        client.request("POST", http_server.url_for("/flaky"), json={"x": 1})
    assert [r.body for r in http_server.requests_to("/flaky")] == [b'{"x": 1}'] * 2
    [kept] = http_server.requests_to("/b")
    assert (kept.method, kept.body) == ("POST", b'{"x": 1}')
    [after_303] = http_server.requests_to("/done")
    assert (after_303.method, after_303.body) == ("GET", b"")
    assert "content-type" not in after_303.headers


def _reason(response: HttpResponse) -> str | None:
    try:
        return str(json.loads(response.content)["reason"])
    except (ValueError, KeyError, TypeError):
        return None


def classify(response: HttpResponse) -> SourceError | None:
    """A platform that explains failures in its body, like Google or XRPC servers do."""
    reason = _reason(response)
    if reason == "quota":
        return RateLimited("quota spent", retry_after=3600.0)
    if reason == "busy":
        return TransientError("server busy")
    if reason == "gone":
        return NotFound("item gone")
    return None


def test_the_hook_names_the_error_a_body_means(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/gone", Reply.json({"reason": "gone"}, status=403))
    client = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http, classify_error=classify)
    with client, pytest.raises(NotFound, match="item gone"):
        client.get(http_server.url_for("/gone"))


def test_the_hook_falls_back_to_the_status(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/denied", Reply.json({"reason": "something else"}, status=403))
    client = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http, classify_error=classify)
    with client, pytest.raises(AuthError):
        client.get(http_server.url_for("/denied"))


def test_a_transient_error_from_the_hook_is_retried(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    http_server.route("/busy", [Reply.json({"reason": "busy"}, status=400), Reply(body=b"ok")])
    client = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http, classify_error=classify)
    with client:
        assert client.get(http_server.url_for("/busy")).content == b"ok"
    assert sleeps == [0.5]


def test_a_rate_limit_from_the_hook_blocks_the_host_for_every_client(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/quota", Reply.json({"reason": "quota"}, status=403))
    http_server.route("/other", Reply(body=b"ok"))
    client = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http, classify_error=classify)
    with client, pytest.raises(RateLimited) as caught:
        client.get(http_server.url_for("/quota"))
    assert caught.value.retry_after == 3600.0
    assert len(http_server.requests_to("/quota")) == 1  # an hour is the scheduler's wait
    other = HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http)
    with other, pytest.raises(RateLimited):
        other.get(http_server.url_for("/other"))
    assert http_server.requests_to("/other") == []  # the shared limiter held the host back


def test_successful_responses_never_reach_the_hook(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    seen: list[int] = []

    def record(response: HttpResponse) -> SourceError | None:
        seen.append(response.status_code)
        return None

    http_server.route("/ok", Reply.json({"reason": "gone"}))
    with HttpClient(allowed_hosts=["127.0.0.1"], options=fast_http, classify_error=record) as c:
        c.get(http_server.url_for("/ok"))
    assert seen == []
