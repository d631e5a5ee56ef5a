"""The shared HTTP client: error mapping, brief retries, redirects confined to configured hosts."""

from __future__ import annotations

import importlib.util
import socket
from dataclasses import replace

import httpx
import pytest
from support.http_server import Reply, TestHTTPServer

from sources._http import DEFAULT_USER_AGENT, HttpClient, HttpOptions
from sources.errors import (
    AuthError,
    ConfigError,
    MalformedResponse,
    NotFound,
    RateLimited,
    SourceError,
    TransientError,
)


def client_for(server: TestHTTPServer, options: HttpOptions, *hosts: str) -> HttpClient:
    return HttpClient(allowed_hosts=["127.0.0.1", *hosts], options=options)


def test_500_then_success_is_retried(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    http_server.route("/f", [Reply(status=500), Reply(status=502), Reply(body=b"ok")])
    with client_for(http_server, fast_http) as client:
        response = client.get(http_server.url_for("/f"))
    assert response.content == b"ok"
    assert len(http_server.requests_to("/f")) == 3
    assert sleeps == [0.5, 1.0]


def test_persistent_500_raises_transient_without_the_query(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/f", Reply(status=503))
    with client_for(http_server, fast_http) as client, pytest.raises(TransientError) as caught:
        client.get(http_server.url_for("/f"), params={"key": "SECRET-TOKEN"})
    assert not isinstance(caught.value, RateLimited)
    assert "503" in str(caught.value) and "SECRET" not in str(caught.value)
    assert len(http_server.requests_to("/f")) == 3


def test_429_with_long_retry_after_raises_at_once(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/f", Reply(status=429, headers={"Retry-After": "120"}))
    with client_for(http_server, fast_http) as client, pytest.raises(RateLimited) as caught:
        client.get(http_server.url_for("/f"))
    assert caught.value.retry_after == 120.0
    assert len(http_server.requests_to("/f")) == 1


def test_429_with_http_date_and_without_header(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route(
        "/date", Reply(status=429, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
    )
    http_server.route("/none", Reply(status=429))
    with client_for(http_server, fast_http) as client:
        with pytest.raises(RateLimited) as bare:
            client.get(http_server.url_for("/none"))
        with pytest.raises(RateLimited) as dated:
            client.get(http_server.url_for("/date"))
    assert dated.value.retry_after is not None and dated.value.retry_after > 86400
    assert bare.value.retry_after is None
    assert len(http_server.requests_to("/none")) == 1


def test_short_retry_after_is_honoured_inside_the_fetch(
    http_server: TestHTTPServer, fast_http: HttpOptions, sleeps: list[float]
) -> None:
    http_server.route("/f", [Reply(status=429, headers={"Retry-After": "1"}), Reply(body=b"ok")])
    with client_for(http_server, fast_http) as client:
        assert client.get(http_server.url_for("/f")).content == b"ok"
    assert sleeps == [1.0]


def test_503_with_retry_after_is_a_rate_limit(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/f", Reply(status=503, headers={"Retry-After": "600"}))
    with client_for(http_server, fast_http) as client, pytest.raises(RateLimited) as caught:
        client.get(http_server.url_for("/f"))
    assert caught.value.retry_after == 600.0


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthError), (403, AuthError), (404, NotFound), (410, NotFound), (400, SourceError)],
)
def test_permanent_statuses_are_not_retried(
    http_server: TestHTTPServer, fast_http: HttpOptions, status: int, error: type[Exception]
) -> None:
    http_server.route("/f", Reply(status=status))
    with client_for(http_server, fast_http) as client, pytest.raises(error) as caught:
        client.get(http_server.url_for("/f"))
    assert not isinstance(caught.value, TransientError)
    assert len(http_server.requests_to("/f")) == 1


def test_read_timeout_is_transient(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route("/slow", Reply(body=b"late", delay=10))
    options = replace(fast_http, read_timeout=0.3, retries=1)
    with client_for(http_server, options) as client, pytest.raises(TransientError) as caught:
        client.get(http_server.url_for("/slow"))
    assert "timeout" in str(caught.value)
    assert len(http_server.requests_to("/slow")) == 2


def test_timeout_mid_body_is_transient(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route("/slow", Reply(body=b"late", body_delay=10))
    options = replace(fast_http, read_timeout=0.3, retries=0)
    with client_for(http_server, options) as client, pytest.raises(TransientError):
        client.get(http_server.url_for("/slow"))


def test_slow_drip_body_hits_the_total_timeout(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.route("/drip", Reply(body=b"x" * 64 * 20, drip=0.1))
    options = replace(fast_http, total_timeout=0.3, retries=0)
    with (
        client_for(http_server, options) as client,
        pytest.raises(TransientError, match=r"body took over 0\.3s"),
    ):
        client.get(http_server.url_for("/drip"))


def test_connection_refused_is_transient(fast_http: HttpOptions) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = replace(fast_http, retries=0)
    with (
        HttpClient(allowed_hosts=["127.0.0.1"], options=options) as client,
        pytest.raises(TransientError, match="connection failed"),
    ):
        client.get(f"http://127.0.0.1:{port}/feed")


def test_truncated_body_is_transient_and_retried(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    full = b"<rss>" + b"x" * 5000
    http_server.route("/f", [Reply(body=full, truncate_at=100), Reply(body=full)])
    with client_for(http_server, fast_http) as client:
        assert client.get(http_server.url_for("/f")).content == full
    http_server.route("/always", Reply(body=full, truncate_at=100))
    with client_for(http_server, fast_http) as client, pytest.raises(TransientError):
        client.get(http_server.url_for("/always"))


def test_same_host_redirect_is_followed(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.redirect("/old", "/new", status=301)
    http_server.route("/new", Reply(body=b"here"))
    with client_for(http_server, fast_http) as client:
        response = client.get(http_server.url_for("/old"))
    assert response.content == b"here" and response.url.endswith("/new")


def test_redirect_to_another_host_is_refused_unless_allowed(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    with TestHTTPServer() as elsewhere:
        elsewhere.route("/x", Reply(body=b"elsewhere"))
        http_server.redirect("/old", f"http://localhost:{elsewhere.port}/x")
        with client_for(http_server, fast_http) as client, pytest.raises(NotFound) as caught:
            client.get(http_server.url_for("/old"))
        assert "localhost" in str(caught.value)
        assert elsewhere.requests == []
        with client_for(http_server, fast_http, "localhost") as client:
            assert client.get(http_server.url_for("/old")).content == b"elsewhere"


def test_redirect_loop_and_unconfigured_host(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    with client_for(http_server, fast_http) as client:
        with pytest.raises(MalformedResponse, match="too many redirects"):
            client.get(http_server.url_for("/a"))
        with pytest.raises(ConfigError, match="unconfigured host"):
            client.get("http://example.invalid/feed")


def test_redirect_can_be_read_instead_of_followed(
    http_server: TestHTTPServer, fast_http: HttpOptions
) -> None:
    http_server.redirect("/s/chan", "/chan")
    with client_for(http_server, fast_http) as client:
        response = client.get(http_server.url_for("/s/chan"), follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/chan"


def test_body_cap(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route("/big", Reply(body=b"x" * 5000))
    with (
        client_for(http_server, replace(fast_http, max_body_bytes=1000)) as client,
        pytest.raises(MalformedResponse, match="larger than 1000 bytes"),
    ):
        client.get(http_server.url_for("/big"))


def test_body_cap_without_content_length(fast_http: HttpOptions) -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 600] * 10))

    options = replace(fast_http, max_body_bytes=1000, transport=httpx.MockTransport(endless))
    with (
        HttpClient(allowed_hosts=["feeds.example"], options=options) as client,
        pytest.raises(MalformedResponse),
    ):
        client.get("https://feeds.example/f")


def test_mock_transport_sees_user_agent_and_maps_errors(fast_http: HttpOptions) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/boom":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"ok": True})

    options = replace(fast_http, transport=httpx.MockTransport(handler))
    with HttpClient(allowed_hosts=["api.example"], options=options) as client:
        assert client.get("https://api.example/ok").json() == {"ok": True}
        with pytest.raises(TransientError):
            client.get("https://api.example/boom")
    assert seen[0].headers["user-agent"] == DEFAULT_USER_AGENT
    assert len(seen) == 1 + 3


def test_invalid_json_is_malformed(fast_http: HttpOptions) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"{oops"))
    options = replace(fast_http, transport=transport)
    with HttpClient(allowed_hosts=["api.example"], options=options) as client:
        response = client.get("https://api.example/x?token=SECRET")
        with pytest.raises(MalformedResponse) as caught:
            response.json()
    assert "SECRET" not in str(caught.value)


def test_http_proxy_is_used(http_server: TestHTTPServer, fast_http: HttpOptions) -> None:
    http_server.route("/feed.xml", Reply(body=b"via proxy"))
    options = replace(fast_http, proxy=http_server.url)
    with HttpClient(allowed_hosts=["feeds.example"], options=options) as client:
        assert client.get("http://feeds.example/feed.xml").content == b"via proxy"
    [request] = http_server.requests_to("/feed.xml")
    assert request.headers["host"] == "feeds.example"


def test_socks_proxy_is_accepted_or_names_the_missing_extra(fast_http: HttpOptions) -> None:
    options = replace(fast_http, proxy="socks5://127.0.0.1:9050")
    if importlib.util.find_spec("socksio") is None:
        with pytest.raises(ConfigError, match=r"httpx\[socks\]"):
            HttpClient(allowed_hosts=["x.example"], options=options)
    else:
        HttpClient(allowed_hosts=["x.example"], options=options).close()


def test_bad_proxy_is_a_config_error_without_echoing_it(fast_http: HttpOptions) -> None:
    options = replace(fast_http, proxy="ftp://user:SECRET@proxy.example:21")
    with pytest.raises(ConfigError) as caught:
        HttpClient(allowed_hosts=["x.example"], options=options)
    assert "SECRET" not in str(caught.value)


def test_no_hosts_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        HttpClient(allowed_hosts=[])
