"""The cache wrapper: the only place where Streamlit caching meets the registry (ui/files.py builds the
take-away files on top of its keyed lookups, registry_key, sites_for_key, shown_for_key, figures_for_key).

Keys are (path, modification time), so an edited registry file is picked up within a second.
The registry is cached with cache_resource, not cache_data: cache_data would unpickle a fresh copy
for every rerun of every session (tens of milliseconds at city scale); nothing mutates these frames.
"""

from __future__ import annotations

import functools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import streamlit as st

from servicemap import basemaps, edition, mapview, metrics, nearby, sitedata, sitetext, textsafe, viewport, vocab
from servicemap import filters as filtering
from servicemap.registry import (
    COLUMNS,
    DEFAULT_DATA_PATH,
    LoadResult,
    RegistryUnreadable,
    data_path,
    load_registry,
    validate_records,
)
from ui import livemap, publish


@st.cache_resource(show_spinner="正在读取站点登记表…")
def _load(path: str, mtime_ns: int) -> LoadResult | str:
    try:
        return load_registry(path)
    except RegistryUnreadable as exc:
        return str(exc)


def sites_for_key(path: str, mtime_ns: int) -> pd.DataFrame:
    """The registry's valid sites, or an empty table with the same columns if the file is unreadable."""
    loaded = _load(path, mtime_ns)
    return loaded.sites if isinstance(loaded, LoadResult) else validate_records(list(COLUMNS), []).sites


# A rerun asks for the files' modification times about ten times (once per cached lookup), and under load
# each stat waits for the interpreter lock: a tenth of a rerun. So a file is looked at once a second.
MTIME_RECHECK_S = 1.0
_mtimes: dict[str, tuple[float, int]] = {}  # path -> (when looked at, modification time)


def file_mtime_ns(path: Path) -> int:
    """The file's modification time, at most MTIME_RECHECK_S old; 0 if it cannot be read. Raises nothing."""
    now = time.monotonic()
    seen = _mtimes.get(str(path))
    if seen is not None and now - seen[0] < MTIME_RECHECK_S:
        return seen[1]
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        mtime_ns = 0
    _mtimes[str(path)] = (now, mtime_ns)  # one dict assignment: safe between sessions' threads
    return mtime_ns


# A save in a bad state (a title row typed above the header, the columns renamed, every row rejected) took the
# public map down until it was mended: every reader saw the error, or an empty map (adopter review). So the pages
# keep showing the last version of the file that had sites in it, and say that the newest could not be used.
_version_shown: dict[tuple[str, int], int] = {}  # (path, modification time) -> modification time of the one shown
_last_usable: dict[str, int] = {}  # path -> modification time of the last version with sites in it


def _shown_version(path: str, mtime_ns: int) -> int:
    """The modification time of the version of `path` the pages show while the file's is `mtime_ns`: that one, or
    the last usable one before it. Decided once per version: every rerun asks several times."""
    shown = _version_shown.get((path, mtime_ns))
    if shown is None:
        loaded = _load(path, mtime_ns)
        if isinstance(loaded, LoadResult) and len(loaded.sites):
            _last_usable[path] = shown = mtime_ns
        else:
            shown = _last_usable.get(path, mtime_ns)
        _version_shown[(path, mtime_ns)] = shown  # single dict assignments: safe between sessions' threads
    return shown


def registry_key() -> tuple[str, int]:
    """The registry file and the modification time of the version shown: the key every cached lookup on the
    registry takes."""
    path = data_path()
    return str(path), _shown_version(str(path), file_mtime_ns(path))


@dataclass(frozen=True)
class SetAside:
    """The newest version of the registry file, set aside for an older one: why, and when the one shown was saved."""

    problem: str
    shown_saved_at: str  # as the office's clock reads, e.g. 3月1日 14:05


def newest_version_set_aside() -> SetAside | None:
    """Why the registry file as last saved is not the one the pages show, or None when it is."""
    path = data_path()
    newest = file_mtime_ns(path)
    shown = _shown_version(str(path), newest)
    if shown == newest:
        return None
    loaded = _load(str(path), newest)
    if isinstance(loaded, str):
        problem = loaded
    elif loaded.header_problems:  # one column missing, not "21 行都有问题"
        problem = "；".join(issue.message for issue in loaded.header_problems)
    else:
        first = f"，如{loaded.issues[0]}" if loaded.issues else ""
        problem = f"{loaded.total_rows} 行都有问题，没有一行能读入{first}"
    saved = time.localtime(shown / 1e9)
    return SetAside(problem, f"{saved.tm_mon}月{saved.tm_mday}日 {saved.tm_hour:02d}:{saved.tm_min:02d}")


