"""An open page follows the office's saves: once a minute it looks at the registry and its side files, and runs
again when one of them was saved since the page was drawn.

A page learned of a new save only at its reader's next click, or a reload. A screen left showing the map in the
service centre's hall, or a tab kept open for the day at the street office, went on showing last week's sites, or
no word that the newest save could not be used, for as long as nobody touched it (adopter review).
"""

from __future__ import annotations

import math
import os

import streamlit as st

from ui import data

REFRESH_ENV = "SERVICEMAP_REFRESH_S"
# Once a minute: a hall's screen need not be quicker, and every open page's look is a small run on the server
# (its fragment alone: no element is sent unless a file changed).
DEFAULT_REFRESH_S = 60.0


# Not more often than this, whatever the setting says: every open page's look is a run on the server.
FASTEST_REFRESH_S = 1.0


def refresh_seconds() -> float:
    """How often an open page looks for a new save: SERVICEMAP_REFRESH_S, 0 for never, at most once a
    FASTEST_REFRESH_S; the default for a value that is not a number of seconds (text, negative, NaN, infinite)."""
    try:
        seconds = float(os.environ.get(REFRESH_ENV, DEFAULT_REFRESH_S))
    except ValueError:
        return DEFAULT_REFRESH_S
    if not math.isfinite(seconds) or seconds < 0:
        return DEFAULT_REFRESH_S
    return seconds and max(seconds, FASTEST_REFRESH_S)


# Read at start, as the app's other settings are.
REFRESH_S = refresh_seconds()


def when_pages_follow() -> str:
    """What a notice about a save to mend tells the office of the pages left open ("打开着的页面 1 分钟内自动更新"),
    "" when they do not follow saves."""
    if not REFRESH_S:
        return ""
    within = f"{REFRESH_S / 60:g} 分钟" if REFRESH_S >= 60 else f"{REFRESH_S:g} 秒"
    return f"打开着的页面 {within}内自动更新"


def follow_new_saves(drawn_from: tuple[int, ...]) -> None:
    """At the foot of every page (the page the unreadable registry brings too, which then mends itself once the
    file is fixed): run the whole page again when a file it draws from is saved anew. `drawn_from` is
    data.saved_versions() as the run began, before it read the files: a save while it ran is then new."""
    if REFRESH_S:
        _look_for_new_save(drawn_from)


@st.fragment(run_every=REFRESH_S or None)
def _look_for_new_save(drawn_from: tuple[int, ...]) -> None:
    """Streamlit runs this alone every REFRESH_S, with `drawn_from` as the page's last whole run passed it."""
    if data.saved_versions() != drawn_from:
        st.rerun()  # the whole page: figures, map and notices all come from the files
