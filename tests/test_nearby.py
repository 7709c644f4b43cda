"""Near me: nearest-first order, meal coverage and its doubt, the gazetteer, and the answers in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from servicemap import geo, nearby, nearby_text

CENTRE = (39.863782, 116.233965)  # the service centre as loaded (WGS-84)


def test_nearest_sites_come_nearest_first(shipped_sites):
    found = nearby.nearest(shipped_sites, *CENTRE)
    assert list(found["distance_m"]) == sorted(found["distance_m"])
    assert set(found.iloc[:2]["id"]) == {"lgq-care-center", "lgq-health-center-2"}
    assert found.iloc[2]["id"] == "uf-kangzhan-museum"  # about 1.5 km away
    assert found.iloc[2]["distance_m"] == pytest.approx(geo.distance_m(*CENTRE, 39.852276, 116.225807))
    assert found["lat"].notna().all()  # sites without a position never appear in a distance list
    assert len(nearby.nearest(shipped_sites, *CENTRE, limit=3)) == 3


def test_nearest_respects_the_filter(shipped_sites):
    meal_only = shipped_sites[shipped_sites["meal_service"] == "yes"]
    assert list(nearby.nearest(meal_only, 39.85, 116.22)["id"]) == ["lgq-care-center"]
    assert nearby.nearest(shipped_sites.iloc[0:0], *CENTRE).empty


def test_meal_coverage_counts_places_within_reach(shipped_sites):
    coverage = nearby.meal_coverage(shipped_sites, 1005)
    assert coverage.meal_points == 1
    assert coverage.places == int(shipped_sites["lat"].notna().sum())
    assert coverage.reached == 2  # the centre itself and its next-door health centre
    assert nearby.meal_coverage(shipped_sites, 2000).reached == 3  # the museum is 1.5 km away


def _sites(rows: list[tuple[str, float, float, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "lat", "lon", "precision", "meal_service"])


METRE_LAT = 1 / 111_195  # degrees of latitude per metre on the mean-radius sphere


def test_meal_coverage_says_which_answers_rough_positions_leave_unsure():
    meal = ("meal", 39.86, 116.23, "exact", "yes")
    sites = _sites(
        [
            meal,
            ("exact-500", 39.86 + 500 * METRE_LAT, 116.23, "exact", "no"),  # surely in
            ("street-800", 39.86 + 800 * METRE_LAT, 116.23, "street", "no"),  # marked in, may be out
            ("street-1500", 39.86 - 1500 * METRE_LAT, 116.23, "street", "no"),  # marked out, may be in
            ("area-3500", 39.86 - 3500 * METRE_LAT, 116.23, "area", "no"),  # surely out: 2.5 km past the edge
        ]
    )
    coverage = nearby.meal_coverage(sites, 1000)
    assert (coverage.places, coverage.reached, coverage.meal_points) == (5, 3, 1)
    assert (coverage.doubtful_in, coverage.doubtful_out) == (1, 1)
    doubt = nearby_text.coverage_doubt_text(coverage)
    assert doubt == "按标注位置，圈内 3 处中有 1 处、圈外 2 处中有 1 处说不准：位置近似，实际可能在另一侧。"
    # A rough meal point makes every neighbour unsure, but never itself: it serves its own meals.
    rough_meal = nearby.meal_coverage(sites.replace({"precision": {"exact": "area"}}), 1000)
    assert rough_meal.reached == 3 and rough_meal.doubtful_in == 2 and rough_meal.doubtful_out == 2
    exact_only = nearby.meal_coverage(sites.iloc[:2], 1000)
    assert (exact_only.doubtful_in, exact_only.doubtful_out) == (0, 0)
    assert nearby_text.coverage_doubt_text(exact_only) == ""


def test_meal_coverage_doubt_agrees_with_the_near_me_list():
    """Site by site, the coverage count's 说不准 is what `in_circle` says against every meal point."""
    rng = np.random.default_rng(11)
    count = 300
    sites = _sites(
        [
            (f"s{i}", lat, lon, precision, meal)
            for i, (lat, lon, precision, meal) in enumerate(
                zip(
                    rng.uniform(39.82, 39.9, count),
                    rng.uniform(116.18, 116.28, count),
                    rng.choice(["exact", "street", "area"], count),
                    rng.choice(["yes", "no", "no", "no", "no"], count),
                    strict=True,
                )
            )
        ]
    )
    coverage = nearby.meal_coverage(sites, 1200)
    meal = sites[sites["meal_service"] == "yes"]
    doubtful_in = doubtful_out = 0
    for site in sites.itertuples():
        metres = geo.distances_m(site.lat, site.lon, meal["lat"].to_numpy(), meal["lon"].to_numpy())
        verdicts = [
            nearby.in_circle(d, 1200, site.precision, p) for d, p in zip(metres, meal["precision"], strict=True)
        ]
        surely = site.meal_service == "yes" or True in verdicts
        if not surely and None in verdicts:
            if metres.min() <= 1200:
                doubtful_in += 1
            else:
                doubtful_out += 1
    assert (coverage.doubtful_in, coverage.doubtful_out) == (doubtful_in, doubtful_out)
    assert doubtful_in and doubtful_out  # the random sites do test both sides


