"""`streamlit run` on a free loopback port, ready when its health check answers: one way to start the app for
the benchmarks and the real-browser tests alike."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0  # until /_stcore/health must answer "ok"
HEALTH_POLL_S = 0.2


class ServerFailed(RuntimeError):
    """The server exited or never became healthy; the message ends with its log's last lines, if logged."""


@dataclass(frozen=True)
class Running:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def log_tail(path: Path | None, lines: int = 40) -> str:
    if path is None:
        return "(not logged)"
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextmanager
def streamlit_server(
    app: Path | str = "app.py",
    *,
    env: Mapping[str, str] | None = None,
    flags: Sequence[str] = (),
    log: Path | None = None,
    timeout_s: float = START_TIMEOUT_S,
) -> Iterator[Running]:
    """The app served on loopback, with the app's own settings (SERVICEMAP_*) only from `env`: a run never
    picks up a registry or tile server from the caller's shell. Stopped on leaving, killed if it hangs."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SERVICEMAP_")}
    environment.update(env or {})
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false", *flags]  # fmt: skip
    with open(log, "wb") if log is not None else open(os.devnull, "wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while not healthy(url):
            if process.poll() is not None:
                raise ServerFailed(f"streamlit exited with code {process.returncode}:\n{log_tail(log)}")
            if time.monotonic() > deadline:
                raise ServerFailed(f"streamlit not healthy after {timeout_s:.0f} s:\n{log_tail(log)}")
            time.sleep(HEALTH_POLL_S)
        yield Running(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