# Several calls a rerun (title, words, side files): a plain memo, a microsecond, where Streamlit's cache took
# about 30 µs a call to hash its arguments. Side files are looked for once, as with the cache.
@functools.lru_cache(maxsize=8)
def _edition(registry_path: str, title: str, edition_name: str, maintainer: str) -> edition.Edition:
    return edition.edition_for(registry_path, title, edition_name, maintainer)


def current_edition() -> edition.Edition:
    """Whose map this is (servicemap/edition.py): its title, words and side files. Looked up once per registry
    and title; side files added beside a registry are seen after a restart."""
    return _edition(
        str(data_path()),
        os.environ.get(edition.TITLE_ENV, ""),
        os.environ.get(edition.EDITION_ENV, ""),
        os.environ.get(edition.MAINTAINER_ENV, ""),
    )


def deployment_notices() -> tuple[str, ...]:
    """The server's settings that name nothing it knows (SERVICEMAP_BASEMAP, SERVICEMAP_EDITION), in words."""
    chosen_basemap, edition_name = (
        os.environ.get(name, "") for name in (basemaps.DEFAULT_BASEMAP_ENV, edition.EDITION_ENV)
    )
    return _deployment_notices(chosen_basemap, edition_name) if chosen_basemap or edition_name else ()


@functools.lru_cache(maxsize=8)  # every rerun asks; the answer changes only with the settings
def _deployment_notices(chosen_basemap: str, edition_name: str) -> tuple[str, ...]:
    notices = [
        basemaps.deployment_default(chosen_basemap, custom_basemap() is not None)[1],
        edition.edition_notice(edition_name, shipped_registry=data_path().resolve() == DEFAULT_DATA_PATH.resolve()),
    ]
    return tuple(notice for notice in notices if notice)


@st.cache_resource(show_spinner=False)
def registered_layers_for_key(path: str, mtime_ns: int) -> frozenset[str]:
    """The layers the registry at (path, mtime_ns) has any site in."""
    return frozenset(sites_for_key(path, mtime_ns)["layer"].astype(str))


def registered_layers() -> frozenset[str]:
    """The layers the registry has any site in: an office's care-only registry has no united-front filters
    or figures to show (they read 统战阵地及平台（0）, 国家级阵地 0, 市级阵地 0)."""
    return registered_layers_for_key(*registry_key())


@st.cache_resource(show_spinner=False)
def _opening_view(path: str, mtime_ns: int, shipped: bool) -> viewport.View:
    return viewport.DEFAULT_VIEW if shipped else viewport.view_of_sites(sites_for_key(path, mtime_ns))


def opening_view() -> viewport.View:
    """Where the map opens without a view in the link: the district for 卢沟桥's registry, another office's
    own sites for its registry."""
    return _opening_view(*registry_key(), current_edition().shipped)


def saved_versions() -> tuple[int, ...]:
    """When the registry and the edition's side files were last saved, as a page compares them to learn of a new
    save (ui/newsave.py); 0 for a file the edition does not have or that cannot be read."""
    whose = current_edition()
    return (
        file_mtime_ns(data_path()),
        side_file_key(whose.reported_path)[1],
        side_file_key(whose.gazetteer_path)[1],
    )


def side_file_key(path: Path | None) -> tuple[str, int]:
    """A side file's cache key, ("", 0) for one the edition does not have."""
    return ("", 0) if path is None else (str(path), file_mtime_ns(path))


def registry() -> tuple[LoadResult | None, str]:
    """The validated registry, or None and the reason the file cannot be read."""
    loaded = _load(*registry_key())
    if isinstance(loaded, str):
        return None, loaded
    return loaded, ""


