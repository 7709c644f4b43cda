"""Coordinate systems used in China (WGS-84, GCJ-02, BD-09) and great-circle distances.

GCJ-02 is WGS-84 shifted by a published obfuscation formula; BD-09 is GCJ-02 shifted again by Baidu.
The forward formulas below are the widely reproduced public ones (e.g. the MIT-licensed
eviltransform and coordtransform projects); the inverses are solved by fixed-point iteration so a
round trip is exact to well under a millimetre instead of the ~1-2 m of the one-step approximation.
"""

from __future__ import annotations

import math

import numpy as np

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula.
_SEMI_MAJOR_AXIS = 6378245.0
_ECCENTRICITY_SQUARED = 0.00669342162296594323
_BD_FACTOR = math.pi * 3000.0 / 180.0
_EARTH_RADIUS_M = 6371008.8  # mean radius (IUGG), for haversine distances
METRES_PER_DEGREE = 2 * math.pi * _EARTH_RADIUS_M / 360  # of latitude; of longitude times cos(latitude)

# GCJ-02 is only applied inside China; outside this box the systems coincide.
_CHINA_BOUNDS = (0.8293, 55.8271, 72.004, 137.8347)  # min lat, max lat, min lon, max lon


def _outside_china(lat: float, lon: float) -> bool:
    min_lat, max_lat, min_lon, max_lon = _CHINA_BOUNDS
    return not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon)


def _lat_shift(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _lon_shift(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 (GPS, OpenStreetMap) to GCJ-02 (AMap, Tencent)."""
    if _outside_china(lat, lon):
        return lat, lon
    d_lat = _lat_shift(lon - 105.0, lat - 35.0)
    d_lon = _lon_shift(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _ECCENTRICITY_SQUARED * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_SEMI_MAJOR_AXIS * (1 - _ECCENTRICITY_SQUARED)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_SEMI_MAJOR_AXIS / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 to WGS-84, iterated until the forward transform reproduces the input to ~1e-9 degrees."""
    if _outside_china(lat, lon):
        return lat, lon
    guess_lat, guess_lon = lat, lon
    for _ in range(30):
        fwd_lat, fwd_lon = wgs84_to_gcj02(guess_lat, guess_lon)
        err_lat, err_lon = fwd_lat - lat, fwd_lon - lon
        if abs(err_lat) < 1e-10 and abs(err_lon) < 1e-10:
            break
        guess_lat, guess_lon = guess_lat - err_lat, guess_lon - err_lon
    return guess_lat, guess_lon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 to BD-09 (Baidu)."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _BD_FACTOR)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _BD_FACTOR)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 to GCJ-02, iterated so that gcj02_to_bd09 reproduces the input."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _BD_FACTOR)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _BD_FACTOR)
    guess_lat, guess_lon = z * math.sin(theta), z * math.cos(theta)
    for _ in range(10):
        fwd_lat, fwd_lon = gcj02_to_bd09(guess_lat, guess_lon)
        err_lat, err_lon = fwd_lat - lat, fwd_lon - lon
        if abs(err_lat) < 1e-10 and abs(err_lon) < 1e-10:
            break
        guess_lat, guess_lon = guess_lat - err_lat, guess_lon - err_lon
    return guess_lat, guess_lon


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))


def to_wgs84(lat: float, lon: float, crs: str) -> tuple[float, float]:
    """Convert a point taken in `crs` (WGS84, GCJ02 or BD09) to WGS-84."""
    if crs == "WGS84":
        return lat, lon
    if crs == "GCJ02":
        return gcj02_to_wgs84(lat, lon)
    if crs == "BD09":
        return bd09_to_wgs84(lat, lon)
    raise ValueError(f"unknown coordinate system: {crs!r}")


def _haversine_m(lat1, lon1, lat2, lon2):  # noqa: ANN001, ANN202 - floats or numpy arrays, broadcast together
    """Great-circle distance in metres on the mean-radius sphere: the one formula every distance here uses."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    d_lambda = np.radians(np.subtract(lon2, lon1))
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2) ** 2
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (straight-line) distance in metres."""
    return float(_haversine_m(lat1, lon1, lat2, lon2))


# Older adults walk about 1 km in 15 minutes (roughly 4 km/h); the planners' "15-minute circle".
DEFAULT_WALK_MINUTES = 15
DEFAULT_WALK_SPEED_M_PER_MIN = 67


