"""The app's own static files that data becomes: the site dataset and the boundary, written once under
static/generated/ (named by content hash) and fetched by the browser instead of sent on every rerun."""

from __future__ import annotations

import logging
import os

import streamlit as st

from servicemap import sitedata
from servicemap.mapexport import STATIC_DIR  # the app's own files, served under app/static/

log = logging.getLogger(__name__)

PUBLISHED_DIR = STATIC_DIR / "generated"  # git-ignored; datasets named by content hash


def static_base() -> str:
    """URL prefix of the app's own static files, honouring a server.baseUrlPath deployment."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


def write_once(kind: str, text: str, static_base: str) -> str | None:
    """Write `text` once under static/generated/ (named by content hash); its URL, or None if read-only."""
    name = f"{kind}-{sitedata.content_key(text)}.json"
    try:
        PUBLISHED_DIR.mkdir(parents=True, exist_ok=True)
        target = PUBLISHED_DIR / name
        if not target.exists():
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)  # atomic: a browser never fetches half a file
    except OSError as exc:  # a read-only install still works, sending the data inline
        log.warning("cannot publish %s (%s); sending it inline", name, exc)
        return None
    return f"{static_base}generated/{name}"
