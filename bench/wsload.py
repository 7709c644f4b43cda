"""Load test through Streamlit's browser protocol: websocket clients, as browsers connect.

`python -m bench.wsload [--sessions 50] [--interactions 8] [--rounds 3]` runs the same five apps as
`python -m bench.load`, but each session is a websocket on /_stcore/stream that sends the BackMsg a browser
sends (rerun_script with every widget's value and the address bar's query) and waits for script_finished;
a run that draws an exception is an error. Two mixes, each reported:

- open a shared link, then change the meal filter and pick sites (every third interaction, the same schedule
  as bench.load). A pick reruns only the map-and-details fragment, as in a browser; the map then flies to the
  site and reports its new view, which reruns the fragment once more, as streamlit-folium does. Both runs
  count as one interaction;
- filters only: every interaction a meal-filter change, so the dashboard reruns all of its script each time.

The agent API (bench.load) also describes every element in a JSON snapshot per interaction, which a browser
session never pays for; both are reported in docs/hardening.md.
Bounded: loopback only, a fixed number of sessions and interactions, a time limit per message.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from urllib.parse import urlencode

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.load import APPS, PICK_STEP, PICK_TARGETS, SHARED_LINK, LoadResult, arguments, report, serve_and_drive

MESSAGE_TIMEOUT = 120
MEAL_KEY_SUFFIX = "-f_meal"  # a keyed widget's id ends with its key
PICKER_KEY_SUFFIX = "-site_picker"  # the dashboard's site list, inside the map-and-details fragment
MAP_COMPONENT_SUFFIX = "st_folium"
MEAL_CHOICES = ("提供助餐", "全部")  # label prefixes: the dashboard's labels carry counts, "全部（16）"


def websocket_url(base: str) -> str:
    """The browser protocol's endpoint of a server at `base` (http://host:port)."""
    return base.replace("http://", "ws://", 1) + "/_stcore/stream"


class ScriptError(RuntimeError):
    """The app drew an exception: a run that failed is an error, not a fast interaction."""


def _drawn_value(element: Element) -> WidgetState | None:
    """A drawn widget's value as a browser first holds it: what the app set, else the widget's default."""
    kind = str(element.WhichOneof("type"))
    widget = getattr(element, kind)
    state = WidgetState(id=getattr(widget, "id", ""))
    if kind == "checkbox":
        state.bool_value = widget.value if widget.set_value else widget.default
    elif kind in ("radio", "selectbox"):
        if widget.set_value and widget.HasField("raw_value"):
            state.string_value = widget.raw_value
        elif not widget.set_value and widget.HasField("default"):
            state.string_value = widget.options[widget.default]
        # else no choice (the app set None, or there is no default): the state carries no value
    elif kind == "multiselect":
        chosen = widget.raw_values if widget.set_value else [widget.options[i] for i in widget.default]
        state.string_array_value.data.extend(chosen)
    elif kind == "text_input":
        state.string_value = widget.value if widget.set_value else widget.default
    elif kind == "number_input":
        state.double_value = widget.value if widget.set_value else widget.default
    elif kind == "button_group":
        chosen = widget.raw_values if widget.set_value else [widget.options[i].content for i in widget.default]
        state.string_array_value.data.extend(chosen)
    else:
        return None  # buttons, downloads and the map component report only when used
    return state


