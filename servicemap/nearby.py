"""Near me: the places to start from, the nearest services, meal-service coverage and whether a site is in
the walking circle; the answers in words are servicemap.nearby_text's."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from servicemap import geo, vocab

GAZETTEER_PATH = Path(__file__).resolve().parent.parent / "data" / "gazetteer.csv"
NEAREST_LIMIT = 10


@dataclass(frozen=True)
class Place:
    """A place a reader can start from: a community or landmark from the gazetteer, or a registry site."""

    key: str  # stable, for widgets and links: "g:<name>" or "s:<site id>"
    label: str
    lat: float  # WGS-84
    lon: float
    precision: str
    source: str


def load_gazetteer(path: str | Path = GAZETTEER_PATH) -> list[Place]:
    """Communities and landmarks whose positions the sources give (converted to WGS-84)."""
    places = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            lat, lon = geo.to_wgs84(float(row["lat"]), float(row["lon"]), row["crs"])
            label = vocab.place_label(row["name"], row["precision"])
            places.append(Place(f"g:{row['name']}", label, lat, lon, row["precision"], row["source"]))
    return places


def starting_places(sites: pd.DataFrame, gazetteer: list[Place]) -> list[Place]:
    """Everything a reader can pick as "my location": the gazetteer, then every placed site."""
    placed = sites.loc[sites["lat"].notna()]
    from_sites = [
        Place(
            f"s:{site.id}",
            vocab.place_label(site.name, site.precision),
            float(site.lat),
            float(site.lon),
            site.precision,
            site.source,
        )
        for site in placed.itertuples(index=False)
    ]
    return [*gazetteer, *from_sites]


def services_for_near_me(sites: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """What 我附近 lists: the care services among `sites` (a family asks where care and meals are, and a
    museum nearer than the meal point buried it), or every site if no care service is shown. The flag
    says whether other sites were left out."""
    care = sites.loc[(sites["layer"] == vocab.CARE_LAYER).to_numpy()]
    if care.empty:
        return sites, False
    return care, len(care) < len(sites)


def nearest(sites: pd.DataFrame, lat: float, lon: float, limit: int = NEAREST_LIMIT) -> pd.DataFrame:
    """The placed sites nearest to a point, nearest first, with a `distance_m` column."""
    placed = sites.loc[sites["lat"].notna()]
    if placed.empty:
        return placed.assign(distance_m=pd.Series(dtype="float64"))
    distance = geo.distances_m(lat, lon, placed["lat"].to_numpy(), placed["lon"].to_numpy())
    order = np.argsort(distance, kind="stable")[:limit]
    return placed.iloc[order].assign(distance_m=distance[order])


def by_distance(sites: pd.DataFrame, lat: float, lon: float) -> pd.DataFrame:
    """Every site, the placed ones nearest first and the unplaced after them in registry order, with a
    `distance_m` column (NaN where a site has no position)."""
    placed = nearest(sites, lat, lon, limit=len(sites))
    unplaced = sites.loc[sites["lat"].isna()].assign(distance_m=np.nan)
    return pd.concat([placed, unplaced]) if not unplaced.empty else placed


@dataclass(frozen=True)
class Coverage:
    places: int  # placed sites considered
    reached: int  # of those, within the radius of at least one meal-service point, by the marked positions
    meal_points: int
    # Of `reached` and of the rest, how many the positions are too rough to be sure of (as `in_circle`).
    doubtful_in: int = 0
    doubtful_out: int = 0


def position_error_m(precision: str) -> float:
    """How far off a position of this precision may be, in metres (0 for an exact one)."""
    return vocab.POSITION_ERROR_M.get(precision, vocab.POSITION_ERROR_M["area"])


def placed_meal_points(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites registered as serving meals that have a position: the ones a walking circle is drawn from."""
    return sites.loc[((sites["meal_service"] == vocab.SERVES_MEALS) & sites["lat"].notna()).to_numpy()]


