"""Fetching against a real HTTP server on 127.0.0.1: conditional requests, limits, redirects, refusals."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from waspada.media.fetching import FetchFailed, HostPacer, Limits, fetch

from .conftest import NewsServer, Route

SMALL = Limits(timeout=1.0, max_bytes=64 * 1024, max_redirects=3)


def test_it_sends_etag_and_last_modified_back_and_handles_304(news_server: NewsServer) -> None:
    news_server.routes["/rss"] = Route(
        b"<rss/>", etag='"v1"', headers={"Last-Modified": "Tue, 03 Dec 2024 01:00:00 GMT"}
    )
    first = fetch(news_server.url("/rss"), limits=SMALL)
    assert (first.status, first.body, first.etag) == (200, b"<rss/>", '"v1"')
    assert first.last_modified == "Tue, 03 Dec 2024 01:00:00 GMT"
    again = fetch(news_server.url("/rss"), etag=first.etag, last_modified=first.last_modified, limits=SMALL)
    assert again.not_modified and again.status == 304 and again.body == b""
    assert again.etag == '"v1"'
    sent = news_server.hits("/rss")[1]["headers"]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 03 Dec 2024 01:00:00 GMT"
    assert sent["User-Agent"].startswith("Waspada/")


def test_it_stops_reading_a_page_larger_than_the_cap(news_server: NewsServer) -> None:
    news_server.routes["/besar"] = Route(stream_bytes=10 * 1024 * 1024)
    with pytest.raises(FetchFailed, match="lebih besar dari batas") as caught:
        fetch(news_server.url("/besar"), limits=SMALL)
    assert caught.value.code == "too_large"


def test_it_refuses_a_declared_length_above_the_cap_before_reading(news_server: NewsServer) -> None:
    news_server.routes["/besar"] = Route(b"x" * (100 * 1024))
    with pytest.raises(FetchFailed, match="menurut Content-Length"):
        fetch(news_server.url("/besar"), limits=SMALL)


def test_it_caps_the_size_after_decompression(news_server: NewsServer) -> None:
    news_server.routes["/bom"] = Route(b"a" * (1024 * 1024), gzip=True)
    with pytest.raises(FetchFailed) as caught:
        fetch(news_server.url("/bom"), limits=SMALL)
    assert caught.value.code == "too_large"
    news_server.routes["/kecil"] = Route(b"<p>halo</p>", gzip=True)
    assert fetch(news_server.url("/kecil"), limits=SMALL).body == b"<p>halo</p>"


def test_it_names_a_redirect_loop(news_server: NewsServer) -> None:
    news_server.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    news_server.routes["/b"] = Route(status=301, headers={"Location": news_server.url("/a")})
    with pytest.raises(FetchFailed, match="pengalihan berputar") as caught:
        fetch(news_server.url("/a"), limits=SMALL)
    assert caught.value.code == "redirect_loop"


def test_it_follows_a_few_redirects_but_not_too_many(news_server: NewsServer) -> None:
    for i in range(6):
        news_server.routes[f"/r{i}"] = Route(status=307, headers={"Location": f"/r{i + 1}"})
    news_server.routes["/r6"] = Route(b"sampai")
    news_server.routes["/dekat"] = Route(status=301, headers={"Location": "/r6"})
    assert fetch(news_server.url("/dekat"), limits=SMALL).url == news_server.url("/r6")
    with pytest.raises(FetchFailed, match="lebih dari 3 pengalihan") as caught:
        fetch(news_server.url("/r0"), limits=SMALL)
    assert caught.value.code == "too_many_redirects"


def test_it_gives_up_on_a_source_that_does_not_answer_in_time(news_server: NewsServer) -> None:
    news_server.routes["/lambat"] = Route(b"late", delay=5.0)
    with pytest.raises(FetchFailed, match="batas waktu") as caught:
        fetch(news_server.url("/lambat"), limits=Limits(timeout=0.3))
    assert caught.value.code == "timeout"


def test_it_cuts_a_server_that_trickles_bytes_past_the_whole_fetch_deadline(news_server: NewsServer) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for _ in range(200):
                handler.wfile.write(b"<p>sedikit</p>")
                handler.wfile.flush()
                if news_server.closing.wait(0.05):
                    return
        except OSError:
            pass

    news_server.routes["/tetes"] = trickle
    with pytest.raises(FetchFailed) as caught:
        fetch(news_server.url("/tetes"), limits=Limits(timeout=0.5))
    assert caught.value.code == "timeout"


def test_it_reports_http_errors_with_their_status(news_server: NewsServer) -> None:
    news_server.routes["/hilang"] = Route(b"", status=410)
    with pytest.raises(FetchFailed, match="HTTP 410") as caught:
        fetch(news_server.url("/hilang"), limits=SMALL)
    assert caught.value.code == "http_status"


def test_it_refuses_loopback_and_private_addresses_unless_allowed(
    news_server: NewsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    news_server.routes["/x"] = Route(b"ok")
    monkeypatch.delenv("WASPADA_ALLOW_PRIVATE_HTTP")
    for url in (news_server.url("/x"), "http://10.1.2.3/feed", "http://[::1]:9/feed"):
        with pytest.raises(FetchFailed, match="alamat ditolak") as caught:
            fetch(url, limits=SMALL)
        assert caught.value.code == "refused"
    assert news_server.hits("/x") == []
    assert fetch(news_server.url("/x"), limits=SMALL, allow_private=True).body == b"ok"


def test_it_refuses_a_redirect_to_a_private_address(
    news_server: NewsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first hop is allowed by the environment; the check runs again for every hop.
    news_server.routes["/ke-dalam"] = Route(status=302, headers={"Location": "http://192.168.1.1/admin"})
    monkeypatch.setattr("waspada.media.fetching.private_allowed", lambda: False)
    monkeypatch.setattr("waspada.alerts.http.private_allowed", lambda: False)
    with pytest.raises(FetchFailed, match="alamat ditolak"):
        fetch(news_server.url("/ke-dalam"), limits=SMALL, allow_private=False)


def test_it_refuses_addresses_that_are_not_http() -> None:
    for url in ("ftp://berita.example/feed", "file:///etc/passwd", "http://", "http://berita.example:99999/"):
        with pytest.raises(FetchFailed) as caught:
            fetch(url, limits=SMALL)
        assert caught.value.code == "bad_url"


def test_it_spaces_requests_to_one_host_and_not_across_hosts() -> None:
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pacer = HostPacer(2.0, now=lambda: clock[0], sleep=sleep)
    assert pacer.wait("http://a.example/rss") == 0.0
    clock[0] += 0.5
    assert pacer.wait("http://a.example/berita/1") == pytest.approx(1.5)
    assert pacer.wait("http://b.example/rss") == 0.0
    clock[0] += 3.0
    assert pacer.wait("http://A.example/berita/2") == 0.0
    assert slept == [pytest.approx(1.5)]
