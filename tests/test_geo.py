"""Tests for servicemap.geo: WGS-84 / GCJ-02 / BD-09 conversions against published reference points, and distances.

All functions take (lat, lon); a marker more than a metre off is something a user would notice on the map.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicemap import geo
from servicemap.urlstate import DEFAULT_RADIUS_M

CENTRE = (39.863782, 116.233965)  # the service centre as loaded (WGS-84)

ONE_METRE = 1.0
ONE_MILLIMETRE = 0.001

# 中国人民抗日战争纪念馆: WGS-84 from the Wikipedia infobox, GCJ-02 as AMap shows the same building.
MUSEUM_WGS84 = (39.852276, 116.225807)
MUSEUM_GCJ02 = (39.853499, 116.231851)

# coordtransform (github.com/wandergis/coordtransform) README: bd09togcj02(116.404, 39.915)
# == [116.39762729119315, 39.90865673957631], written there as lon, lat.
BD09_EXAMPLE = (39.915, 116.404)
BD09_EXAMPLE_AS_GCJ02 = (39.90865673957631, 116.39762729119315)

BEIJING_POINTS = [
    pytest.param((39.9087, 116.3975), id="tiananmen"),
    pytest.param((39.849167, 116.213056), id="lugouqiao"),
    pytest.param((39.852276, 116.225807), id="kangzhan-museum"),
    pytest.param((40.3584, 116.0138), id="badaling"),
    pytest.param((39.5098, 116.4105), id="daxing-airport"),
    pytest.param((40.6326, 117.2350), id="miyun-north"),
]

OUTSIDE_CHINA = [
    pytest.param((35.6762, 139.6503), id="tokyo"),
    pytest.param((51.5074, -0.1278), id="london"),
    pytest.param((-33.8688, 151.2093), id="sydney"),
    pytest.param((40.7128, -74.0060), id="new-york"),
    pytest.param((-23.5505, -46.6333), id="sao-paulo"),
]


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geo.distance_m(a[0], a[1], b[0], b[1])


# --- reference points -------------------------------------------------------------------------------


def test_museum_wgs84_to_gcj02_matches_reference() -> None:
    assert metres_between(geo.wgs84_to_gcj02(*MUSEUM_WGS84), MUSEUM_GCJ02) < ONE_METRE


def test_museum_gcj02_to_wgs84_matches_reference() -> None:
    assert metres_between(geo.gcj02_to_wgs84(*MUSEUM_GCJ02), MUSEUM_WGS84) < ONE_METRE


def test_bd09_to_gcj02_matches_coordtransform_example() -> None:
    assert metres_between(geo.bd09_to_gcj02(*BD09_EXAMPLE), BD09_EXAMPLE_AS_GCJ02) < ONE_METRE


def test_gcj02_to_bd09_matches_coordtransform_example() -> None:
    assert metres_between(geo.gcj02_to_bd09(*BD09_EXAMPLE_AS_GCJ02), BD09_EXAMPLE) < ONE_METRE


def test_argument_order_is_lat_lon() -> None:
    """Swapping the arguments would put the museum in the Indian Ocean; the result stays near Beijing."""
    lat, lon = geo.wgs84_to_gcj02(*MUSEUM_WGS84)
    assert 39 < lat < 41 and 115 < lon < 118
    lat, lon = geo.bd09_to_gcj02(*BD09_EXAMPLE)
    assert 39 < lat < 41 and 115 < lon < 118


def test_gcj02_shift_in_beijing_is_hundreds_of_metres() -> None:
    # The obfuscation moves Beijing points by roughly half a kilometre: large enough that forgetting
    # to convert is visible, which is why the registry converts on load.
    shift = metres_between(geo.wgs84_to_gcj02(*MUSEUM_WGS84), MUSEUM_WGS84)
    assert 400 < shift < 700


def test_bd09_adds_a_further_shift_on_top_of_gcj02() -> None:
    shift = metres_between(geo.wgs84_to_bd09(*MUSEUM_WGS84), geo.wgs84_to_gcj02(*MUSEUM_WGS84))
    assert 500 < shift < 1500


# --- round trips ------------------------------------------------------------------------------------


@pytest.mark.parametrize("point", BEIJING_POINTS)
def test_wgs84_gcj02_round_trip_is_exact(point: tuple[float, float]) -> None:
    assert metres_between(geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(*point)), point) < ONE_MILLIMETRE
    assert metres_between(geo.wgs84_to_gcj02(*geo.gcj02_to_wgs84(*point)), point) < ONE_MILLIMETRE


@pytest.mark.parametrize("point", BEIJING_POINTS)
def test_gcj02_bd09_round_trip_is_exact(point: tuple[float, float]) -> None:
    assert metres_between(geo.bd09_to_gcj02(*geo.gcj02_to_bd09(*point)), point) < ONE_MILLIMETRE
    assert metres_between(geo.gcj02_to_bd09(*geo.bd09_to_gcj02(*point)), point) < ONE_MILLIMETRE


@pytest.mark.parametrize("point", BEIJING_POINTS)
def test_wgs84_bd09_round_trip_is_exact(point: tuple[float, float]) -> None:
    assert metres_between(geo.bd09_to_wgs84(*geo.wgs84_to_bd09(*point)), point) < ONE_MILLIMETRE


@pytest.mark.parametrize(
    ("forward", "inverse"),
    [(geo.wgs84_to_gcj02, geo.gcj02_to_wgs84), (geo.wgs84_to_bd09, geo.bd09_to_wgs84)],
    ids=["gcj02", "bd09"],
)
@given(
    lat=st.floats(min_value=39.0, max_value=41.5, allow_nan=False, allow_infinity=False),
    lon=st.floats(min_value=115.0, max_value=118.0, allow_nan=False, allow_infinity=False),
)
def test_inverse_undoes_forward_anywhere_around_beijing(forward, inverse, lat: float, lon: float) -> None:  # noqa: ANN001
    back_lat, back_lon = inverse(*forward(lat, lon))
    assert abs(back_lat - lat) < 1e-7
    assert abs(back_lon - lon) < 1e-7


# --- outside China ----------------------------------------------------------------------------------


@pytest.mark.parametrize("point", OUTSIDE_CHINA)
def test_points_outside_china_are_not_shifted(point: tuple[float, float]) -> None:
    assert geo.wgs84_to_gcj02(*point) == point
    assert geo.gcj02_to_wgs84(*point) == point
    assert geo.to_wgs84(*point, "GCJ02") == point


# --- to_wgs84 dispatch ------------------------------------------------------------------------------


def test_to_wgs84_dispatches_on_crs_code() -> None:
    assert geo.to_wgs84(*MUSEUM_WGS84, "WGS84") == MUSEUM_WGS84
    assert geo.to_wgs84(*MUSEUM_GCJ02, "GCJ02") == geo.gcj02_to_wgs84(*MUSEUM_GCJ02)
    assert geo.to_wgs84(*BD09_EXAMPLE, "BD09") == geo.bd09_to_wgs84(*BD09_EXAMPLE)


@pytest.mark.parametrize("crs", ["wgs84", "EPSG:4326", ""])
def test_to_wgs84_rejects_unknown_crs(crs: str) -> None:
    with pytest.raises(ValueError, match="unknown coordinate system"):
        geo.to_wgs84(*MUSEUM_WGS84, crs)


# --- distances --------------------------------------------------------------------------------------

# With the IUGG mean radius R = 6 371 008.8 m, one degree of a great circle is R * pi / 180 = 111 195.08 m.
ONE_DEGREE_OF_ARC_M = 6_371_008.8 * math.pi / 180


def test_one_degree_of_latitude() -> None:
    assert geo.distance_m(39.0, 116.0, 40.0, 116.0) == pytest.approx(111_195.08, abs=0.01)
    assert geo.distance_m(39.0, 116.0, 40.0, 116.0) == pytest.approx(ONE_DEGREE_OF_ARC_M, abs=1e-6)


def test_one_degree_of_longitude_shrinks_with_latitude() -> None:
    assert geo.distance_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(ONE_DEGREE_OF_ARC_M, abs=1e-6)
    # Along the 60th parallel a degree of longitude is R*cos(60 deg)*pi/180 = 55 597.54 m; the great
    # circle between the two points is a little shorter (55 597.01 m).
    assert geo.distance_m(60.0, 0.0, 60.0, 1.0) == pytest.approx(55_597.0, abs=0.5)


def test_tiananmen_to_lugouqiao() -> None:
    # Independent check with the spherical law of cosines on the same radius:
    #   d = R * acos(sin(phi1) sin(phi2) + cos(phi1) cos(phi2) cos(d_lambda))
    # phi1 = 39.9087, phi2 = 39.849167, d_lambda = 116.213056 - 116.3975 = -0.184444 degrees gives
    # d = 17 074.31 m. The flat-earth estimate agrees: north-south 0.059533 deg * 111 195 m = 6 620 m,
    # east-west 0.184444 deg * 111 195 m * cos(39.879 deg) = 15 737 m, sqrt(6620^2 + 15737^2) = 17 074 m.
    distance = geo.distance_m(39.9087, 116.3975, 39.849167, 116.213056)
    assert distance == pytest.approx(17_074.31, abs=0.05)
    assert 16_500 < distance < 17_500


def test_distance_is_symmetric_and_zero_to_itself() -> None:
    a, b = (39.9087, 116.3975), MUSEUM_WGS84
    assert metres_between(a, b) == pytest.approx(metres_between(b, a), abs=1e-9)
    assert metres_between(a, a) == 0.0


def test_half_way_round_the_earth() -> None:
    assert geo.distance_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * 6_371_008.8, abs=1e-3)
    assert geo.distance_m(90.0, 0.0, -90.0, 0.0) == pytest.approx(math.pi * 6_371_008.8, abs=1e-3)


def test_default_walking_radius_is_about_a_kilometre_in_15_minutes():
    assert geo.walking_radius_m() == pytest.approx(1005)
    assert geo.walking_radius_m(10, 60) == 600
    assert DEFAULT_RADIUS_M == 1005


def test_distances_against_known_values():
    # One degree of latitude is 111.19 km on the mean-radius sphere; 0.01 degree 1,111.9 m.
    assert geo.distances_m(39.0, 116.0, [40.0], [116.0])[0] == pytest.approx(111_195, rel=1e-4)
    assert geo.distances_m(39.86, 116.23, [39.87], [116.23])[0] == pytest.approx(1111.95, rel=1e-4)
    # Along a parallel the metre per degree shrinks with cos(latitude).
    expected = 111_195 * 0.01 * math.cos(math.radians(39.86))
    assert geo.distances_m(39.86, 116.23, [39.86], [116.24])[0] == pytest.approx(expected, rel=1e-3)
    # The vectorised form agrees with the scalar one.
    assert geo.distances_m(*CENTRE, [39.852276], [116.225807])[0] == pytest.approx(
        geo.distance_m(*CENTRE, 39.852276, 116.225807)
    )


def test_within_reach_matches_brute_force():
    rng = np.random.default_rng(7)
    lats, lons = rng.uniform(39.8, 39.9, 2000), rng.uniform(116.2, 116.3, 2000)
    centres = rng.integers(0, 2000, 40)
    fast = geo.within_reach(lats, lons, lats[centres], lons[centres], 800)
    slow = np.array(
        [geo.distances_m(a, b, lats[centres], lons[centres]).min() <= 800 for a, b in zip(lats, lons, strict=True)]
    )
    assert (fast == slow).all()


def test_within_reach_matches_brute_force_on_a_registry_that_spans_latitudes():
    """The grid's cells were sized at the registry's mean latitude: narrower in metres farther north, so a
    pair just under the radius apart east-west near the north end fell two cells apart and was missed."""
    rng = np.random.default_rng(11)
    # Most sites in the south, some far north (at 55°N a degree of longitude is 0.7 of its length at 30°N).
    lats = np.concatenate([rng.uniform(30.0, 31.0, 2000), rng.uniform(55.0, 55.02, 400)])
    lons = rng.uniform(116.0, 116.2, lats.size)
    centres = rng.integers(2000, lats.size, 60)
    fast = geo.within_reach(lats, lons, lats[centres], lons[centres], 1000)
    slow = np.array(
        [geo.distances_m(a, b, lats[centres], lons[centres]).min() <= 1000 for a, b in zip(lats, lons, strict=True)]
    )
    assert (fast == slow).all(), np.flatnonzero(fast != slow)