class Browser:
    """What a browser tab keeps: every drawn widget's current value, all of them sent on every rerun, and
    the address bar the app writes to.

    Sending only the changed widget is not what a browser does, and Streamlit then drops the values of the
    others (checkboxes read as unticked): the dashboard would be measured with its layers off.
    """

    def __init__(self, ws: ClientConnection, first_pick: int = 0) -> None:
        self.ws = ws
        self.widgets: dict[str, WidgetState] = {}
        self.meal_options: list[str] = []
        self.meal_id = ""
        self.query_string = ""  # the address bar, as the app last set it
        self.picker_id = ""
        self.picker_options: list[str] = []
        self.picker_fragment = ""  # the fragment the site list is drawn in: a pick reruns only that
        self.picked = ""  # the site the list shows as selected
        self.next_pick = first_pick  # sessions start at different targets
        self.map_id = ""
        self.map_fragment = ""
        self.map_target: tuple[list[float], int | None] | None = None  # the view the app last flew the map to
        self.map_value: dict = {}  # what the map component last reported
        self.elements_drawn = 0  # by the last run

    def rerun(self, meal_prefix: str | None = None) -> None:
        """One script run, as a browser asks for it; `meal_prefix` picks the meal radio's new option."""
        if meal_prefix is not None:
            label = next(label for label in self.meal_options if label.startswith(meal_prefix))
            self.widgets[self.meal_id] = WidgetState(id=self.meal_id, string_value=label)
        self._run()

    def open_link(self, query_string: str) -> None:
        """Open a shared link: the first run of a session, with the link's query in the address bar."""
        self.query_string = query_string
        self._run()

    def change_meal(self) -> None:
        """Switch the meal filter to the other of its two choices the harness uses."""
        current = self.widgets[self.meal_id].string_value if self.meal_id in self.widgets else ""
        self.rerun(MEAL_CHOICES[1] if current.startswith(MEAL_CHOICES[0]) else MEAL_CHOICES[0])

    def _pick_targets(self) -> list[str]:
        return [label for label in PICK_TARGETS if label in self.picker_options and label != self.picked]

    def can_pick(self) -> bool:
        """Whether the list offers one of the pick targets other than the site already selected."""
        return bool(self._pick_targets())

    def pick_site(self) -> None:
        """Pick another site from the list, as a reader does: Streamlit reruns the fragment the list is in,
        the app flies the map to the site, and the map then reports its new view, which reruns the fragment
        again (streamlit-folium's moveend report). Both runs are one interaction."""
        targets = self._pick_targets()
        label = targets[self.next_pick % len(targets)]
        self.next_pick += 1
        self.widgets[self.picker_id] = WidgetState(id=self.picker_id, string_value=label)
        target_before = self.map_target
        self._run(self.picker_fragment)
        if self.map_id and self.map_target is not None and self.map_target != target_before:
            (lat, lng), zoom = self.map_target
            reported = {**self.map_value, "center": {"lat": lat, "lng": lng}}
            if zoom is not None:
                reported["zoom"] = zoom
            self.map_value = reported
            self.widgets[self.map_id] = WidgetState(id=self.map_id, json_value=json.dumps(reported))
            self._run(self.map_fragment)

    def _run(self, fragment_id: str = "") -> None:
        message = BackMsg()
        message.rerun_script.query_string = self.query_string
        message.rerun_script.widget_states.widgets.extend(self.widgets.values())
        message.rerun_script.fragment_id = fragment_id
        self.ws.send(message.SerializeToString())
        drawn: set[str] = set()
        self.elements_drawn = 0
        if not fragment_id:  # a full run draws the list again, or not at all (too many sites)
            self.picker_id, self.picker_options, self.picked = "", [], ""
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.ws.recv(timeout=MESSAGE_TIMEOUT))
            kind = forward.WhichOneof("type")
            if kind == "script_finished":
                # A browser forgets the widgets a full run did not draw; a fragment run draws only its own.
                if not fragment_id:
                    self.widgets = {key: value for key, value in self.widgets.items() if key in drawn}
                return
            if kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            if kind != "delta" or forward.delta.WhichOneof("type") != "new_element":
                continue
            element = forward.delta.new_element
            self.elements_drawn += 1
            if element.WhichOneof("type") == "exception":
                raise ScriptError(element.exception.message[:200])
            component = element.component_instance if element.WhichOneof("type") == "component_instance" else None
            if component is not None and component.component_name.endswith(MAP_COMPONENT_SUFFIX):
                self._saw_map(component.id, forward.delta.fragment_id, component.json_args)
                drawn.add(self.map_id)
                continue
            value = _drawn_value(element)
            if value is None:
                continue
            drawn.add(value.id)
            if value.WhichOneof("value") is None:
                self.widgets.pop(value.id, None)  # nothing chosen: a browser sends nothing for it
            elif value.id not in self.widgets or getattr(element, str(element.WhichOneof("type"))).set_value:
                self.widgets[value.id] = value
            if element.WhichOneof("type") == "radio" and value.id.endswith(MEAL_KEY_SUFFIX):
                self.meal_id, self.meal_options = value.id, list(element.radio.options)
            if element.WhichOneof("type") == "selectbox" and value.id.endswith(PICKER_KEY_SUFFIX):
                self.picker_id, self.picker_fragment = value.id, forward.delta.fragment_id
                self.picker_options = list(element.selectbox.options)[1:]  # the first is "please choose"
                # What the browser holds: the app's value when it sent one, else the reader's own pick.
                held = self.widgets.get(value.id)
                self.picked = held.string_value if held is not None else ""

    def _saw_map(self, map_id: str, fragment_id: str, json_args: str) -> None:
        if map_id != self.map_id:  # a new map (first run, another basemap): it has reported nothing yet
            self.map_id, self.map_value = map_id, {}
        self.map_fragment = fragment_id
        args = json.loads(json_args)
        if args.get("center") is not None:
            self.map_target = (args["center"], args.get("zoom"))


