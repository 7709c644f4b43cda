"""How many people one server serves at a person's pace: websocket sessions that pause between clicks.

`python -m bench.capacity [--think 2] [--interactions 8] [--sessions 50 100 200]` starts the one-widget floor
and the dashboard, and for each number of sessions has every session open a shared link, change filters and
pick sites as bench.wsload does, but with a pause of about `--think` seconds between interactions, as a
person reading the page makes. It reports what the sessions asked for (sessions / think, interactions a
second), what the server delivered, and the latency of each interaction (p50, p95, the pauses left out).

This is not issue 7's throughput measure, which has every session click again the moment the page answers
(bench.wsload): it answers the deployer's question instead, how many people one server keeps responsive.
Bounded: loopback only, a fixed number of sessions and interactions, a time limit per message.
"""

from __future__ import annotations

import argparse
import sys

from bench.load import APPS, LoadResult, serve_and_drive
from bench.wsload import human_pace_session, websocket_url

THINK_S = 2.0
SESSIONS = (50, 100, 200)


def measure(
    app_names: tuple[str, ...], sessions: tuple[int, ...], interactions: int, think_s: float
) -> list[LoadResult]:
    """Each app under each number of sessions, in that order."""
    chosen = [entry for entry in APPS if entry[1] in app_names]
    return [
        serve_and_drive(app, name, count, interactions, env, [], websocket_url, human_pace_session(think_s))
        for count in sessions
        for app, name, _, env in chosen
    ]


def report(results: list[LoadResult], think_s: float) -> int:
    """Print one Markdown table; 1 if any session failed."""
    print(f"Websocket sessions at a person's pace (a pause of about {think_s:g} s between interactions).")
    print("| app | sessions | asked for / s | served / s | p50 | p95 | errors | server memory / session |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(
            f"| {result.name} | {result.sessions} | {result.sessions / think_s:.0f} | {result.per_second:.1f} "
            f"| {result.percentile(0.5) * 1000:.0f} ms | {result.percentile(0.95) * 1000:.0f} ms "
            f"| {len(result.errors)} | {result.rss_per_session_mb:.2f} MB |"
        )
    return int(any(result.errors for result in results))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.splitlines()[0])
    parser.add_argument("--think", type=float, default=THINK_S, help="seconds a person pauses between clicks")
    parser.add_argument("--interactions", type=int, default=8, help="per session")
    parser.add_argument("--sessions", type=int, nargs="+", default=list(SESSIONS))
    args = parser.parse_args(argv)
    names = ("one-widget floor", "卢街颐养 dashboard")
    return report(measure(names, tuple(args.sessions), args.interactions, args.think), args.think)


if __name__ == "__main__":
    sys.exit(main())
