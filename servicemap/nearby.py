"""Near me: walking-circle reach, nearest services, and meal-service coverage. Pure functions."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from servicemap import geo, vocab
from servicemap.filters import Filters, hiding_facets

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


@dataclass(frozen=True)
class Coverage:
    places: int  # placed sites considered
    reached: int  # of those, within the radius of at least one meal-service point, by the marked positions
    meal_points: int
    # Of `reached` and of the rest, how many the positions are too rough to be sure of (as `in_circle`).
    doubtful_in: int = 0
    doubtful_out: int = 0


def _position_error_m(precision: str) -> float:
    return vocab.POSITION_ERROR_M.get(precision, vocab.POSITION_ERROR_M["area"])


def meal_coverage(sites: pd.DataFrame, radius_m: float) -> Coverage:
    """How many placed sites lie within a walking radius of at least one meal-service point, and for how
    many of them the answer is unsure: by `in_circle`'s rule, a site is surely covered when some meal point
    is nearer than the radius less both positions' errors, and surely not when none is nearer than the
    radius plus them. A meal point always covers itself."""
    placed = sites.loc[sites["lat"].notna()]
    meal = placed.loc[placed["meal_service"] == vocab.SERVES_MEALS]
    reached = geo.within_reach(placed["lat"], placed["lon"], meal["lat"], meal["lon"], radius_m)
    surely = (placed["meal_service"] == vocab.SERVES_MEALS).to_numpy().copy()
    maybe = surely.copy()
    site_error = placed["precision"].map(_position_error_m).to_numpy()
    meal_error = meal["precision"].map(_position_error_m).to_numpy()
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


def nearest_meal_point(sites: pd.DataFrame, lat: float, lon: float) -> MealPoint | None:
    """The nearest placed site registered as serving meals, or None."""
    meal = sites.loc[(sites["meal_service"] == vocab.SERVES_MEALS).to_numpy()]
    found = nearest(meal, lat, lon, limit=1)
    if found.empty:
        return None
    first = found.iloc[0]
    return MealPoint(
        name=str(first["name"]), metres=float(first["distance_m"]), precision=str(first["precision"]),
        address=str(first["address"]), lat=float(first["lat"]), lon=float(first["lon"]),
        hours=str(first["hours"]), phone=str(first["phone"]), description=str(first["description"]),
    )  # fmt: skip


PLACE_MATCH_DEG = 1e-5  # "my location" is kept to 5 decimals: a place within this is the one it came from


def place_at(places: Iterable[Place], lat: float, lon: float) -> Place | None:
    """The place "my location" was chosen from, or None for a point put on the map or located."""
    return next((p for p in places if abs(p.lat - lat) < PLACE_MATCH_DEG and abs(p.lon - lon) < PLACE_MATCH_DEG), None)


def origin_precision(places: Iterable[Place], lat: float, lon: float) -> str:
    """How exact "my location" is: that of the community, landmark or site it was chosen from, or exact for
    a point the reader put on the map or the browser located (it is where they say they are)."""
    place = place_at(places, lat, lon)
    return place.precision if place else "exact"


def in_circle(metres: float, radius_m: float, precision: str, origin_precision: str = "exact") -> bool | None:
    """Whether a site is inside the walking circle, or None when the two positions together may be off by
    more than the site's distance from the circle's edge: an area-level position (up to 2 km off) 2.4 km
    away may be inside a 1 km circle."""
    error = vocab.POSITION_ERROR_M.get(precision, vocab.POSITION_ERROR_M["area"]) + vocab.POSITION_ERROR_M.get(
        origin_precision, vocab.POSITION_ERROR_M["area"]
    )
    if error and abs(metres - radius_m) <= error:
        return None
    return metres <= radius_m


def circle_verdicts(found: pd.DataFrame, radius_m: float, origin_precision: str = "exact") -> list[bool | None]:
    """`in_circle` for each row of a `nearest` result."""
    return [
        in_circle(d, radius_m, p, origin_precision)
        for d, p in zip(found["distance_m"], found["precision"], strict=True)
    ]


# Closer than this, two marked positions are one spot: "步行约 1 分钟" to the place itself read as a fault.
SAME_SPOT_M = 30


def how_far_text(point: MealPoint, radius_m: float, speed_m_per_min: float, origin_precision: str = "exact") -> str:
    """How far a meal point is from "my location", in words: the distance, the walk and whether it is in the
    walking circle (with the doubt rough positions leave), or that the two are marked at one spot."""
    if point.metres < SAME_SPOT_M:
        rough = point.precision != "exact" or origin_precision != "exact"
        return "与“我的位置”标在同一处；位置近似，实际距离说不准" if rough else "就在“我的位置”"
    verdict = in_circle(point.metres, radius_m, point.precision, origin_precision)
    return (
        f"直线约 {distance_text(point.metres)}，按直线步行{walking_minutes_text(point.metres, speed_m_per_min)}"
        f"（{circle_text(verdict, point.metres, radius_m)}）"
    )


def nearest_meal_text(
    point: MealPoint, radius_m: float, speed_m_per_min: float, origin_precision: str = "exact"
) -> str:
    """The answer to "where is the nearest meal?": how far, whether it is in the walking circle (by the marked
    position, with a caveat when the positions are too rough to be sure), the hours and phone, or that the
    sources do not give them and whom to ask, and what the source says of it (prices, who may eat there)."""
    where = f"（{point.address}）" if point.address else ""
    sentence = (
        f"最近的助餐点：{point.name}{where}，{how_far_text(point, radius_m, speed_m_per_min, origin_precision)}。"
    )
    if point.metres >= SAME_SPOT_M:
        if point.precision != "exact":
            sentence += f"该点{vocab.approximation_note(point.precision)}，距离仅供参考。"
        if origin_precision != "exact":
            sentence += (
                f"所选的“我的位置”也是近似位置（{vocab.APPROXIMATION.get(origin_precision, origin_precision)}）。"
            )
    facts = (("开放时间", point.hours), ("电话", point.phone))
    known = [f"{label}：{value}" for label, value in facts if value]
    unknown = [label for label, value in facts if not value]
    if known:
        sentence += "；".join(known) + "。"
    if unknown:
        sentence += f"{'、'.join(unknown)}：{vocab.NOT_GIVEN_ASK}。"
    if point.description:
        sentence += f"\n\n{point.description}"
    return sentence


def no_meal_point_text(filters: Filters, shown: int, hidden_meal_points: pd.DataFrame | None = None) -> str:
    """Why no meal point answers "my location". A search that matched nothing is said as such (a family
    typed its own neighbourhood and read 0 sites as "no meals near us"); registered meal points that the
    filters hide are named, with the filters to loosen; otherwise the registry's gap."""
    if filters.query and shown == 0:
        return (
            f"没有名称或地址含“{filters.query}”的站点，不是附近没有助餐。"
            "请清空侧栏的搜索框；找家附近的服务，请在“我附近”选择位置或在地图上点选。"
        )
    if hidden_meal_points is not None and not hidden_meal_points.empty:
        names = "、".join(hidden_meal_points["name"].astype(str).head(3))
        more = f"等 {len(hidden_meal_points)} 处" if len(hidden_meal_points) > 3 else ""
        loosen = "、".join(hiding_facets(hidden_meal_points, filters))
        return f"当前筛选隐藏了登记的助餐点：{names}{more}。要看到它，请在侧栏放宽“{loosen}”。"
    return "当前筛选下没有登记为提供助餐、且已上图的站点（多数站点的助餐情况尚不明确）。"


