"""Load test through Streamlit's browser protocol: websocket clients, as browsers connect.

`python -m bench.wsload [--sessions 50] [--interactions 8] [--rounds 3]` runs the same five apps as
`python -m bench.load`, but each session is a websocket on /_stcore/stream that sends the BackMsg a browser
sends (rerun_script with the changed widget) and waits for script_finished. Every interaction here is a
meal-filter change, so the dashboard reruns all of its script each time. The agent API (bench.load)
also describes every element in a JSON snapshot per interaction, which a browser session never pays for,
so the two harnesses give different ratios; both are reported in docs/hardening.md.
Bounded: loopback only, a fixed number of sessions and interactions, a time limit per message.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

from bench.browser import _free_port, _wait_healthy
from bench.load import APPS, ROOT, LoadResult, _rss_mb

MESSAGE_TIMEOUT = 120
MEAL_KEY_SUFFIX = "-f_meal"  # a keyed widget's id ends with its key


def _rerun(ws: ClientConnection, changed: list[WidgetState]) -> str | None:
    """One script run, as a browser asks for it; the meal radio's widget id, if the page drew one."""
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.widget_states.widgets.extend(changed)
    ws.send(message.SerializeToString())
    meal_id = None
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(ws.recv(timeout=MESSAGE_TIMEOUT))
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            widget_id = getattr(getattr(element, element.WhichOneof("type")), "id", "")
            if isinstance(widget_id, str) and widget_id.endswith(MEAL_KEY_SUFFIX):
                meal_id = widget_id
        elif kind == "script_finished":
            return meal_id


def _session(url: str, interactions: int, result: LoadResult, lock: threading.Lock) -> None:
    try:
        with connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            start = time.perf_counter()
            meal_id = _rerun(ws, [])
            elapsed = [time.perf_counter() - start]
            for step in range(interactions - 1):
                start = time.perf_counter()
                _rerun(ws, [WidgetState(id=meal_id, int_value=(step + 1) % 2)])  # 全部 <-> 提供助餐
                elapsed.append(time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - any failure of a session is an error to count, not to raise
        with lock:
            result.errors.append(repr(exc)[:200])
        return
    with lock:
        result.latencies.extend(elapsed)
        result.interactions += len(elapsed)


def run_load(app: Path, name: str, sessions: int, interactions: int, env_extra: dict[str, str] | None) -> LoadResult:
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true", "--server.port",
               str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if not key.startswith("SERVICEMAP_")} | (env_extra or {})
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = LoadResult(name, sessions)
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", time.monotonic() + 60)
        _session(url, 2, LoadResult("warm-up", 1), threading.Lock())  # caches filled, as in service
        baseline_rss = _rss_mb(server.pid)
        lock = threading.Lock()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            for _ in range(sessions):
                pool.submit(_session, url, interactions, result, lock)
        result.wall_s = time.perf_counter() - start
        # Sessions are closed by now; what stays is what the server keeps for them until they expire.
        result.rss_per_session_mb = (_rss_mb(server.pid) - baseline_rss) / sessions
    finally:
        server.terminate()
        server.wait(timeout=20)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wsload", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--interactions", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="every app once per round; medians are reported")
    args = parser.parse_args(argv)
    rounds = [
        [run_load(app, name, args.sessions, args.interactions, env) for app, name, _, env in APPS]
        for _ in range(args.rounds)
    ]
    print(f"Websocket clients. Medians of {args.rounds} rounds; p50/p95 over every request of every round.")
    print("| app | sessions | interactions | per second | vs floor | p50 | p95 | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    floors = [results[0].per_second for results in rounds]
    for position, (_, name, _, _) in enumerate(APPS):
        runs = [results[position] for results in rounds]
        pooled = LoadResult(name, args.sessions, latencies=[t for r in runs for t in r.latencies])
        vs_floor = statistics.median(r.per_second / floor for r, floor in zip(runs, floors, strict=True))
        per_second = statistics.median(r.per_second for r in runs)
        print(
            f"| {name} | {args.sessions} | {runs[0].interactions} | {per_second:.1f} "
            f"| {vs_floor:.0%} | {pooled.percentile(0.5) * 1000:.0f} ms | {pooled.percentile(0.95) * 1000:.0f} ms "
            f"| {sum(len(r.errors) for r in runs)} |"
        )
    errors = [(r.name, r.errors[:5]) for results in rounds for r in results if r.errors]
    for name, first in errors:
        print(f"{name} errors (first 5): {first}")
    per_round = ", ".join(f"{results[-1].per_second / results[0].per_second:.0%}" for results in rounds)
    print(f"dashboard vs floor, round by round: {per_round}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