@dataclass(frozen=True)
class Filtered:
    """Everything the pages derive from one filter combination alone."""

    selection: filtering.Selection
    summary: metrics.Metrics
    layer_masks: list[mapview.LayerMask]  # what the map draws, whatever the basemap
    unplaced: str | pa.Table  # the shown sites without a position: a Markdown table, or Arrow when long


# A short list is one Markdown element, built once: a table element converts its Arrow data to bytes on
# every rerun. A long one (city scale) stays a table that people can scroll and sort.
UNPLACED_MARKDOWN_ROWS = 50


# One entry per filter combination readers use; positions and counts only, so small at city scale too.
# The filters arrive as plain tuples: hashing those for the cache costs a quarter of hashing a dataclass.
@st.cache_resource(show_spinner=False, max_entries=512)
def _selection(path: str, mtime_ns: int, filter_key: tuple) -> filtering.Selection:
    return filtering.select(sites_for_key(path, mtime_ns), filtering.Filters.from_key(filter_key))


@st.cache_resource(show_spinner=False, max_entries=512)
def _filtered(path: str, mtime_ns: int, filter_key: tuple) -> Filtered:
    sites = sites_for_key(path, mtime_ns)
    selection = _selection(path, mtime_ns, filter_key)
    shown = shown_for_key(path, mtime_ns, filter_key)  # the rows are taken once, for this and for the pages
    rows = metrics.unplaced_rows(shown)
    listed = len(rows["名称"]) <= UNPLACED_MARKDOWN_ROWS
    unplaced = textsafe.markdown_table(rows) if listed else pa.Table.from_pydict(rows)
    return Filtered(selection, metrics.compute(shown), mapview.layer_masks(sites, shown), unplaced)


def filtered(filters: filtering.Filters) -> Filtered:
    """The rows `filters` give, every option's count, the summary and the map's masks: computed once per
    filter combination and shared by every session, since most readers look at the same few combinations."""
    return _filtered(*registry_key(), filters.key())


# The shown rows themselves, fewer entries than _filtered: at city scale a frame is megabytes, positions
# are not (about 2 MB per 10,000 rows, so at most ~160 MB at 100,000). Taking the rows again on every
# rerun was the largest single cost of a filter change (a sixth).
@st.cache_resource(show_spinner=False, max_entries=8)
def shown_for_key(path: str, mtime_ns: int, filter_key: tuple) -> pd.DataFrame:
    """The sites a filter combination (Filters.key()) shows, from the registry at (path, mtime_ns)."""
    sites = sites_for_key(path, mtime_ns)
    positions = _selection(path, mtime_ns, filter_key).positions
    return sites if len(positions) == len(sites) else sites.take(positions)


def shown(filters: filtering.Filters) -> pd.DataFrame:
    """The registry rows `filters` give, shared by every session: pages read it and never change it."""
    return shown_for_key(*registry_key(), filters.key())


@st.cache_resource(show_spinner=False, max_entries=64)
def _meal_points_note(path: str, mtime_ns: int, filter_key: tuple, meal_points_only: bool) -> str:
    shown_sites = shown_for_key(path, mtime_ns, filter_key)
    meal_points = shown_sites[shown_sites["meal_service"] == vocab.SERVES_MEALS]
    return sitetext.meal_points_text(meal_points, textsafe.markdown_literal, meal_points_only=meal_points_only)


def meal_points_note(filters: filtering.Filters) -> str:
    """What the empty detail panel says of the meal points `filters` show (sitetext.meal_points_text), Markdown
    with every value escaped; built once per filter combination: at city scale it looks through every row."""
    return _meal_points_note(*registry_key(), filters.key(), filters.meal == vocab.SERVES_MEALS)


@st.cache_resource(show_spinner=False, max_entries=8)
def _near_places(
    path: str, mtime_ns: int, filter_key: tuple, gazetteer_path: str, gazetteer_mtime_ns: int
) -> dict[str, nearby.Place]:
    places = nearby.starting_places(
        shown_for_key(path, mtime_ns, filter_key), _gazetteer(gazetteer_path, gazetteer_mtime_ns)
    )
    return {place.key: place for place in places}


def near_places(filters: filtering.Filters) -> dict[str, nearby.Place]:
    """What a reader can choose as "my location" under `filters` (communities, landmarks, every placed
    shown site), by key; built once per filter combination instead of on every rerun."""
    return _near_places(*registry_key(), filters.key(), *side_file_key(current_edition().gazetteer_path))