def circle_text(verdict: bool | None, metres: float, radius_m: float) -> str:
    """In or out of the walking circle, in words. Where the positions are too rough to be sure, the marked
    positions still give the likelier answer, which is said first: a bare 说不准 beside 36 minutes of walking
    for a 15-minute circle read as a fault."""
    if verdict is not None:
        return "在步行圈内" if verdict else "在步行圈外"
    likely = "在步行圈内" if metres <= radius_m else "在步行圈外"
    return f"按标注位置{likely}，但说不准"


def within_circle_text(within: int, listed: int, uncertain: int = 0, likely_in: int = 0) -> str:
    """How many listed sites lie in the walking circle, with a next step where there are none. `likely_in`
    of the `uncertain` ones are inside by their marked positions: then no longer walk is suggested."""
    if listed == 0:
        return "当前筛选下没有已上图的站点"
    if within == 0 and likely_in:
        return f"按标注位置步行圈内有 {likely_in} 处，但位置近似、说不准"
    if within == 0 and uncertain:
        return f"步行圈内暂无确定的站点，{uncertain} 处位置近似、说不准；可把步行时间调长"
    if within == 0:
        return "步行圈内暂无站点，可把步行时间调长，或看下表中最近的几处"
    rough = f"，{uncertain} 处位置近似、说不准" if uncertain else ""
    return f"步行圈内 {within} 处{rough}"


