"""The share link: app state <-> query string, through an allowlist. Nothing is unpickled or evaluated.

Unknown keys and bad values are dropped and described in `notices`, so the page can say what it ignored.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode, urlsplit, urlunsplit

from servicemap import vocab
from servicemap.basemaps import BASEMAPS, DEFAULT_BASEMAP
from servicemap.filters import DEFAULT_FILTERS, MAX_QUERY_LENGTH, MEAL_CHOICES, Filters
from servicemap.geo import walk_settings_for_radius, walking_radius_m
from servicemap.sitelist import ORDER_CODES
from servicemap.viewport import MAX_ZOOM, MIN_ZOOM, View

KEYS = (
    "layer", "meal", "type", "level", "street", "q", "site", "view", "basemap", "near", "radius", "cover", "large",
    "section", "order",
)  # fmt: skip
# The map page's part below the map: near me (the default), figures and reports, downloads and print.
SECTIONS = ("near", "stats", "keep")
DEFAULT_SECTION = "near"
# 资源清单's order (sitelist.ORDER_CODES): "near" only from "my location", where it is the default and
# "registry" is not offered; without it "registry" is the default. A default is left out of the link.
LIST_ORDERS = tuple(ORDER_CODES.values())
DEFAULT_RADIUS_M = round(walking_radius_m())
MIN_RADIUS_M, MAX_RADIUS_M = 50, 5_000
# What sharing platforms add to a link on their own (WeChat's from=singlemessage&isappinstalled=0, campaign
# tags): passed over without a word. A notice for them made a family's shared link read as broken.
PLATFORM_KEYS = frozenset({"from", "isappinstalled", "nsukey", "scene", "clicktime", "enterid", "fbclid", "gclid"})
PLATFORM_PREFIXES = ("utm_", "share_")
MAX_VALUE_LENGTH = 500  # longer values are refused whole: no real link needs them
MAX_SHOWN_VALUE = 30  # how much of a bad value a notice quotes


@dataclass(frozen=True)
class AppState:
    filters: Filters = DEFAULT_FILTERS
    view: View | None = None
    selected: str | None = None
    basemap: str = DEFAULT_BASEMAP
    near: tuple[float, float] | None = None  # "my location", WGS-84
    radius_m: int = DEFAULT_RADIUS_M  # the walking circle, straight-line metres
    coverage: bool = False  # draw every meal point's walking circle
    large: bool = False  # 大字模式
    section: str = DEFAULT_SECTION  # which part of the map page shows below the map
    order: str = ""  # 资源清单's order, one of LIST_ORDERS; "" for the default (see default_order)


def default_order(near: tuple[float, float] | None) -> str:
    """The list's order when none is chosen: nearest first from "my location", else the registry's."""
    return "registry" if near is None else "near"


@dataclass(frozen=True)
class Decoded:
    state: AppState
    notices: tuple[str, ...] = field(default_factory=tuple)


def decode(
    params: Mapping[str, Sequence[str]],
    *,
    site_ids: Collection[str] = (),
    streets: Collection[str] = (),
    default_basemap: str = DEFAULT_BASEMAP,
) -> Decoded:
    """Read a query string (each key -> all its values) into an AppState, noting what was ignored. A link
    without basemap= opens on `default_basemap`, the server's (basemaps.deployment_default)."""
    notices: list[str] = []
    values: dict[str, str] = {}
    for key, raw_values in params.items():
        if key not in KEYS:
            if key not in PLATFORM_KEYS and not key.startswith(PLATFORM_PREFIXES):
                notices.append(f"无法识别的链接参数「{_shown(key)}」，已忽略")
            continue
        raw_values = list(raw_values)
        if len(raw_values) > 1:
            notices.append(f"链接参数「{key}」出现了 {len(raw_values)} 次，只采用第一个")
        value = raw_values[0] if raw_values else ""
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(f"链接参数「{key}」过长（{len(value)} 个字符），已忽略")
            continue
        values[key] = value

    def codes(key: str, allowed: Collection[str], label: str) -> frozenset[str] | None:
        if key not in values:
            return None
        chosen = [v.strip() for v in values[key].split(",") if v.strip()]
        bad = [v for v in chosen if v not in allowed]
        if bad:
            notices.append(f"链接中的{label}「{_shown(', '.join(bad))}」无法识别，已忽略")
        return frozenset(v for v in chosen if v in allowed)

    def choice(key: str, allowed: Collection[str], default: str, notice: str) -> str:
        """One value out of `allowed`; otherwise the default, and `notice` (with {} for the bad value)."""
        if key not in values:
            return default
        if values[key] in allowed:
            return values[key]
        notices.append(notice.format(_shown(values[key])))
        return default

    filters = DEFAULT_FILTERS
    layers = codes("layer", vocab.LAYERS, "图层")
    if layers is not None:
        filters = replace(filters, layers=layers)
    types = codes("type", vocab.SITE_TYPES, "类型")
    if types is not None:
        filters = replace(filters, types=types)
    levels = codes("level", vocab.LEVELS, "级别")
    if levels is not None:
        filters = replace(filters, levels=levels)
    chosen_streets = codes("street", streets, "街道")
    if chosen_streets is not None:
        filters = replace(filters, streets=chosen_streets)
    if "meal" in values:
        if values["meal"] in MEAL_CHOICES:
            filters = replace(filters, meal=values["meal"])
        else:
            notices.append(f"链接中的助餐筛选「{_shown(values['meal'])}」无效，已按“全部”显示")
    if "q" in values:
        query = values["q"].strip()
        if len(query) > MAX_QUERY_LENGTH:
            notices.append(f"链接中的搜索词过长，只保留前 {MAX_QUERY_LENGTH} 个字")
            query = query[:MAX_QUERY_LENGTH]
        filters = replace(filters, query=query)

    selected = None
    if "site" in values:
        if values["site"] in site_ids:
            selected = values["site"]
        else:
            notices.append(f"链接中的站点「{_shown(values['site'])}」不存在，可能已被删除或改名")

    view = None
    if "view" in values:
        view = parse_view(values["view"])
        if view is None:
            notices.append(f"链接中的地图视图「{_shown(values['view'])}」无效，已显示默认范围")
    basemap = choice("basemap", BASEMAPS, default_basemap, "链接中的底图「{}」无法识别，已改用默认底图")
    near = None
    if "near" in values:
        near = parse_point(values["near"])
        if near is None:
            notices.append(f"链接中的位置「{_shown(values['near'])}」无效，已忽略")
    radius = DEFAULT_RADIUS_M
    if "radius" in values:
        try:
            radius = int(values["radius"])
            if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
                raise ValueError
        except ValueError:
            radius = DEFAULT_RADIUS_M
            notices.append(
                f"链接中的步行半径「{_shown(values['radius'])}」无效"
                f"（应为 {MIN_RADIUS_M}–{MAX_RADIUS_M} 米），已用默认值"
            )
        # The page shows the circle as walking time x speed; a hand-edited radius may be no such product.
        minutes, speed = walk_settings_for_radius(radius)
        if minutes * speed != radius:
            notices.append(
                f"链接中的步行半径「{radius}」米无法由整分钟的步行时间和步速得出，已改为最接近的 {minutes * speed} 米"
                f"（{minutes} 分钟 × {speed} 米/分钟）"
            )
            radius = minutes * speed
    flags = {}
    for key in ("cover", "large"):
        flags[key] = values.get(key, "0") == "1"
        if key in values and values[key] not in ("0", "1"):
            notices.append(f"链接参数「{key}」应为 0 或 1，已忽略")
    section = choice("section", SECTIONS, DEFAULT_SECTION, "链接中的页面部分「{}」无法识别，已显示“我附近”")
    order = choice("order", LIST_ORDERS, "", "链接中的排列顺序「{}」无法识别，已按默认顺序排列")
    if order == "near" and near is None:
        notices.append("链接中的排列顺序“由近到远”要有“我的位置”，已按登记顺序排列")
        order = ""
    elif order == "registry" and near is not None:
        notices.append("有“我的位置”时清单按由近到远排列，链接中的“登记顺序”已忽略")
        order = ""
    if order == default_order(near):
        order = ""
    state = AppState(filters, view, selected, basemap, near, radius, flags["cover"], flags["large"], section, order)
    return Decoded(state, tuple(notices))


