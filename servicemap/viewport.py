"""Where the map looks: a view (centre and zoom) as the share link carries it, and the views the dashboard picks
for a site, for "my location" with its walking circle, and for a registry's own sites. Pure arithmetic on Web
Mercator, sized for a phone's map, the smallest the dashboard is read on. No folium here."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from servicemap.geo import METRES_PER_DEGREE


@dataclass(frozen=True)
class View:
    """A map view as the share link carries it: centre in WGS-84 and a zoom level."""

    lat: float
    lon: float
    zoom: int


# Centre between the Lugouqiao service centre and the district's eastern sites, wide enough for all.
DEFAULT_VIEW = View(39.845, 116.285, 12)
NEAR_ZOOM = 14  # "my location" with a 15-minute walking circle (about 2 km across) and its surroundings
MIN_ZOOM, MAX_ZOOM = 3, 19
# How close the map goes when the reader picks a site: street level for an exact position, but an
# approximate one (a street's or an area's centre, off by up to a kilometre or two) keeps its surroundings.
FLY_TO_ZOOM = {"exact": 15, "street": 14, "area": 13}


def fly_to_zoom(precision: str, current_zoom: int | None) -> int:
    """How close the map goes to a picked site: by its position's precision, or closer still for an exact
    position if the reader was already closer."""
    zoom = FLY_TO_ZOOM.get(precision, FLY_TO_ZOOM["area"])
    return max(current_zoom or 0, zoom) if precision == "exact" else zoom


# A phone's map less room at its edges for a pin (and one moved aside beside it) and the notes along the
# bottom: a view that fits here fits every screen the dashboard is read on. At 340 x 420 the nearest meal
# point sat in a 150%-zoomed map's corner, under the notes.
FIT_WIDTH_PX, FIT_HEIGHT_PX = 280, 360
_METRES_PER_PIXEL_AT_ZOOM_0 = 156_543.03  # Web Mercator, at the equator


def view_around(near: tuple[float, float], radius_m: float, also: tuple[tuple[float, float], ...] = ()) -> View:
    """A view of "my location" with its walking circle and the `also` points (the nearest meal point),
    at the closest zoom (no closer than NEAR_ZOOM) that holds them all on a phone-sized map."""
    (south, west), (north, east) = reach_bounds(near, radius_m, also)
    return _view_holding(south, west, north, east, NEAR_ZOOM)


def view_showing(view: View, lat: float, lon: float) -> View:
    """`view`, or at the same zoom centred on the point (lat, lon) when a phone-sized map of `view` would not
    show it. A shared link names a site and a view; on a phone the site's popup had slid the map 15 km north
    to make room, and the link opened on an empty map with the site under its bottom edge, popup closed."""
    metres_per_pixel = _METRES_PER_PIXEL_AT_ZOOM_0 * math.cos(math.radians(view.lat)) / 2**view.zoom
    across_px = abs(lon - view.lon) * METRES_PER_DEGREE * math.cos(math.radians(view.lat)) / metres_per_pixel
    down_px = abs(lat - view.lat) * METRES_PER_DEGREE / metres_per_pixel
    if across_px <= FIT_WIDTH_PX / 2 and down_px <= FIT_HEIGHT_PX / 2:
        return view
    return View(round(lat, 5), round(lon, 5), view.zoom)


# An office's registry opens on its own sites, no closer than this: a street, with its surroundings.
REGISTRY_ZOOM = 14


def view_of_sites(sites: pd.DataFrame) -> View:
    """The view that holds every placed site of `sites` (WGS-84) on a phone-sized map, no closer than
    REGISTRY_ZOOM; DEFAULT_VIEW when none is placed. Another office's registry opens here: on the district
    view its street's sites were a small cluster, and a registry beyond Fengtai opened on none."""
    placed = sites.dropna(subset=["lat", "lon"])
    if placed.empty:
        return DEFAULT_VIEW
    return _view_holding(
        float(placed["lat"].min()),
        float(placed["lon"].min()),
        float(placed["lat"].max()),
        float(placed["lon"].max()),
        REGISTRY_ZOOM,
    )


def _view_holding(south: float, west: float, north: float, east: float, closest_zoom: int) -> View:
    """The closest zoom, up to `closest_zoom`, at which the box fits a phone-sized map, about its centre."""
    centre_lat, centre_lon = (south + north) / 2, (west + east) / 2
    height_m = (north - south) * METRES_PER_DEGREE
    width_m = (east - west) * METRES_PER_DEGREE * math.cos(math.radians(centre_lat))
    zoom = closest_zoom
    while zoom > MIN_ZOOM:
        metres_per_pixel = _METRES_PER_PIXEL_AT_ZOOM_0 * math.cos(math.radians(centre_lat)) / 2**zoom
        if width_m <= FIT_WIDTH_PX * metres_per_pixel and height_m <= FIT_HEIGHT_PX * metres_per_pixel:
            break
        zoom -= 1
    return View(round(centre_lat, 5), round(centre_lon, 5), zoom)


def reach_bounds(point: tuple[float, float], radius_m: float, also: tuple[tuple[float, float], ...] = ()) -> list:
    """South-west and north-east corners around a walking circle and the `also` points (same system)."""
    lat, lon = point
    dlat = radius_m / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    lats = [lat - dlat, lat + dlat, *(p[0] for p in also)]
    lons = [lon - dlon, lon + dlon, *(p[1] for p in also)]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
