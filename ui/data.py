"""The cache wrapper: the only place where Streamlit caching meets the registry.

Keys are (path, modification time), so editing the registry file is picked up on the next rerun.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from servicemap import basemaps, metrics
from servicemap.registry import LoadResult, RegistryUnreadable, data_path, load_registry


@st.cache_data(show_spinner="正在读取站点登记表…")
def _load(path: str, mtime_ns: int) -> LoadResult | str:
    try:
        return load_registry(path)
    except RegistryUnreadable as exc:
        return str(exc)


def registry() -> tuple[LoadResult | None, str]:
    """The validated registry, or None and the reason the file cannot be read."""
    path = data_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    loaded = _load(str(path), mtime)
    if isinstance(loaded, str):
        return None, loaded
    return loaded, ""


@st.cache_data
def _reported(path: str, mtime_ns: int) -> list[metrics.ReportedFigure]:
    return metrics.load_reported(path)


def reported_figures(sites: pd.DataFrame) -> list[metrics.ReportedFigure]:
    path = Path(metrics.DEFAULT_REPORTED_PATH)
    return metrics.with_registry_counts(_reported(str(path), path.stat().st_mtime_ns), sites)


def static_base() -> str:
    """URL prefix of the app's own static files, honouring a server.baseUrlPath deployment."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


@st.cache_data
def _boundary(path: str, mtime_ns: int) -> dict:
    return basemaps.load_boundary(path)


def boundary() -> dict | None:
    """The Fengtai boundary in WGS-84, or None if the file is missing (the map works without it)."""
    path = basemaps.BOUNDARY_PATH
    try:
        return _boundary(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError, KeyError):
        return None


def custom_basemap() -> basemaps.Basemap | None:
    """The intranet tile server: environment variables first, then [tiles] in .streamlit/secrets.toml."""
    settings = basemaps.custom_settings_from_env()
    if not settings["url"]:
        try:
            tiles = st.secrets.get("tiles", {})
        except FileNotFoundError:  # no secrets.toml at all
            tiles = {}
        except Exception:  # a malformed secrets.toml must not take the map down
            tiles = {}
        settings = {key: str(tiles.get(key, "")) for key in ("url", "attribution", "crs", "subdomains")}
    return basemaps.custom_basemap(settings)