def walking_radius_m(
    minutes: float = DEFAULT_WALK_MINUTES, speed_m_per_min: float = DEFAULT_WALK_SPEED_M_PER_MIN
) -> float:
    """Straight-line radius reachable on foot: speed x time (streets make real walks longer)."""
    return float(minutes) * float(speed_m_per_min)


# What the 我附近 panel offers: whole minutes and whole metres a minute.
WALK_MINUTES_RANGE = (1, 60)
WALK_SPEED_RANGE = (20, 120)


def walk_settings_for_radius(radius_m: int) -> tuple[int, int]:
    """The walking time and speed, within the panel's ranges, whose product comes nearest `radius_m`, the
    default speed and time preferred among equals: a link carries only the radius, and the panel must show
    one that gives it back (1005 m is 15 minutes at 67 m/min; 3000 m is 50 minutes at 60 m/min)."""
    candidates = []
    for minutes in range(WALK_MINUTES_RANGE[0], WALK_MINUTES_RANGE[1] + 1):
        speed = min(max(round(radius_m / minutes), WALK_SPEED_RANGE[0]), WALK_SPEED_RANGE[1])
        miss = abs(minutes * speed - radius_m)
        candidates.append(
            (miss, abs(speed - DEFAULT_WALK_SPEED_M_PER_MIN), abs(minutes - DEFAULT_WALK_MINUTES), minutes, speed)
        )
    *_, minutes, speed = min(candidates)
    return minutes, speed


def distances_m(lat: float, lon: float, lats, lons):  # noqa: ANN001, ANN201 - numpy arrays in, array out
    """Great-circle distances in metres from one point to many."""
    return _haversine_m(lat, lon, np.asarray(lats, dtype="float64"), np.asarray(lons, dtype="float64"))


def within_reach(lats, lons, centre_lats, centre_lons, radius_m: float):  # noqa: ANN001, ANN201
    """For each point, whether any centre lies within radius_m of it.

    Points and centres are bucketed into a grid of radius-sized cells, so only neighbouring cells are
    compared: fine for 100,000 points and thousands of centres.
    """
    lats = np.asarray(lats, dtype="float64")
    lons = np.asarray(lons, dtype="float64")
    reached = np.zeros(lats.shape, dtype=bool)
    centre_lats = np.asarray(centre_lats, dtype="float64")
    centre_lons = np.asarray(centre_lons, dtype="float64")
    if lats.size == 0 or centre_lats.size == 0 or radius_m <= 0:
        return reached
    cell_lat = radius_m / METRES_PER_DEGREE
    # A cell is at least the radius wide everywhere: its width in degrees of longitude is set where a degree
    # is shortest, at the latitude farthest from the equator (at the mean latitude a pair 995 m apart at the
    # north end of a registry spanning 39-41.5°N fell two cells apart and was missed for a 1 km radius).
    farthest_lat = max(float(np.max(np.abs(lats))), float(np.max(np.abs(centre_lats))))
    cell_lon = cell_lat / max(math.cos(math.radians(farthest_lat)), 0.1)
    point_cells: dict[tuple[int, int], np.ndarray] = {}
    rows = np.floor(lats / cell_lat).astype(np.int64)
    cols = np.floor(lons / cell_lon).astype(np.int64)
    order = np.lexsort((cols, rows))
    keys = np.stack([rows[order], cols[order]], axis=1)
    boundaries = np.flatnonzero(np.any(np.diff(keys, axis=0) != 0, axis=1)) + 1
    for group in np.split(order, boundaries):
        point_cells[(int(rows[group[0]]), int(cols[group[0]]))] = group
    centre_cells: dict[tuple[int, int], list[int]] = {}
    for index, (c_lat, c_lon) in enumerate(zip(centre_lats, centre_lons, strict=True)):
        centre_cells.setdefault((math.floor(c_lat / cell_lat), math.floor(c_lon / cell_lon)), []).append(index)
    for (row, col), members in centre_cells.items():
        nearby = [
            point_cells[(row + dr, col + dc)]
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            if (row + dr, col + dc) in point_cells
        ]
        if not nearby:
            continue
        candidates = np.concatenate(nearby)
        candidates = candidates[~reached[candidates]]
        if candidates.size == 0:
            continue
        # Every centre of this cell against every nearby point at once (members x candidates).
        metres = _haversine_m(
            centre_lats[members][:, None],
            centre_lons[members][:, None],
            lats[candidates][None, :],
            lons[candidates][None, :],
        )
        close = (metres <= radius_m).any(axis=0)
        reached[candidates[close]] = True
    return reached
