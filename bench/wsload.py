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

import sys
import threading
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

from bench.load import APPS, LoadResult, arguments, report, serve_and_drive

MESSAGE_TIMEOUT = 120
MEAL_KEY_SUFFIX = "-f_meal"  # a keyed widget's id ends with its key
MEAL_CHOICES = ("提供助餐", "全部")  # label prefixes: the dashboard's labels carry counts, "全部（16）"
WEBSOCKET_URL = "ws://127.0.0.1:{}/_stcore/stream"


class ScriptError(RuntimeError):
    """The app drew an exception: a run that failed is an error, not a fast interaction."""


def _rerun(ws: ClientConnection, changed: list[WidgetState]) -> tuple[str, list[str]] | None:
    """One script run, as a browser asks for it; the meal radio's (widget id, option labels), if drawn."""
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.widget_states.widgets.extend(changed)
    ws.send(message.SerializeToString())
    meal = None
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(ws.recv(timeout=MESSAGE_TIMEOUT))
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            element_type = element.WhichOneof("type")
            if element_type == "exception":
                raise ScriptError(element.exception.message[:200])
            if element_type == "radio" and element.radio.id.endswith(MEAL_KEY_SUFFIX):
                meal = (element.radio.id, list(element.radio.options))
        elif kind == "script_finished":
            return meal


def _meal_choice(meal: tuple[str, list[str]], prefix: str) -> WidgetState:
    """The radio's new value as a browser sends it: the option's label as drawn (with its count)."""
    widget_id, labels = meal
    return WidgetState(id=widget_id, string_value=next(label for label in labels if label.startswith(prefix)))


def _session(url: str, interactions: int, result: LoadResult, lock: threading.Lock) -> None:
    try:
        with connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            start = time.perf_counter()
            meal = _rerun(ws, [])
            elapsed = [time.perf_counter() - start]
            for step in range(interactions - 1):
                start = time.perf_counter()
                meal = _rerun(ws, [_meal_choice(meal, MEAL_CHOICES[step % 2])]) or meal
                elapsed.append(time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - any failure of a session is an error to count, not to raise
        with lock:
            result.errors.append(repr(exc)[:200])
        return
    with lock:
        result.latencies.extend(elapsed)
        result.interactions += len(elapsed)


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.wsload", __doc__.splitlines()[0], argv)
    rounds = [
        [
            serve_and_drive(app, name, args.sessions, args.interactions, env, [], WEBSOCKET_URL.format, _session)
            for app, name, _, env in APPS
        ]
        for _ in range(args.rounds)
    ]
    return report("Websocket clients.", rounds, args.sessions)


if __name__ == "__main__":
    sys.exit(main())