def encode(state: AppState, default_basemap: str = DEFAULT_BASEMAP) -> dict[str, str]:
    """The query string for a state; defaults (`default_basemap`, the server's, among them) are left out so
    links stay short."""
    filters = state.filters
    params: dict[str, str] = {}
    if filters.layers != DEFAULT_FILTERS.layers:
        params["layer"] = ",".join(code for code in vocab.LAYERS if code in filters.layers)
    if filters.meal != DEFAULT_FILTERS.meal:
        params["meal"] = filters.meal
    if filters.types:
        params["type"] = ",".join(code for code in vocab.SITE_TYPES if code in filters.types)
    if filters.levels:
        params["level"] = ",".join(code for code in vocab.LEVELS if code in filters.levels)
    if filters.streets:
        params["street"] = ",".join(sorted(filters.streets))
    if filters.query:
        params["q"] = filters.query
    if state.selected:
        params["site"] = state.selected
    if state.view is not None:
        params["view"] = format_view(state.view)
    if state.basemap != default_basemap:
        params["basemap"] = state.basemap
    if state.near is not None:
        params["near"] = f"{state.near[0]:.5f},{state.near[1]:.5f}"
    if state.radius_m != DEFAULT_RADIUS_M:
        params["radius"] = str(state.radius_m)
    if state.coverage:
        params["cover"] = "1"
    if state.large:
        params["large"] = "1"
    if state.section != DEFAULT_SECTION:
        params["section"] = state.section
    if state.order and state.order != default_order(state.near):
        params["order"] = state.order
    return params


def share_link(page_url: str, params: Mapping[str, str]) -> str:
    """The page's address with `params` as its query: what 复制分享链接 offers.

    A bare host gets its "/" back (the page reports http://host:8501 for the root page), and a query
    the page was opened with is replaced, not kept.
    """
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(params), ""))


def format_view(view: View) -> str:
    return f"{view.lat:.5f},{view.lon:.5f},{view.zoom}"


def parse_point(text: str) -> tuple[float, float] | None:
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -85 <= lat <= 85 and -180 <= lon <= 180):
        return None
    return round(lat, 5), round(lon, 5)


def parse_view(text: str) -> View | None:
    parts = text.split(",")
    if len(parts) != 3:
        return None
    try:
        lat, lon, zoom_value = float(parts[0]), float(parts[1]), float(parts[2])
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (lat, lon, zoom_value)):
        return None
    if not (-85 <= lat <= 85 and -180 <= lon <= 180 and zoom_value.is_integer()):
        return None
    zoom = int(zoom_value)
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        return None
    return View(round(lat, 5), round(lon, 5), zoom)


def _shown(value: str) -> str:
    """A bad value as a notice may quote it: short, one line."""
    flat = " ".join(value.split())
    return flat if len(flat) <= MAX_SHOWN_VALUE else flat[:MAX_SHOWN_VALUE] + "…"
