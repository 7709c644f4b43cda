"""The files people take away from the map page: the offline and print maps, built once per what they show and
shared between sessions, and whether a download is built with the page or on click."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from servicemap import basemaps, edition, export, mapexport, metrics
from servicemap import filters as filtering
from ui import data

T = TypeVar("T")


# cache_resource, not cache_data: the same few-hundred-KB text is handed out without a copy each rerun.
# Keyed on what the file shows (filters, paper, tiles, "my location" and its answer) and on every file it
# reads, not on the whole link: panning the map does not change the file, and must not rebuild it.
@st.cache_resource(show_spinner="正在生成地图文件…", max_entries=32)
def _export(
    path: str,
    mtime_ns: int,
    filter_key: tuple,
    paper: str | None,
    basemap: basemaps.Basemap,
    reported_path: str,
    reported_mtime_ns: int,
    boundary_path: str,
    boundary_mtime_ns: int,
    near: mapexport.NearbyPrint | None,
    whose: edition.Edition,
    large: bool,
) -> str:
    sites = data.sites_for_key(path, mtime_ns)
    filters = filtering.Filters.from_key(filter_key)
    reported = data.figures_for_key(reported_path, reported_mtime_ns, path, mtime_ns)
    shown = data.shown_for_key(path, mtime_ns, filter_key)
    # As the page's metric row: figures only for the layers shown, and none for a layer the registry lacks.
    layers = filters.layers & data.registered_layers_for_key(path, mtime_ns)
    info = mapexport.ExportInfo(
        filtering.describe(filters),
        export.updated_span(sites),
        sources=whose.sources,
        standing=whose.standing,
        figures=metrics.figures_text(metrics.compute(shown), layers, filters.levels, whose.beds_label),
        caveat=metrics.sheet_caveat_text(reported, filters),
        near=near,
        # The shipped files keep the title issue 6 gave them (without the page's ·).
        title=whose.file_title(mapexport.TITLE),
        large=large,
    )
    try:
        geometry = basemaps.load_boundary(boundary_path)
    except (OSError, ValueError, KeyError):
        geometry = None  # the map still shows every site without the district's outline
    return mapexport.standalone_html(shown, info, basemap=basemap, boundary=geometry, paper=paper)


# Up to this many rows a download is built with the page, so its file id, derived from the content, stays
# the same across reruns and a click always finds it. A file built on click gets a new id on every rerun,
# and a click that lands as a rerun finishes finds nothing. City-size files are still built on click,
# because building them takes seconds.
EAGER_DOWNLOAD_ROWS = 5_000


def download_data(build: Callable[[], T], rows: int) -> T | Callable[[], T]:
    """What to hand st.download_button: the file itself for small tables, the builder for large ones."""
    return build() if rows <= EAGER_DOWNLOAD_ROWS else build


def exported_map(
    filters: filtering.Filters,
    paper: str | None = None,
    basemap: basemaps.Basemap = basemaps.BASEMAPS["none"],
    near: mapexport.NearbyPrint | None = None,
    large: bool = False,
) -> str:
    """The standalone map (or with `paper`, the print layout) of the sites `filters` show, on `basemap`'s
    tiles, with "my location" and its answer when `near` is given, in larger type when `large` (大字模式); built
    once per combination and shared."""
    whose = data.current_edition()
    boundary_path = basemaps.BOUNDARY_PATH
    return _export(
        *data.registry_key(),
        filters.key(),
        paper,
        basemap,
        *data.side_file_key(whose.reported_path),
        str(boundary_path),
        data.file_mtime_ns(boundary_path),
        near,
        whose,
        large,
    )