def coverage_doubt_text(coverage: Coverage) -> str:
    """Which of the coverage count's answers the positions are too rough to be sure of, or "": the count
    comes from the marked positions, and the near-me list says 说不准 for the same sites."""
    parts = []
    if coverage.doubtful_in:
        parts.append(f"圈内 {coverage.reached} 处中有 {coverage.doubtful_in} 处")
    if coverage.doubtful_out:
        parts.append(f"圈外 {coverage.places - coverage.reached} 处中有 {coverage.doubtful_out} 处")
    if not parts:
        return ""
    return f"按标注位置，{'、'.join(parts)}说不准：位置近似，实际可能在另一侧。"


def nearest_heading(found: pd.DataFrame, verdicts: list[bool | None], radius_m: float, others_left_out: bool) -> str:
    """The heading of the near-me list: how many sites, how many in the walking circle (`within_circle_text`),
    and, when the list holds only care services, that the united-front sites are on the map alone."""
    likely_in = sum(v is None and d <= radius_m for v, d in zip(verdicts, found["distance_m"], strict=True))
    hint = within_circle_text(verdicts.count(True), len(found), verdicts.count(None), likely_in)
    what = "养老服务资源" if others_left_out else "站点"
    aside = "；统战阵地只在地图上标出" if others_left_out else ""
    return f"离“我的位置”最近的 {len(found)} 处{what}（{hint}{aside}）"


def distance_text(metres: float) -> str:
    return f"{metres:,.0f} 米" if metres < 1000 else f"{metres / 1000:.1f} 公里"


def walking_minutes_text(metres: float, speed_m_per_min: float) -> str:
    """How long an older adult walks a straight-line distance: a lower bound, since streets bend. Beyond an
    hour the minutes mean nothing to a reader planning a walk: "超过 1 小时"."""
    minutes = max(1, round(metres / speed_m_per_min))
    return f"约 {minutes} 分钟" if minutes <= 60 else "超过 1 小时"


def nearest_table(
    found: pd.DataFrame,
    radius_m: float,
    speed_m_per_min: float = geo.DEFAULT_WALK_SPEED_M_PER_MIN,
    origin_precision: str = "exact",
) -> pd.DataFrame:
    """The nearest-services list as a reader sees it; no 电话 column when none of the sites has one."""
    # What families ask first, first: on a phone only the first three columns show without scrolling, so
    # 助餐 and 步行圈内 come right after the name, and the distance in words before the metres.
    verdicts = circle_verdicts(found, radius_m, origin_precision)
    table = pd.DataFrame(
        {
            "名称": found["name"].tolist(),
            "助餐": vocab.meal_labels(found["layer"], found["meal_service"]),
            "步行圈内": [
                ("是" if v else "否") if v is not None else f"{'可能在' if d <= radius_m else '可能不在'}（位置近似）"
                for v, d in zip(verdicts, found["distance_m"], strict=True)
            ],
            "步行（按直线）": [
                "—" if d < SAME_SPOT_M else walking_minutes_text(d, speed_m_per_min) for d in found["distance_m"]
            ],
            "直线距离": ["标在同一处" if d < SAME_SPOT_M else distance_text(d) for d in found["distance_m"]],
            "电话": found["phone"].tolist(),
            "类型": [vocab.type_label(t) for t in found["type"]],
        }
    )
    # An all-blank column reads as "this list has phone numbers, just not here"; none is better.
    return table if any(found["phone"]) else table.drop(columns="电话")