def test_gazetteer_places_come_from_the_sources():
    places = nearby.load_gazetteer()
    names = [p.label for p in places]
    assert "卢沟桥（古桥）" in names and all(p.source for p in places)
    bridge = next(p for p in places if p.label == "卢沟桥（古桥）")
    assert (bridge.lat, bridge.lon) == (39.849167, 116.213056)
    assert all("大瓦窑" not in name for name in names)  # the article gives no position for it
    # Residents say they live in 宛平城, and typing 宛平 found nothing: it is there, at the museum inside it.
    wanping = next(p for p in places if p.label.startswith("宛平城"))
    assert (wanping.lat, wanping.lon, wanping.precision) == (39.852276, 116.225807, "exact")


def test_nearest_meal_point_is_the_closest_site_serving_meals(shipped_sites):
    bridge = (39.84917, 116.21306)
    point = nearby.nearest_meal_point(shipped_sites, *bridge)
    meal = shipped_sites.loc[(shipped_sites["meal_service"] == "yes") & shipped_sites["lat"].notna()]
    assert point.name in set(meal["name"])
    assert point.metres == pytest.approx(nearby.nearest(meal, *bridge)["distance_m"].iloc[0])
    assert point.precision == "area"  # the service centre's position is approximate, and the page says so
    assert nearby.nearest_meal_point(shipped_sites.loc[shipped_sites["meal_service"] != "yes"], *bridge) is None


def test_in_circle_says_yes_or_no_only_when_the_position_is_good_enough_to_tell():
    assert nearby.in_circle(800, 1000, "exact") is True
    assert nearby.in_circle(1200, 1000, "exact") is False
    assert nearby.in_circle(2400, 1000, "area") is None  # up to 2 km off: could be inside
    assert nearby.in_circle(5000, 1000, "area") is False  # too far for the error to matter
    assert nearby.in_circle(1500, 1000, "street") is None
    assert nearby.in_circle(3000, 1000, "street") is False
    assert nearby.in_circle(1000, 1000, "exact") is True  # on the edge of the circle is in it
    assert nearby.in_circle(1500, 1000, "exact", origin_precision="street") is None  # the origin's error counts


def test_origin_precision_is_that_of_the_place_my_location_was_chosen_from():
    places = [nearby.Place("g:桥", "卢沟桥（近似）", 39.84917, 116.21306, "street", "src")]
    assert nearby.origin_precision(nearby.place_at(places, 39.84917, 116.21306)) == "street"
    # a point put on the map is where it is
    assert nearby.origin_precision(nearby.place_at(places, 39.9, 116.3)) == "exact"
    assert nearby.place_at(places, 39.849174, 116.213056) == places[0]  # "my location" keeps 5 decimals
    assert nearby.place_at(places, 39.9, 116.3) is None


def test_near_me_lists_care_services_and_falls_back_to_every_shown_site(shipped_sites):
    services, left_out = nearby.services_for_near_me(shipped_sites)
    assert set(services["layer"]) == {"elderly_care"} and left_out
    united_front = shipped_sites.loc[shipped_sites["layer"] == "united_front"]
    services, left_out = nearby.services_for_near_me(united_front)  # the care layer switched off
    assert len(services) == len(united_front) and not left_out


def test_every_site_by_distance_placed_nearest_first_then_the_unplaced(shipped_sites):
    ordered = nearby.by_distance(shipped_sites, 39.84917, 116.21306)
    assert sorted(ordered.index) == sorted(shipped_sites.index)  # none lost
    placed = ordered["distance_m"].notna()
    assert placed.sum() == shipped_sites["lat"].notna().sum()
    assert ordered.loc[placed, "distance_m"].is_monotonic_increasing
    assert not placed.iloc[: placed.sum()].eq(False).any()  # the unplaced come last