# Up to half a second at city scale with rough positions (the doubt takes a search per error size), and
# readers move between a few walking times: computed once per combination, shared.
@st.cache_resource(show_spinner=False, max_entries=64)
def _meal_coverage(path: str, mtime_ns: int, filter_key: tuple, radius_m: int) -> tuple[nearby.Coverage, bool]:
    services, others_left_out = nearby.services_for_near_me(shown_for_key(path, mtime_ns, filter_key))
    return nearby.meal_coverage(services, radius_m), others_left_out


def meal_coverage(filters: filtering.Filters, radius_m: int) -> tuple[nearby.Coverage, bool]:
    """`nearby.meal_coverage` of the services 我附近 lists under `filters` (museums and offices "covered" by a
    canteen meant nothing to readers), and whether other shown sites were left out; shared by every session."""
    return _meal_coverage(*registry_key(), filters.key(), radius_m)


@st.cache_resource(show_spinner=False)
def _streets(path: str, mtime_ns: int) -> list[str]:
    return filtering.street_options(sites_for_key(path, mtime_ns))


def streets() -> list[str]:
    """The streets the registry names, sorted: the street filter's options."""
    return _streets(*registry_key())


@st.cache_resource(show_spinner=False)
def _published(path: str, mtime_ns: int, crs: str, static_base: str) -> tuple[pd.DataFrame, dict]:
    sites = sites_for_key(path, mtime_ns)
    # Markers at one shared position each get their own, so a click tells them apart (served to the browser
    # and matched against here alike).
    displayed = mapview.separate_shared_positions(basemaps.sites_for_display(sites, crs))
    url = publish.write_once("sites", sitedata.dataset_json(displayed), static_base)
    return displayed, ({"url": url} if url else {"data": sitedata.dataset(displayed)})


def published_sites(crs: str) -> tuple[pd.DataFrame, dict]:
    """The whole registry in the basemap's system, and where the browser gets its compact dataset."""
    return _published(*registry_key(), crs, publish.static_base())


@st.cache_resource(show_spinner=False)
def _reported(path: str, mtime_ns: int, registry_path: str, registry_mtime_ns: int) -> list[metrics.ReportedFigure]:
    if not path:  # an edition without reported figures: nothing to set beside its counts
        return []
    sites = sites_for_key(registry_path, registry_mtime_ns)
    return metrics.with_registry_counts(metrics.load_reported(path), sites)


def figures_for_key(
    path: str, mtime_ns: int, registry_path: str, registry_mtime_ns: int
) -> dict[str, metrics.ReportedFigure]:
    """The reported figures at (path, mtime_ns) by key, counted against the registry at its own key."""
    return {f.key: f for f in _reported(path, mtime_ns, registry_path, registry_mtime_ns)}


def reported_by_key() -> dict[str, metrics.ReportedFigure]:
    """The article's figures by key (e.g. fengtai_uf_municipal_sites), with the current registry's counts."""
    return figures_for_key(*side_file_key(current_edition().reported_path), *registry_key())


@st.cache_resource(show_spinner=False)
def _reported_tables(
    path: str, mtime_ns: int, registry_path: str, registry_mtime_ns: int
) -> tuple[pa.Table, tuple[tuple[str, pa.Table], ...]]:
    figures = _reported(path, mtime_ns, registry_path, registry_mtime_ns)
    compared, _ = metrics.reported_rows(figures)
    # Literal text: the page draws these with st.table, which reads every cell as Markdown.
    by_report = tuple(
        (textsafe.markdown_literal(source), pa.Table.from_pylist(textsafe.literal_rows(rows)))
        for source, rows in metrics.other_figures_by_report(figures)
    )
    return pa.Table.from_pylist(textsafe.literal_rows(compared)), by_report


def reported_tables() -> tuple[pa.Table, tuple[tuple[str, pa.Table], ...]]:
    """The reported figures as tables: those with a registry counterpart ("已收录 / 已上图"), and the rest by
    report, each with its source as literal Markdown.

    Arrow tables of literal Markdown text, built once: a DataFrame would be converted to Arrow again on every
    rerun.
    """
    return _reported_tables(*side_file_key(current_edition().reported_path), *registry_key())


