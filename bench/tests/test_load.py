"""The wrk script: it sends the mix and counts unexpected statuses (run against a tiny loopback server)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.load import LoadRequest, parse_wrk_output, run_wrk, wrk_script


def test_the_script_holds_each_request_as_often_as_its_weight_with_headers_escaped() -> None:
    requests = [
        LoadRequest(
            name="list", host="m001.localhost", path="/staff/users/", cookies={"sessionid": "abc"}, weight=3
        ),
        LoadRequest(name="quote", host="localhost", path='/search/?q="x"'),
        LoadRequest(
            name="save",
            host="m001.localhost",
            path="/save/",
            method="POST",
            body="a=1&b=2",
            csrf=True,
            expect=302,
        ),
    ]
    script = wrk_script(requests)
    assert script.count('wrk.format("GET", "/staff/users/"') == 3
    assert '["Cookie"] = "sessionid=abc"' in script
    assert '"/search/?q=\\"x\\""' in script
    assert '["Content-Type"] = "application/x-www-form-urlencoded"' in script
    assert '"a=1&b=2"' in script
    assert "expected = { [200] = true, [302] = true }" in script
    # The CSRF token equals the cookie (Django accepts its unmasked secret).
    line = next(line for line in script.splitlines() if '"/save/"' in line)
    cookie = line.split("csrftoken=")[1].split('"')[0]
    assert f'["X-CSRFToken"] = "{cookie}"' in line


def test_an_empty_mix_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        wrk_script([])


def test_wrk_output_without_a_result_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no result"):
        parse_wrk_output("Running 1s test\n")


def test_only_loopback_is_ever_a_target(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_wrk(url="http://10.0.0.1:80", script="", connections=1, seconds=1, script_dir=tmp_path)


class _Handler(BaseHTTPRequestHandler):
    seen: Counter[str] = Counter()

    def do_GET(self) -> None:
        self.seen[f"{self.headers['Host']}{self.path}"] += 1
        status = 404 if self.path == "/missing/" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_wrk_sends_the_mix_and_counts_statuses_nobody_expects(loopback_server: int, tmp_path: Path) -> None:
    _Handler.seen.clear()
    requests = [
        LoadRequest(name="a", host="m001.localhost", path="/a/", weight=2),
        LoadRequest(name="b", host="m002.localhost", path="/b/"),
        LoadRequest(name="missing", host="m002.localhost", path="/missing/"),
    ]
    result = run_wrk(
        url=f"http://127.0.0.1:{loopback_server}",
        script=wrk_script(requests),
        connections=2,
        seconds=1,
        script_dir=tmp_path,
    )
    assert result.requests > 10
    assert set(_Handler.seen) == {"m001.localhost/a/", "m002.localhost/b/", "m002.localhost/missing/"}
    # A quarter of the requests got a 404 that no request expects: each one is counted as an error.
    assert result.unexpected_statuses == pytest.approx(_Handler.seen["m002.localhost/missing/"], abs=2)
    assert result.errors >= result.unexpected_statuses > 0
    assert result.p50_ms <= result.p95_ms <= result.max_ms
