"""Load test on loopback: many concurrent sessions through Streamlit's agent API.

`python -m bench.load [--sessions 50] [--interactions 8] [--rounds 3]` starts `streamlit run` with
server.enableAgentApi, one app after the other, and drives N concurrent sessions through each. The
dashboard's sessions open a shared link, change filters and select sites. Printed for every app:
interactions per second, p50/p95 latency, errors and server memory per session.

The apps, measured in the same run:
- a one-widget app: Streamlit's own floor on this machine;
- the sidebar's widgets alone, fixed options, no data (bench/widgets_app.py);
- the dashboard's frame alone (bench/frame_app.py): the sidebar filters every page carries;
- a naive streamlit-folium app on the shipped registry (bench/naive_app.py);
- the dashboard.
Bounded: loopback only, a fixed number of sessions and interactions, a time limit per request.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.serve import streamlit_server

ROOT = Path(__file__).resolve().parent.parent
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
WIDGETS_APP = Path(__file__).resolve().parent / "widgets_app.py"
FRAME_APP = Path(__file__).resolve().parent / "frame_app.py"
NAIVE_APP = Path(__file__).resolve().parent / "naive_app.py"
SHIPPED_REGISTRY = ROOT / "data" / "sites.csv"
# (app, name, drives the dashboard's own interactions, extra environment): the same five in both harnesses.
APPS = [
    (FLOOR_APP, "one-widget floor", False, None),
    (WIDGETS_APP, "sidebar widgets alone (no data)", False, None),
    (FRAME_APP, "dashboard frame alone (sidebar filters)", True, None),
    (NAIVE_APP, "naive streamlit-folium app", False, {"SERVICEMAP_DATA": str(SHIPPED_REGISTRY)}),
    (ROOT / "app.py", "卢街颐养 dashboard", True, None),
]
REQUEST_TIMEOUT = 120
SHARED_LINK = {"meal": ["yes"], "site": ["lgq-care-center"], "view": ["39.86378,116.23397,15"]}
# After the link, every third interaction picks a site (the others switch the meal filter), in both harnesses.
PICK_STEP = 1
# Placed sites in different parts of the map, so a pick moves it.
PICK_TARGETS = ("中国人民抗日战争纪念馆", "北京汽车博物馆", "卢沟桥街道养老服务中心", "时代风帆楼宇")


@dataclass
class LoadResult:
    name: str
    sessions: int
    interactions: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    rss_per_session_mb: float = 0.0

    @property
    def per_second(self) -> float:
        return self.interactions / self.wall_s if self.wall_s else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
        return json.load(response)


def _find(node: object, key: str) -> dict | None:
    children: Iterable[Any]
    if isinstance(node, dict):
        if node.get("key") == key:
            return node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find(child, key)
        if found is not None:
            return found
    return None


def _has_exception(node: object) -> bool:
    if isinstance(node, dict):
        return node.get("type") == "exception" or any(_has_exception(child) for child in node.values())
    return isinstance(node, list) and any(_has_exception(child) for child in node)


def _option(tree: dict, key: str, prefix: str) -> str | None:
    widget = _find(tree, key)
    if widget is None:
        return None
    return next((o for o in widget["props"]["options"] if o.startswith(prefix)), None)


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _session(url: str, interactions: int, full_app: bool, result: LoadResult, lock: threading.Lock) -> None:
    def timed(body: dict) -> dict | None:
        start = time.perf_counter()
        try:
            reply = _post(url, body)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            with lock:
                result.errors.append(repr(exc)[:200])
            return None
        elapsed = time.perf_counter() - start
        with lock:
            result.latencies.append(elapsed)
            result.interactions += 1
            if reply.get("status") != "ready":
                result.errors.append(f"status {reply.get('status')}")
            elif _has_exception(reply.get("tree")):  # a failed run is an error, not a fast interaction
                result.errors.append("the app drew an exception")
        return reply

    reply = timed({"query_params": SHARED_LINK} if full_app else {})
    if reply is None:
        return
    session = reply["session_id"]
    for step in range(interactions - 1):
        tree = reply["tree"]
        pick = _pick_target(tree, step // 3) if full_app and step % 3 == PICK_STEP else None
        if pick is not None:
            state = {"site_picker": pick}
        else:  # switch the meal filter to the other of the two choices
            meal = _find(tree, "f_meal")
            current = str(meal.get("value", "")) if meal else ""
            option = _option(tree, "f_meal", "全部" if current.startswith("提供助餐") else "提供助餐")
            state = {"f_meal": option} if option else {}
        reply = timed({"session_id": session, "widget_state": state}) or reply


def _pick_target(tree: dict, turn: int) -> str | None:
    """A placed site in the list other than the one selected, a different one each turn; None if none."""
    picker = _find(tree, "site_picker")
    if picker is None:
        return None
    offered = [t for t in PICK_TARGETS if t in picker["props"]["options"] and t != picker.get("value")]
    return offered[turn % len(offered)] if offered else None


Drive = Callable[[str, int, LoadResult, threading.Lock], None]  # (url, interactions, result, lock): one session


def serve_and_drive(
    app: Path, name: str, sessions: int, interactions: int, env_extra: dict[str, str] | None,
    server_flags: list[str], url_of: Callable[[str], str], drive: Drive,
) -> LoadResult:  # fmt: skip
    """Start `streamlit run app` on loopback, warm it with one session, then run `sessions` at once."""
    result = LoadResult(name, sessions)
    with streamlit_server(app, env=env_extra, flags=server_flags) as server:
        url = url_of(server.url)
        drive(url, 2, LoadResult("warm-up", 1), threading.Lock())  # caches filled, as in service
        baseline_rss = _rss_mb(server.process.pid)
        lock = threading.Lock()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            for _ in range(sessions):
                pool.submit(drive, url, interactions, result, lock)
        result.wall_s = time.perf_counter() - start
        result.rss_per_session_mb = (_rss_mb(server.process.pid) - baseline_rss) / sessions
    return result


def run_load(
    app: Path, name: str, sessions: int, interactions: int, full_app: bool, env_extra: dict[str, str] | None = None
) -> LoadResult:
    def drive(url: str, count: int, result: LoadResult, lock: threading.Lock) -> None:
        _session(url, count, full_app, result, lock)

    return serve_and_drive(
        app, name, sessions, interactions, env_extra, ["--server.enableAgentApi", "true"],
        lambda base: f"{base}/_stcore/agent/interact", drive,
    )  # fmt: skip


def arguments(prog: str, description: str, argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--interactions", type=int, default=8, help="per session")
    parser.add_argument("--rounds", type=int, default=3, help="every app once per round; medians are reported")
    return parser.parse_args(argv)


def report(title: str, rounds: list[list[LoadResult]], sessions: int) -> int:
    """Print the rounds as one Markdown table of medians; 1 if any session failed.

    Rounds interleave the apps, so a noisy minute on a shared machine hits them all alike; each ratio is
    taken against the floor (the first app) of its own round.
    """
    print(f"{title} Medians of {len(rounds)} rounds; p50/p95 over every request of every round.")
    print("| app | sessions | interactions | per second | vs floor | p50 | p95 | errors | server memory / session |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    floors = [results[0].per_second for results in rounds]
    for position in range(len(rounds[0])):
        runs = [results[position] for results in rounds]
        pooled = LoadResult(runs[0].name, sessions, latencies=[t for r in runs for t in r.latencies])
        per_second = statistics.median(r.per_second for r in runs)
        vs_floor = statistics.median(r.per_second / floor for r, floor in zip(runs, floors, strict=True))
        print(
            f"| {runs[0].name} | {sessions} | {runs[0].interactions} | {per_second:.1f} | {vs_floor:.0%} "
            f"| {pooled.percentile(0.5) * 1000:.0f} ms | {pooled.percentile(0.95) * 1000:.0f} ms "
            f"| {sum(len(r.errors) for r in runs)} | {statistics.median(r.rss_per_session_mb for r in runs):.2f} MB |"
        )
    errors = [(r.name, r.errors[:5]) for results in rounds for r in results if r.errors]
    for name, first in errors:
        print(f"{name} errors (first 5): {first}")
    per_round = ", ".join(f"{results[-1].per_second / results[0].per_second:.0%}" for results in rounds)
    print(f"{rounds[0][-1].name} vs floor, round by round: {per_round}")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.load", __doc__.splitlines()[0], argv)
    rounds = [
        [run_load(app, name, args.sessions, args.interactions, full, env) for app, name, full, env in APPS]
        for _ in range(args.rounds)
    ]
    return report("Agent API.", rounds, args.sessions)


if __name__ == "__main__":
    sys.exit(main())
