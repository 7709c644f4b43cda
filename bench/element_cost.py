"""What one more element costs a rerun under load: the one-widget floor against the floor plus 10, 25 and 50
lines of text, each its own element, and the same 50 lines as one element.

`python -m bench.element_cost [--sessions 50] [--interactions 8] [--rounds 3]`, through the websocket clients
of bench.wsload (every interaction a filter change). Streamlit sends every element again on every rerun,
each as its own message that wakes the server's event loop, so the count of elements, not what they show,
sets the cost: this is why a page that draws the dashboard's filters and figures cannot come near the
one-widget floor (docs/hardening.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.load import arguments, report, serve_and_drive
from bench.wsload import WEBSOCKET_URL, _filters_session

ELEMENTS_APP = Path(__file__).resolve().parent / "elements_app.py"
VARIANTS = [
    ("one-widget floor", {"BENCH_ELEMENTS": "0"}),
    ("floor + 10 text elements", {"BENCH_ELEMENTS": "10"}),
    ("floor + 25 text elements", {"BENCH_ELEMENTS": "25"}),
    ("floor + 50 text elements", {"BENCH_ELEMENTS": "50"}),
    ("floor + the same 50 lines as one element", {"BENCH_ELEMENTS": "50", "BENCH_ONE_ELEMENT": "1"}),
]


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.element_cost", __doc__.splitlines()[0], argv)
    rounds = [
        [
            serve_and_drive(
                ELEMENTS_APP, name, args.sessions, args.interactions, env, [], WEBSOCKET_URL.format, _filters_session
            )
            for name, env in VARIANTS
        ]
        for _ in range(args.rounds)
    ]
    return report("Websocket clients, one filter change per interaction.", rounds, args.sessions)


if __name__ == "__main__":
    sys.exit(main())