def meal_coverage(sites: pd.DataFrame, radius_m: float) -> Coverage:
    """How many placed sites lie within a walking radius of at least one meal-service point, and for how
    many of them the answer is unsure: by `in_circle`'s rule, a site is surely covered when some meal point
    is nearer than the radius less both positions' errors, and surely not when none is nearer than the
    radius plus them. A meal point always covers itself."""
    placed = sites.loc[sites["lat"].notna()]
    meal = placed_meal_points(placed)
    reached = geo.within_reach(placed["lat"], placed["lon"], meal["lat"], meal["lon"], radius_m)
    surely = placed.index.isin(meal.index)  # a meal point covers itself
    maybe = surely.copy()
    site_error = placed["precision"].map(position_error_m).to_numpy()
    meal_error = meal["precision"].map(position_error_m).to_numpy()
    # One grid search per pair of error sizes (at most 3 x 3), not one per site.
    for error in np.unique(site_error):
        rows = site_error == error
        for centre_error in np.unique(meal_error):
            centres = meal_error == centre_error
            lats, lons = placed["lat"].to_numpy()[rows], placed["lon"].to_numpy()[rows]
            centre_lats, centre_lons = meal["lat"].to_numpy()[centres], meal["lon"].to_numpy()[centres]
            doubt = error + centre_error
            surely[rows] |= geo.within_reach(lats, lons, centre_lats, centre_lons, radius_m - doubt)
            maybe[rows] |= geo.within_reach(lats, lons, centre_lats, centre_lons, radius_m + doubt)
    unsure = maybe & ~surely
    return Coverage(
        len(placed), int(reached.sum()), len(meal), int((unsure & reached).sum()), int((unsure & ~reached).sum())
    )


@dataclass(frozen=True)
class MealPoint:
    name: str
    metres: float  # straight line
    precision: str  # of the site's position: an approximate one makes the distance approximate too
    address: str = ""
    lat: float = 0.0
    lon: float = 0.0
    hours: str = ""
    phone: str = ""
    description: str = ""  # what the source says of it: prices, who may eat there, delivery
    source: str = ""  # where its facts come from (the registry's `source`)


def nearest_meal_point(sites: pd.DataFrame, lat: float, lon: float) -> MealPoint | None:
    """The nearest placed site registered as serving meals, or None."""
    found = nearest(placed_meal_points(sites), lat, lon, limit=1)
    if found.empty:
        return None
    first = found.iloc[0]
    return MealPoint(
        name=str(first["name"]), metres=float(first["distance_m"]), precision=str(first["precision"]),
        address=str(first["address"]), lat=float(first["lat"]), lon=float(first["lon"]),
        hours=str(first["hours"]), phone=str(first["phone"]), description=str(first["description"]),
        source=str(first["source"]),
    )  # fmt: skip


# A point tapped on the map or given by the browser is kept to 3 decimals, about 100 m: it is often the
# reader's home, and it travels in every link shared.
TAPPED_DECIMALS = 3
PLACE_MATCH_DEG = 1e-5  # "my location" is kept to 5 decimals: a place within this is the one it came from


def place_at(places: Iterable[Place], lat: float, lon: float) -> Place | None:
    """The place "my location" was chosen from, or None for a point put on the map or located."""
    return next((p for p in places if abs(p.lat - lat) < PLACE_MATCH_DEG and abs(p.lon - lon) < PLACE_MATCH_DEG), None)


def origin_precision(origin: Place | None) -> str:
    """How exact "my location" is: that of the community, landmark or site it was chosen from (`place_at`), or
    exact for a point the reader put on the map or the browser located (it is where they say they are)."""
    return origin.precision if origin else "exact"


def distance_error_m(precision: str, origin_precision: str = "exact") -> float:
    """How far off a distance between two positions of these precisions may be: their errors added."""
    return position_error_m(precision) + position_error_m(origin_precision)


def surely_farther(metres: float, limit_m: float, precision: str, origin_precision: str = "exact") -> bool:
    """Whether a site marked `metres` away is farther than `limit_m` even if both positions are off by as much
    as their precision allows."""
    return metres - distance_error_m(precision, origin_precision) > limit_m


def in_circle(metres: float, radius_m: float, precision: str, origin_precision: str = "exact") -> bool | None:
    """Whether a site is inside the walking circle, or None when the two positions together may be off by
    more than the site's distance from the circle's edge: an area-level position (up to 2 km off) 2.4 km
    away may be inside a 1 km circle."""
    error = distance_error_m(precision, origin_precision)
    if error and abs(metres - radius_m) <= error:
        return None
    return metres <= radius_m


def circle_verdicts(found: pd.DataFrame, radius_m: float, origin_precision: str = "exact") -> list[bool | None]:
    """`in_circle` for each row of a `nearest` result."""
    return [
        in_circle(d, radius_m, p, origin_precision)
        for d, p in zip(found["distance_m"], found["precision"], strict=True)
    ]
