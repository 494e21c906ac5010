"""gunicorn on a loopback port, as production runs it, for the figures that speak HTTP."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.config import PROJECT_DIR


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's child processes."""
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may hold spaces and parentheses; the fields after the last ")" are fixed.
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise ServerError(f"No VmRSS for process {pid}.")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, from /proc (Linux)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    # After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def get(port: int, path: str, *, host: str, cookie: str = "", timeout: float = 10.0) -> tuple[int, bytes]:
    """One plain HTTP GET to the loopback server with a Host header (tenant routing is by host)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Host": host}
        if cookie:
            headers["Cookie"] = cookie
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def first_free_port(ports: Sequence[int]) -> int:
    for port in ports:
        if port_is_free(port):
            return port
    raise ServerError(
        f"Ports {ports[0]}–{ports[-1]} on 127.0.0.1 are all taken; set BENCH_PORT to a free range."
    )


@contextmanager
def gunicorn(
    *, ports: Sequence[int], workers: int, env: Mapping[str, str], health_host: str
) -> Iterator[Server]:
    """Start ``gunicorn ivplatform.wsgi`` with sync workers on the first free of 127.0.0.1:``ports``;
    stop it afterwards."""
    port = first_free_port(ports)
    log_file = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "ivplatform.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=dict(env),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(process=process, port=port, log_path=Path(log_file.name))
    try:
        _wait_until_ready(server, workers, health_host)
        yield server
    finally:
        _stop(process)
        log_file.close()
        os.unlink(log_file.name)


def _wait_until_ready(server: Server, workers: int, health_host: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(f"gunicorn exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            status, _ = get(server.port, "/healthz", host=health_host, timeout=2)
        except OSError:
            status = 0
        if status == 200 and len(server.worker_pids()) >= workers:
            return
        time.sleep(0.2)
    raise ServerError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{server.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown stops its workers too
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
