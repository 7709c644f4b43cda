"""The near-me answers in words: how far the nearest meal is, whether a site is in the walking circle and
how sure that is, the list's heading and table, and what to do when nothing answers. Pure functions over
servicemap.nearby's results."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from servicemap import geo, nearby, sitetext, vocab
from servicemap.filters import Filters, hiding_facets
from servicemap.textsafe import markdown_literal

# Closer than this, two marked positions are one spot: "步行 1 分钟" to the place itself read as a fault.
SAME_SPOT_M = 30
SAME_SPOT_TEXT = "标在同一处"  # a distance under SAME_SPOT_M, in a list
# Where distances start from when no named place was chosen: the red dot, however it was set (a 社区 QR code's
# link had been told it was "点选或定位", which it never was; phone review).
TAPPED_ORIGIN = "地图上红点标出的“我的位置”"
# Farther than this, "the nearest meal point" is no answer: a point tapped in another district was told the
# nearest was 17 km away, first and in bold, as if it were the place to go.
FAR_KM = 5


def how_far_text(
    point: nearby.MealPoint, radius_m: float, speed_m_per_min: float, origin_precision: str = "exact"
) -> str:
    """How far a meal point is from "my location", in words: the distance, the walk and whether it is in the
    walking circle (with the doubt rough positions leave), or that the two are marked at one spot."""
    if point.metres < SAME_SPOT_M:
        rough = point.precision != "exact" or origin_precision != "exact"
        return "与“我的位置”标在同一处；位置近似，实际距离说不准" if rough else "就在“我的位置”"
    verdict = nearby.in_circle(point.metres, radius_m, point.precision, origin_precision)
    error = nearby.distance_error_m(point.precision, origin_precision)
    if said_as_range(point.metres, error):
        # The marked distance alone ("直线约 215 米，步行 3 分钟") was passed on to a caller as fact, for a
        # position that may be 2 km off: the range comes first, the marked figure in brackets.
        marked = distance_text(point.metres)
        # The words of the nearest-services list for the same site ("可能不在（位置近似）"), where it is unsure.
        likely = (
            circle_text(verdict, point.metres, radius_m)
            if verdict is not None
            else ("可能在步行圈内" if point.metres <= radius_m else "可能不在步行圈内")
        )
        span = range_text(point.metres, error, speed_m_per_min)
        straight = f"直线{span}" if span.startswith("约") else f"直线 {span}"  # "直线约 400 米…", "直线 2.3 公里以内"
        return f"位置近似，说不准。{straight}（按地图标注约 {marked}，{likely}）"
    walk = walking_text(point.metres, speed_m_per_min)
    return f"直线约 {distance_text(point.metres)}，{walk}，{circle_text(verdict, point.metres, radius_m)}"


# Where the positions may be off by half the distance or more, a distance is said as the range it may be.
ROUGH_SHARE = 0.5


def said_as_range(metres: float, error_m: float) -> bool:
    """Whether a distance of `metres`, off by up to `error_m`, is said as a range (ROUGH_SHARE)."""
    return error_m >= metres * ROUGH_SHARE


def _range_bounds(metres: float, error_m: float) -> tuple[int, int]:
    # To 100 m, outward: "413 米至 4,413 米" claimed a precision the range is there to deny.
    return math.floor(max(0.0, metres - error_m) / 100) * 100, math.ceil((metres + error_m) / 100) * 100


def _span_text(low: float, high: float) -> str:
    """The distance a range allows: "2.3 公里以内" from next to nothing, else "约 800 米至 2.8 公里"."""
    return f"{distance_text(high)}以内" if low < SAME_SPOT_M else f"约 {distance_text(low)}至 {distance_text(high)}"


def distance_said(metres: float, error_m: float) -> str:
    """A distance in few words, as the answer at the top says it without the walk: "1.1 公里", or, where the
    positions may be off by half of it or more, the range first and the marked figure after it: "3.7 公里以内
    （标注约 610 米）". 资源清单 said only "标注约 610 米（位置近似）" beside the answer's "3.7 公里以内", and a
    family comparing the two could not tell 600 m from nearly 4 km (phone review)."""
    if metres < SAME_SPOT_M:
        return SAME_SPOT_TEXT
    if not said_as_range(metres, error_m):
        return distance_text(metres)
    return f"{_span_text(*_range_bounds(metres, error_m))}{_MARKED_OPENS}{distance_text(metres)}）"


_MARKED_OPENS = "（标注约 "  # distance_said's marked figure, after a range


def without_marked(said: str) -> str:
    """distance_said's words without the marked figure after a range ("3.7 公里以内"): for beside a column that
    gives that figure as a number."""
    return said.split(_MARKED_OPENS, 1)[0]


def range_text(metres: float, error_m: float, speed_m_per_min: float) -> str:
    """The straight-line distance and the walk as the range rough positions allow: "2.3 公里以内，步行 34 分钟
    以内", "5.1 公里以内，步行可能超过 1 小时", "约 800 米至 2.8 公里，步行 12至 42 分钟" or
    "…步行 6 分钟至 1 小时以上"."""
    low, high = _range_bounds(metres, error_m)
    high_minutes = round(high / speed_m_per_min)
    walk_high = f"{high_minutes} 分钟" if high_minutes <= 60 else "1 小时以上"
    if low < SAME_SPOT_M:
        # Beyond an hour no bound is worth saying: "步行 1 小时以上以内" said more and less than an hour at once
        # (tablet review).
        walk_within = f" {walk_high}以内" if high_minutes <= 60 else "可能超过 1 小时"
        return f"{_span_text(low, high)}，步行{walk_within}"
    low_minutes = max(1, round(low / speed_m_per_min))
    walk = f"{low_minutes}至 {high_minutes} 分钟" if high_minutes <= 60 else f"{low_minutes} 分钟至 1 小时以上"
    return f"{_span_text(low, high)}，步行 {walk}"


def nearest_meal_heading(point: nearby.MealPoint, origin_precision: str, literal: Callable[[str], str] = str) -> str:
    """The answer's first words: the nearest meal point by name, or, when even that is surely more than FAR_KM
    away, that none is near (a point tapped in another district read "the nearest" as the place to go)."""
    if nearby.surely_farther(point.metres, FAR_KM * 1000, point.precision, origin_precision):
        return f"{FAR_KM} 公里内没有本图收录的助餐点，最近的是：{literal(point.name)}"
    return f"最近的助餐点：{literal(point.name)}"


def nearest_meal_lines(
    point: nearby.MealPoint,
    radius_m: float,
    speed_m_per_min: float,
    origin: nearby.Place | None = None,
    literal: Callable[[str], str] = str,
    caveat: str | None = None,
) -> list[str]:
    """The answer to "where is the nearest meal?" as short labelled lines a phone shows at a glance (a family
    found one long paragraph hard to read): where it is, when it opens and what it costs, how far and whether it
    is in the walking circle (by the marked position, with the caveat rough positions need), the phone or whom to
    ask, and the first sentence of what the source says of it. Plain text, with the data's values passed through
    `literal` (for Markdown, its escaper: applied after a description is cut short, never before, or the cut could fall
    between a backslash and its mark: "10\\-15元\\……"). `caveat` (metrics.nearest_meal_caveat) ends it: the
    registry may lack nearer ones. The distance is said from `origin`, the place "my location" was chosen from
    (None: a point tapped on the map or located): a sheet or a forwarded link named no starting point."""
    origin_precision = nearby.origin_precision(origin)
    lines = [nearest_meal_heading(point, origin_precision, literal)]
    if point.address:
        lines.append(f"地址：{literal(point.address)}")
    # When it opens and what it costs right after where, before how far and its fine print: in 大字模式 on a phone
    # they were on the second screen, after 从哪里算 and the notes on rough positions (phone review).
    lines.append(f"开放时间：{literal(point.hours) if point.hours else vocab.NOT_GIVEN}")
    summary = sitetext.source_summary(point.description)
    if price := sitetext.price_text(point.description):
        lines.append(f"价格：{literal(price)}")
        summary = sitetext.without_prices(summary)  # said once
    lines.append(f"多远：{how_far_text(point, radius_m, speed_m_per_min, origin_precision)}")
    lines.append(f"从哪里算：{literal(origin.label) if origin else TAPPED_ORIGIN}")
    if point.metres >= SAME_SPOT_M:
        rough = []
        if point.precision != "exact":
            rough.append(f"该点{vocab.approximation_note(point.precision)}")
        if origin_precision != "exact":
            origin_error = vocab.APPROXIMATION.get(origin_precision, origin_precision)
            rough.append(f"所选的“我的位置”也是近似位置（{origin_error}）")
        if rough:
            lines.append(f"注意：{'；'.join(rough)}，距离仅供参考")
    lines.append(f"电话：{literal(point.phone) if point.phone else vocab.NOT_GIVEN_ASK}")
    if summary:
        lines.append(f"来源介绍：{literal(summary)}")
    if said_by := sitetext.facts_source(point.source):
        # Which report, and so how old: a family read the prices and hours as today's.
        lines.append(f"信息来自：{literal(said_by)}，价格和时间以现场为准")
    if caveat:
        lines.append(f"另：{caveat}")
    return lines


def nearest_meal_text(
    point: nearby.MealPoint,
    radius_m: float,
    speed_m_per_min: float,
    origin: nearby.Place | None = None,
    caveat: str | None = None,
) -> str:
    """`nearest_meal_lines` as Markdown: the first line bold, one line each (a hard break, "  \n", keeps them
    apart without a list's indentation). The point's values are data: they are shown as text."""
    first, *rest = nearest_meal_lines(point, radius_m, speed_m_per_min, origin, markdown_literal, caveat)
    return vocab.hotline_linked("  \n".join([f"**{first}**", *rest]))


# Words of a search for meals (吃饭, 食堂, 午餐, 饭桌…): the search finds them only where a description says
# them (食堂 finds the centre that runs one); where it finds nothing, the meal filter is the way.
MEAL_WORDS = ("餐", "饭", "食堂")


def no_meal_point_text(
    filters: Filters, shown: int, hidden_meal_points: pd.DataFrame | None = None, on_paper: bool = False
) -> str:
    """Why no meal point answers "my location". A search that matched nothing is said as such (a family
    typed its own neighbourhood and read 0 sites as "no meals near us"); registered meal points that the
    filters hide are named, with the filters to loosen; otherwise the registry's gap. `on_paper` (the print
    and offline files) says the same without what to do in the sidebar, which paper has not."""
    if filters.query and shown == 0:
        why = f"没有名称、地址或介绍含“{filters.query}”的站点，不是附近没有助餐。"
        if on_paper:
            return why
        if any(word in filters.query for word in MEAL_WORDS):
            # Residents search for 吃饭 and find nothing: no site says so. The meal filter is the way.
            return why + "找吃饭的地方：请清空侧栏的搜索框，在侧栏“助餐”一项选“提供助餐”，再在“我附近”选择位置。"
        return why + "请清空侧栏的搜索框；找家附近的服务，请在“我附近”选择位置或在地图上点选。"
    if hidden_meal_points is not None and not hidden_meal_points.empty:
        names = "、".join(hidden_meal_points["name"].astype(str).head(3))
        more = f"等 {len(hidden_meal_points)} 处" if len(hidden_meal_points) > 3 else ""
        why = f"当前筛选隐藏了登记的助餐点：{names}{more}。"
        # Each in its own quotes: a name with a 、 in it ("搜索名称、地址或介绍") ran into the next.
        loosen = "、".join(f"“{facet}”" for facet in hiding_facets(hidden_meal_points, filters))
        return why if on_paper else why + f"要看到它，请在侧栏放宽{loosen}。"
    return "当前筛选下没有登记为提供助餐、且已上图的站点（多数站点的助餐情况尚不明确）。"


def circle_text(verdict: bool | None, metres: float, radius_m: float) -> str:
    """In or out of the walking circle, in words. Where the positions are too rough to be sure, the marked
    positions still give the likelier answer, which is said first: a bare 说不准 beside 36 minutes of walking
    for a 15-minute circle read as a fault."""
    if verdict is not None:
        return "在步行圈内" if verdict else "在步行圈外"
    likely = "在步行圈内" if metres <= radius_m else "在步行圈外"
    return f"按地图标注{likely}（位置近似，说不准）"


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


# Below this many meal points, a coverage ratio says little: with one, "2 / 2" were the point itself and a
# site marked at its spot, read in a briefing as "every site covered".
FEW_MEAL_POINTS = 3


def coverage_scope_text(coverage: nearby.Coverage) -> str:
    """What a coverage ratio from few meal points does not say, or "" when there are enough of them."""
    if coverage.meal_points == 0 or coverage.meal_points >= FEW_MEAL_POINTS:
        return ""
    return (
        f"当前筛选下只有 {coverage.meal_points} 个助餐点（它本身也算在圈内）：这个比例只说明图上已收录的几处，"
        "不代表整个街道的助餐覆盖情况。"
    )


def coverage_doubt_text(coverage: nearby.Coverage) -> str:
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


def nearest_heading(
    found: pd.DataFrame, verdicts: list[bool | None], radius_m: float, others_left_out: bool
) -> tuple[str, str]:
    """The heading of the near-me list, and the line under it: how many sites; then how many are in the
    walking circle (`within_circle_text`) and, when the list holds only care services, that the united-front
    sites are on the map alone. Two parts: as one bold sentence it ran to 60 characters."""
    likely_in = sum(v is None and d <= radius_m for v, d in zip(verdicts, found["distance_m"], strict=True))
    hint = within_circle_text(verdicts.count(True), len(found), verdicts.count(None), likely_in)
    what = vocab.LAYERS[vocab.CARE_LAYER] if others_left_out else "站点"
    aside = "统战阵地只在地图上标出。" if others_left_out else ""
    return f"离“我的位置”最近的 {len(found)} 处{what}", f"{hint}。{aside}"


def distance_text(metres: float) -> str:
    return f"{metres:,.0f} 米" if metres < 1000 else f"{metres / 1000:.1f} 公里"


def walking_text(metres: float, speed_m_per_min: float) -> str:
    """How long an older adult walks a straight-line distance, said as what it is, the least it takes
    (streets bend): "步行 12 分钟以上". Beyond an hour the minutes mean nothing to a reader planning a walk:
    "步行超过 1 小时"."""
    minutes = max(1, round(metres / speed_m_per_min))
    return f"步行 {minutes} 分钟以上" if minutes <= 60 else "步行超过 1 小时"


def distance_cell(metres: float, error_m: float, speed_m_per_min: float) -> str:
    """A distance in the nearest-services list: the marked one and its walk, or, where the positions may be
    off by half of it or more (`error_m`), the range it may be with the marked figure after it."""
    if metres < SAME_SPOT_M:
        return SAME_SPOT_TEXT
    if said_as_range(metres, error_m):
        return f"{range_text(metres, error_m, speed_m_per_min)}（标注约 {distance_text(metres)}）"
    return f"{distance_text(metres)}，{walking_text(metres, speed_m_per_min)}"


def nearest_table(
    found: pd.DataFrame,
    verdicts: list[bool | None],
    radius_m: float,
    speed_m_per_min: float = geo.DEFAULT_WALK_SPEED_M_PER_MIN,
    origin_precision: str = "exact",
) -> pd.DataFrame:
    """The nearest-services list as a reader sees it, from a `nearest` result and its `circle_verdicts` (the
    heading counts the same verdicts); no 电话 column when none of the sites has one. `origin_precision` is
    that of "my location", whose error adds to each site's."""
    # Four short columns, so a phone shows them all without scrolling sideways: what families ask first
    # (助餐, then whether it is within the walk) right after the name, and the distance with its walking time
    # in one cell. The type is left out: the names say it, and the map's popup has it.
    table = pd.DataFrame(
        {
            "名称": found["name"].tolist(),
            "助餐": vocab.meal_labels(found["layer"], found["meal_service"]),
            "步行圈内": [
                ("是" if v else "否") if v is not None else f"{'可能在' if d <= radius_m else '可能不在'}（位置近似）"
                for v, d in zip(verdicts, found["distance_m"], strict=True)
            ],
            "距离（直线）": [
                distance_cell(d, nearby.distance_error_m(p, origin_precision), speed_m_per_min)
                for d, p in zip(found["distance_m"], found["precision"], strict=True)
            ],
            "电话": found["phone"].tolist(),
        }
    )
    return table if sitetext.any_phone(found) else table.drop(columns="电话")