@st.cache_resource(show_spinner=False)
def _site_labels(path: str, mtime_ns: int) -> dict[str, int]:
    sites = sites_for_key(path, mtime_ns)
    return dict(zip(sites["id"], sites.index, strict=True))


@st.cache_resource(show_spinner=False)
def _co_located(path: str, mtime_ns: int) -> dict[int, list[int]]:
    return mapview.co_located(sites_for_key(path, mtime_ns))


def co_located(label: int) -> list[int]:
    """Row labels of the other sites drawn at exactly the same position as the site at `label`."""
    return _co_located(*registry_key()).get(label, [])


def site_label(site_id: str) -> int | None:
    """The registry row label of a site id (ids are unique in a valid registry), or None."""
    return _site_labels(*registry_key()).get(site_id)


@st.cache_resource(show_spinner=False)
def _boundary(path: str, mtime_ns: int, crs: str, static_base: str) -> dict:
    geometry = basemaps.geometry_for_display(basemaps.load_boundary(path), crs)
    url = publish.write_once("boundary", json.dumps(geometry, separators=(",", ":")), static_base)
    return {"url": url} if url else {"data": geometry}


def boundary(crs: str) -> dict | None:
    """Where the browser gets the Fengtai boundary, in the basemap's system; None if the file is missing."""
    path = basemaps.BOUNDARY_PATH
    try:
        return _boundary(str(path), path.stat().st_mtime_ns, crs, publish.static_base())
    except (OSError, ValueError, KeyError):
        return None


# One entry per view a session opened with (links carry views), basemap and picking mode; a few KB each.
@st.cache_resource(show_spinner=False, max_entries=128)
def _live_base_map(
    origin: viewport.View,
    basemap: basemaps.Basemap,
    locate: bool,
    boundary_source: dict | None,
    legend_types: tuple[str, ...],
    static_base: str,
    key: str,
) -> livemap.RenderedMap:
    fmap = mapview.build_base_map(
        origin,
        basemap=basemap,
        boundary=boundary_source,
        static_base=static_base,
        legend_types=list(legend_types),
        locate=locate,
    )
    return livemap.render(fmap, key)


def live_base_map(
    origin: viewport.View, basemap: basemaps.Basemap, locate: bool, legend_types: list[str], key: str
) -> livemap.RenderedMap:
    """The live map's frame, rendered once and shared by every session that opened on the same view."""
    return _live_base_map(
        origin, basemap, locate, boundary(basemap.crs), tuple(legend_types), publish.static_base(), key
    )


def default_basemap() -> tuple[str, str | None]:
    """The basemap a link without basemap= opens on (basemaps.deployment_default), and a notice for an
    administrator when SERVICEMAP_BASEMAP names none."""
    return basemaps.deployment_default(os.environ.get(basemaps.DEFAULT_BASEMAP_ENV, ""), custom_basemap() is not None)


def custom_basemap() -> basemaps.Basemap | None:
    """The intranet tile server: environment variables first, then [tiles] in .streamlit/secrets.toml."""
    settings = basemaps.custom_settings_from_env()
    if not settings["url"]:
        try:
            tiles = st.secrets.get("tiles", {})
        except Exception:  # no or malformed secrets.toml: the other basemaps must keep working
            tiles = {}
        settings = {key: str(tiles.get(key, "")) for key in ("url", "attribution", "crs", "subdomains")}
    return basemaps.custom_basemap(settings)


@st.cache_resource(show_spinner=False)
def _gazetteer(path: str, mtime_ns: int) -> list[nearby.Place]:
    return nearby.load_gazetteer(path) if path else []


def gazetteer() -> list[nearby.Place]:
    """The communities and landmarks a reader can choose as "my location"."""
    return _gazetteer(*side_file_key(current_edition().gazetteer_path))


def near_origin(shown: pd.DataFrame, near: tuple[float, float]) -> nearby.Place | None:
    """The community, landmark or shown site "my location" was chosen from, or None for a point put on the map
    or located by the browser (nearby.place_at)."""
    near_sites = mapview.sites_at(shown, *near, tolerance=nearby.PLACE_MATCH_DEG)
    return nearby.place_at(nearby.starting_places(near_sites, gazetteer()), *near)
