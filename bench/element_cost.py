"""What one more element costs a rerun under load: a radio and a metric, then the same with 10, 25 and 50
lines of text added, each line its own element, and the 50 lines as one element.

`python -m bench.element_cost [--sessions 50] [--interactions 8] [--rounds 3]`, through the websocket clients
of bench.wsload (every interaction a filter change). Streamlit sends every element again on every rerun as
its own ForwardMsg, each handed from the script thread to the server's event loop on its own
(AppSession._on_scriptrunner_event). This measures what that costs per element, whatever the element shows;
docs/hardening.md puts the figures beside the dashboard's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.load import arguments, report, serve_and_drive
from bench.wsload import filters_session, websocket_url

ELEMENTS_APP = Path(__file__).resolve().parent / "elements_app.py"
VARIANTS = [  # the first is each round's reference; the last is the one the summary line compares
    ("radio + metric (no lines)", {"BENCH_ELEMENTS": "0"}),
    ("+ 10 lines, one element each", {"BENCH_ELEMENTS": "10"}),
    ("+ 25 lines, one element each", {"BENCH_ELEMENTS": "25"}),
    ("+ the 50 lines as one element", {"BENCH_ELEMENTS": "50", "BENCH_ONE_ELEMENT": "1"}),
    ("+ 50 lines, one element each", {"BENCH_ELEMENTS": "50"}),
]


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.element_cost", __doc__.splitlines()[0], argv)
    rounds = [
        [
            serve_and_drive(
                ELEMENTS_APP, name, args.sessions, args.interactions, env, [], websocket_url, filters_session
            )
            for name, env in VARIANTS
        ]
        for _ in range(args.rounds)
    ]
    return report("Websocket clients, one filter change per interaction.", rounds, args.sessions)


if __name__ == "__main__":
    sys.exit(main())