_SESSION_NUMBERS = itertools.count()
pause = time.sleep  # a person's pause between clicks (bench.capacity); tests record instead of sleeping


def _drive(
    url: str, interactions: int, result: LoadResult, lock: threading.Lock, mixed: bool, think_s: float = 0.0
) -> None:
    """One session. With `think_s`, people arrive spread over the first pause and pause between interactions,
    half to one and a half times `think_s` (the same pauses for the same session number on every run); no
    pause is part of any latency."""
    number = next(_SESSION_NUMBERS)
    pauses = random.Random(number)
    if think_s:
        pause(think_s * pauses.random())  # arrivals spread out: fifty people do not open the link at once
    try:
        with connect(url, subprotocols=[Subprotocol("streamlit")], max_size=None, open_timeout=60) as ws:
            browser = Browser(ws, first_pick=number)
            start = time.perf_counter()
            if mixed:
                browser.open_link(urlencode(SHARED_LINK, doseq=True))
            else:
                browser.rerun()
            elapsed = [time.perf_counter() - start]
            for step in range(interactions - 1):
                if think_s:
                    pause(think_s * (0.5 + pauses.random()))  # a person reading the page, not a wait for it
                start = time.perf_counter()
                # The same schedule as bench.load: every third a pick, the rest switch the meal filter (the
                # apps without a site list only filter).
                if mixed and step % 3 == PICK_STEP and browser.can_pick():
                    browser.pick_site()
                else:
                    browser.change_meal()
                elapsed.append(time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - any failure of a session is an error to count, not to raise
        with lock:
            result.errors.append(repr(exc)[:200])
        return
    with lock:
        result.latencies.extend(elapsed)
        result.interactions += len(elapsed)


def shared_link_session(url: str, interactions: int, result: LoadResult, lock: threading.Lock) -> None:
    """What issue 7 asks of each session: open a shared link, then change the meal filter and pick sites."""
    _drive(url, interactions, result, lock, mixed=True)


def filters_session(url: str, interactions: int, result: LoadResult, lock: threading.Lock) -> None:
    """The worst case: every interaction a meal-filter change, which reruns the whole script."""
    _drive(url, interactions, result, lock, mixed=False)


def human_pace_session(think_s: float) -> Callable[[str, int, LoadResult, threading.Lock], None]:
    """shared_link_session at a person's pace: a pause of about `think_s` seconds between interactions."""
    return partial(_drive, mixed=True, think_s=think_s)


def main(argv: list[str] | None = None) -> int:
    args = arguments("python -m bench.wsload", __doc__.splitlines()[0], argv)
    failed = 0
    for title, drive in (
        ("Websocket clients, open a shared link, change filters, pick sites.", shared_link_session),
        ("Websocket clients, filters only (every interaction reruns the whole script).", filters_session),
    ):
        rounds = [
            [
                serve_and_drive(app, name, args.sessions, args.interactions, env, [], websocket_url, drive)
                for app, name, _, env in APPS
            ]
            for _ in range(args.rounds)
        ]
        failed |= report(title, rounds, args.sessions)
        print()
    return failed


if __name__ == "__main__":
    sys.exit(main())
