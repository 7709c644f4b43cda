"""Pure summaries of a (filtered) registry, and the figures the source article reports only as totals."""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from servicemap import sitetext, vocab
from servicemap.filters import Filters

DEFAULT_REPORTED_PATH = Path(__file__).resolve().parent.parent / "data" / "reported_stats.csv"

# Which registry rows a reported total counts, so the page can say "已收录 X，报道 Y".
# Only figures whose counterpart in the registry is unambiguous are listed.
ELDERLY_CARE_INSTITUTION_TYPES = frozenset(
    {"street_care_center", "care_home_public", "care_home_private", "care_station"}
)


@dataclass(frozen=True)
class Counterpart:
    """Which registry rows a reported figure counts: every condition given must hold."""

    types: frozenset[str] | None = None
    # Rows of the street the figure's own scope names (卢沟桥街道 in the shipped reports). Not a fixed name: an
    # office that keeps its own reported_stats.csv with these keys and its street as the scope read
    # "报道 10 家，收录 0 家" beside the 30 sites it draws (adopter review).
    in_scope_street: bool = False
    layer: str | None = None
    level: str | None = None


REPORTED_COUNTERPARTS: Mapping[str, Counterpart] = MappingProxyType(
    {
        "lgq_elderly_institutions_total": Counterpart(types=ELDERLY_CARE_INSTITUTION_TYPES, in_scope_street=True),
        "lgq_service_center": Counterpart(types=frozenset({"street_care_center"}), in_scope_street=True),
        "lgq_public_welfare_center": Counterpart(types=frozenset({"care_home_public"}), in_scope_street=True),
        "lgq_care_stations": Counterpart(types=frozenset({"care_station"}), in_scope_street=True),
        "lgq_linked_health_centers": Counterpart(types=frozenset({"community_health"}), in_scope_street=True),
        "fengtai_uf_national_sites": Counterpart(layer=vocab.UNITED_FRONT_LAYER, level="national"),
        "fengtai_uf_municipal_sites": Counterpart(layer=vocab.UNITED_FRONT_LAYER, level="municipal"),
    }
)


@dataclass(frozen=True)
class Metrics:
    shown: int
    shown_by_layer: dict[str, int]
    placed: int  # drawn on the map (has a position)
    approximate: int  # drawn, but precision is not `exact`
    unplaced: int  # listed, position still unknown
    meal_points: int
    meal_unknown: int  # care sites whose meal service the sources do not state
    care_beds: int
    sites_with_beds: int
    uf_national: int
    uf_municipal: int
    # Of those, how many the map draws: "国家级阵地 5 · 全区报道 5 个" read as all on the map, and 2 are not.
    uf_national_placed: int
    uf_municipal_placed: int
    by_type: dict[str, int]  # type code -> count, vocabulary order, zeros left out


def compute(sites: pd.DataFrame) -> Metrics:
    placed = sites["lat"].notna()
    by_layer = sites["layer"].value_counts()
    by_type_counts = sites["type"].value_counts()
    united_front = sites["layer"] == vocab.UNITED_FRONT_LAYER
    beds = sites["beds"].dropna()
    return Metrics(
        shown=len(sites),
        shown_by_layer={layer: int(by_layer.get(layer, 0)) for layer in vocab.LAYERS},
        placed=int(placed.sum()),
        approximate=int((placed & (sites["precision"] != "exact")).sum()),
        unplaced=int((~placed).sum()),
        meal_points=int((sites["meal_service"] == vocab.SERVES_MEALS).sum()),
        meal_unknown=int(((sites["meal_service"] == "unknown") & (sites["layer"] == vocab.CARE_LAYER)).sum()),
        care_beds=int(beds.sum()),
        sites_with_beds=len(beds),
        uf_national=int((united_front & (sites["level"] == "national")).sum()),
        uf_municipal=int((united_front & (sites["level"] == "municipal")).sum()),
        uf_national_placed=int((united_front & placed & (sites["level"] == "national")).sum()),
        uf_municipal_placed=int((united_front & placed & (sites["level"] == "municipal")).sum()),
        by_type={code: int(by_type_counts[code]) for code in vocab.SITE_TYPES if by_type_counts.get(code, 0)},
    )


BEDS_UNKNOWN = "不详"


def beds_figure(summary: Metrics) -> str:
    """The care beds as a figure: "18 张", or 不详 when none of the sites gives a number. "0 张" read as "no
    beds" for a search that found one station whose beds the registry does not give (review)."""
    return f"{summary.care_beds} 张" if summary.sites_with_beds else BEDS_UNKNOWN


def figures_text(
    summary: Metrics,
    layers: Collection[str] = tuple(vocab.LAYERS),
    levels: Collection[str] = (),
    beds_label: str = "托老床位",
) -> str:
    """The page's figures in one sentence, for a printed sheet handed to leaders: it has no metric row, and a
    briefing quoted the page's numbers from memory. Only for `layers`, those the filters show and the registry
    has: a 统战 briefing's sheet read "养老服务资源 0 处…托老床位 0 张" at its head (staff review), and an
    office's care-only registry has no united-front zeros. Nor for a level the filters leave out (`levels`, the
    filter's; united_front_levels). The beds are called `beds_label`, the edition's word for them."""
    parts = []
    if vocab.CARE_LAYER in layers:
        parts.append(
            f"养老服务资源 {summary.shown_by_layer[vocab.CARE_LAYER]} 处，其中助餐点 {summary.meal_points} 处，"
            + (
                f"{beds_label} {summary.care_beds} 张（{summary.sites_with_beds} 处有床位数）"
                if summary.sites_with_beds
                else f"{beds_label}不详（没有站点登记床位数）"
            )
        )
    if vocab.UNITED_FRONT_LAYER in layers:
        by_level = [f"{label} {count} 个" for _, label, count, _ in united_front_levels(summary, levels)]
        parts.append(
            f"{vocab.LAYERS[vocab.UNITED_FRONT_LAYER]} {summary.shown_by_layer[vocab.UNITED_FRONT_LAYER]} 处"
            + (f"（{'，'.join(by_level)}）" if by_level else "")
        )
    return "本图收录：" + "；".join(parts) if parts else ""


@dataclass(frozen=True)
class ReportedFigure:
    key: str
    label: str
    value: float
    unit: str
    scope: str
    source: str
    as_of: str
    listed: int | None = None  # registry rows this figure counts, where a counterpart is defined
    mapped: int | None = None  # of those, drawn on the map

    @property
    def value_text(self) -> str:
        return f"{self.value:,.0f}" if float(self.value).is_integer() else f"{self.value:,}"

    @property
    def with_unit(self) -> str:
        """The value and its unit as Chinese text writes them: "12 家", but "72.2%"."""
        return f"{self.value_text}{'' if self.unit == '%' else ' '}{self.unit}"


def placement_text(summary: Metrics, gap: str | None, reports: bool = True) -> str:
    """The note above the map: how many of the shown sites are on it, how many roughly, how many not, then
    the registry's gap (`registry_gap_text`) or, when there are `reports`, where their totals are."""
    text = f"共 {summary.shown} 处，{summary.placed} 处已上图"
    if summary.approximate:
        text += f"（{summary.approximate} 处为近似位置，虚线边）"
    if summary.unplaced:
        text += f"，{summary.unplaced} 处位置待核实，见地图下方清单"
    if gap:
        return f"{text}。{gap}。"
    return text + ("。以上是本图收录的数字，报道给出的总数见下方“统计与报道”。" if reports else "。")


NO_BREAK = "\u00a0"  # a space no line breaks at
BREAK_HERE = "\u200b"  # where a note under a figure may break, between phrases its CSS (keep-all) keeps whole


def beds_note(sites_with_beds: int) -> str:
    """The note under 托老床位: how few sites the beds are counted from ("仅 1 处有床位数"), breaking only after
    "处": at 390 px it read "仅 1 / 处有床位数"."""
    return f"仅{NO_BREAK}{sites_with_beds}{NO_BREAK}处{BREAK_HERE}有床位数"


def institutions_text(reported: Mapping[str, ReportedFigure]) -> str | None:
    """The street's reported institutions beside those registered ("街道养老机构：报道 12 家，收录 2 家"), or
    None without the figure: the care count alone ("4") read as "the street has 4"."""
    institutions = reported.get("lgq_elderly_institutions_total")
    if institutions is None or institutions.listed is None:
        return None
    # Each phrase whole (no-break spaces), so the note breaks at its colon and comma: at a laptop's width it broke
    # as "报 / 道 12 家", then "收录 2 / 家" (staff review).
    reported_words = NO_BREAK.join(("报道", institutions.value_text, institutions.unit))
    listed_words = NO_BREAK.join(("收录", str(institutions.listed), institutions.unit))
    return f"街道养老机构：{reported_words}，{listed_words}"


def _institutions_missing(reported: Mapping[str, ReportedFigure]) -> ReportedFigure | None:
    """The street's reported institutions while the registry holds fewer of them, else None."""
    institutions = reported.get("lgq_elderly_institutions_total")
    if institutions is None or institutions.listed is None or institutions.listed >= institutions.value:
        return None
    return institutions


def registry_gap_text(reported: Mapping[str, ReportedFigure], shown: Filters) -> str | None:
    """What the map does not hold yet, in the reader's words: the article counts the street's care
    institutions and stations, but names only two. Without this a family reads "助餐点 1" as "the street has
    one meal point". None when the registry holds as many as reported, or when the filters leave those
    institutions out anyway (another layer, type or street)."""
    institutions = _institutions_missing(reported)
    if institutions is None:
        return None
    rule = REPORTED_COUNTERPARTS[institutions.key]
    if (
        vocab.CARE_LAYER not in shown.layers
        or (shown.types and rule.types is not None and not shown.types & rule.types)
        or (shown.streets and rule.in_scope_street and institutions.scope not in shown.streets)
    ):
        return None
    # In the report's own words: it says the street "现有12家不同类型的养老机构", lists 10 of them by kind
    # (the 5 stations among them) and adds "另有2家新建养老机构也即将竣工"; whether those 2 are in the 12 it
    # does not say, so neither does the map.
    stations, upcoming = reported.get("lgq_care_stations"), reported.get("lgq_upcoming_institutions")
    # Not "of which" a larger number: an office's own report gave 6 institutions and 14 stations, counted apart,
    # and the page said "6 家…（其中社区养老服务驿站 14 家）" (second adopter review).
    among = (
        f"（其中社区养老服务驿站 {stations.with_unit}）"
        if stations is not None and stations.value <= institutions.value
        else ""
    )
    besides = f"，另有 {upcoming.with_unit}新建养老机构即将竣工" if upcoming is not None else ""
    return (
        f"本图不完整：{_reported_when(institutions.as_of)}，街道现有 {institutions.with_unit}不同类型的"
        f"养老机构{among}{besides}，本图只收录 {institutions.listed} {institutions.unit}；"
        "找助餐、托老，请同时向街道或社区居委会咨询"
    )


def nearest_meal_caveat(reported: Mapping[str, ReportedFigure]) -> str | None:
    """What the answer about the nearest meal point must add while the registry holds fewer of the street's
    institutions than reported: a family read "3.6 公里" as "no lunch nearer", while the note that most were
    missing stood in another box further down. None with no such figure or no such gap."""
    institutions = _institutions_missing(reported)
    if institutions is None:
        return None
    return (
        f"本图只收录了报道中街道 {institutions.with_unit}养老机构里的 {institutions.listed} {institutions.unit}，"
        "附近可能还有本图没有的助餐点，请向社区居委会询问"
    )


UNITED_FRONT_TOTALS = (("fengtai_uf_national_sites", "national"), ("fengtai_uf_municipal_sites", "municipal"))
UNITED_FRONT_SITE_TYPE = "uf_site"  # what the district's national and municipal totals count (统战工作阵地)
_LEVEL_FIGURE_LABELS = {"national": "国家级阵地", "municipal": "市级阵地"}


def united_front_levels(summary: Metrics, levels: Collection[str] = ()) -> list[tuple[str, str, int, int]]:
    """The 统战 levels with a figure of their own, as (the reports' key for the level, label, count, of them on
    the map), leaving out those the filters' `levels` exclude (empty for all): "市级阵地 0" under a 国家级
    filter read as none at all."""
    counts = {
        "national": (summary.uf_national, summary.uf_national_placed),
        "municipal": (summary.uf_municipal, summary.uf_municipal_placed),
    }
    return [
        (key, _LEVEL_FIGURE_LABELS[level], *counts[level])
        for key, level in UNITED_FRONT_TOTALS
        if not levels or level in levels
    ]


def united_front_gap_text(reported: Mapping[str, ReportedFigure], shown: Filters) -> str | None:
    """The district's united-front sites the article counts and the registry lacks, e.g. "据2025年1月报道，丰台区
    有 24 个市级统战工作阵地，本图只收录 2 个" (it names 2 of the 24). None when every counted site is listed,
    or when the filters leave these sites out (another type; a meal filter other than 全部, as their meals are
    不适用) or make a district total beside the point (a street)."""
    if (
        vocab.UNITED_FRONT_LAYER not in shown.layers
        or shown.meal != "all"
        or shown.streets
        or (shown.types and UNITED_FRONT_SITE_TYPE not in shown.types)
    ):
        return None
    gaps = [
        figure
        for key, level in UNITED_FRONT_TOTALS
        if (figure := reported.get(key)) is not None
        and figure.listed is not None
        and figure.listed < figure.value
        and (not shown.levels or level in shown.levels)
    ]
    if not gaps:
        return None
    counted = "、".join(f"{figure.with_unit}{figure.label}" for figure in gaps)
    listed = "、".join(f"{figure.listed} {figure.unit}" for figure in gaps)
    return f"{_reported_when(gaps[0].as_of)}，{gaps[0].scope}有 {counted}，本图只收录 {listed}"


def sheet_caveat_text(reported: Mapping[str, ReportedFigure], shown: Filters) -> str:
    """Everything a printed or saved map lacks, for a sheet handed to leaders, which has no metric row to carry
    the district's totals (the page shows them under 国家级/市级阵地): the street's care institutions and the
    district's united-front sites. "" when the registry holds all that the filters can show."""
    care, united_front = registry_gap_text(reported, shown), united_front_gap_text(reported, shown)
    if care and united_front:
        return f"{care}。{united_front}"
    if united_front:
        return f"本图不完整：{united_front}"
    return care or ""


def reported_but_not_registered_text(query: str, reported: Mapping[str, ReportedFigure]) -> str:
    """What the reports say of a kind of place a search found none of ("据2025年1月报道，卢沟桥街道“社区养老服务
    驿站”为 5 家，本图收录 0 家，请向…询问。"), from each reported figure whose name holds the search and that the
    registry holds fewer of; "" for none. A search for 驿站 said only that no site matched, and a family took it
    that the street has none (staff review)."""
    words = query.strip()
    said = "；".join(
        # The figure's name quoted: pasted in as a kind of place, "有辖区养老机构总数（各类型） 12 家" read badly
        f"{_reported_when(figure.as_of)}，{figure.scope}“{figure.label}”为 {figure.with_unit}，"
        f"本图收录 {figure.listed} {figure.unit}"
        for figure in reported.values()
        if words and words in figure.label and figure.listed is not None and figure.listed < figure.value
    )
    return f"{said}，请向街道或社区居委会询问。" if said else ""


def _reported_when(as_of: str) -> str:
    """据2025年1月报道, from an as_of date such as 2025-01-22; 据报道 if the date is not one."""
    year, _, month = as_of.partition("-")
    month = month[:2]
    if len(year) == 4 and year.isdigit() and month.isdigit():
        return f"据{year}年{int(month)}月报道"
    return "据报道"


def load_reported(path: str | Path = DEFAULT_REPORTED_PATH) -> list[ReportedFigure]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [
            ReportedFigure(
                key=row["key"],
                label=row["label"],
                value=float(row["value"]),
                unit=row["unit"],
                scope=row["scope"],
                source=row["source"],
                as_of=row["as_of"],
            )
            for row in csv.DictReader(handle)
        ]


def with_registry_counts(figures: list[ReportedFigure], registry: pd.DataFrame) -> list[ReportedFigure]:
    """Attach "listed/mapped" counts from the whole registry to the figures that have a counterpart."""
    result = []
    for figure in figures:
        rule = REPORTED_COUNTERPARTS.get(figure.key)
        if rule is None:
            result.append(figure)
            continue
        mask = pd.Series(True, index=registry.index)
        if rule.types is not None:
            mask &= registry["type"].isin(rule.types)
        if rule.in_scope_street:
            in_street = registry["street"] == figure.scope
            # No site names the street at all (街道 left blank, or written otherwise): "收录 0 家" beside the sites
            # drawn would be false, so the figure is shown without a count (adopter review).
            if not in_street.any():
                result.append(figure)
                continue
            mask &= in_street
        for column, wanted in (("layer", rule.layer), ("level", rule.level)):
            if wanted is not None:
                mask &= registry[column] == wanted
        counted = registry.loc[mask]
        result.append(
            ReportedFigure(**{**figure.__dict__, "listed": len(counted), "mapped": int(counted["lat"].notna().sum())})
        )
    return result


def street_mismatches(figures: Iterable[ReportedFigure], registry: pd.DataFrame) -> list[str]:
    """The registry's streets written like a compared figure's scope but not as it ("太平桥" beside 太平桥街道), each
    with how many sites it holds: those sites are left out of the comparison, which the page had not said (second
    adopter review). A street neither part of the scope nor containing it (卢沟桥乡 beside 卢沟桥街道) is another
    place, and not named."""
    scopes = sorted(
        {
            figure.scope
            for figure in figures
            if (rule := REPORTED_COUNTERPARTS.get(figure.key)) is not None and rule.in_scope_street
        }
    )
    streets = registry["street"].astype(str).value_counts(sort=False)
    return [
        f"{count} 处站点的街道写作“{street}”，与报道范围“{scope}”不一致，没有计入对照；"
        f"如是同一街道，请在登记表里写成“{scope}”"
        for scope in scopes
        for street, count in streets.items()
        if count and street and street != scope and (street in scope or scope in street)
    ]


def missing_from_registry(figures: Iterable[ReportedFigure]) -> list[str]:
    """Each reported count the registry falls short of, with whose it is, as "卢沟桥街道社区养老服务驿站：报道 5 家，
    本图收录 0 家": what a leader must know the map leaves out (the article counts places it does not name)."""
    return [
        f"{figure.scope}{figure.label}：报道 {figure.with_unit}，本图收录 {figure.listed} {figure.unit}"
        for figure in figures
        if figure.listed is not None and figure.listed < figure.value
    ]


def sources_text(figures: Iterable[ReportedFigure]) -> str:
    """Where the figures come from, each source once in the order met, and that they stand as of then."""
    sources = "；".join(dict.fromkeys(figure.source for figure in figures))
    return f"来源：{sources}。数字是报道当时的情况。"


# Places the reports count but name none of, so the registry has no row to count against them.
UNNAMED_IN_REPORTS = ("lgq_upscale_institutions", "lgq_upcoming_institutions", "fengtai_grassroots_orgs")


def unnamed_in_reports(reported: Mapping[str, ReportedFigure]) -> list[str]:
    """The reports' counts of places they do not name, as "丰台区基层新联会、侨联组织：报道 36 个，未点名": on
    the map none of them can be, and a 统战部 reader looked for them among the gaps."""
    return [
        f"{figure.scope}{figure.label}：报道 {figure.with_unit}，未点名"
        for key in UNNAMED_IN_REPORTS
        if (figure := reported.get(key)) is not None
    ]


def unstated_facts(sites: pd.DataFrame) -> str | None:
    """How many care services the sources give a phone, opening hours and their meal service for, e.g.
    "养老服务资源 4 处中，来源给出电话的 0 处、开放时间的 1 处，说明是否助餐的 1 处"; None without any."""
    care = sites.loc[(sites["layer"] == vocab.CARE_LAYER).to_numpy()]
    if care.empty:
        return None
    with_phone = int(sitetext.given(care["phone"]).sum())
    with_hours = int(sitetext.given(care["hours"]).sum())
    meal_stated = int((care["meal_service"] != "unknown").sum())
    return (
        f"{vocab.LAYERS[vocab.CARE_LAYER]} {len(care)} 处中，来源给出电话的 {with_phone} 处、"
        f"开放时间的 {with_hours} 处，说明是否助餐的 {meal_stated} 处"
    )


def unplaced_rows(sites: pd.DataFrame) -> dict[str, list[str]]:
    """The sites without a position, as the map page lists them: name, type, level, what is known of where,
    and why no position (what the source says of it)."""
    unplaced = sites.loc[sites["lat"].isna().to_numpy()]
    return {
        "名称": unplaced["name"].tolist(),
        "类型": [vocab.type_label(code) for code in unplaced["type"]],
        "级别": [vocab.LEVELS.get(code, "") for code in unplaced["level"]],
        "已知线索": [
            address or street for address, street in zip(unplaced["address"], unplaced["street"], strict=True)
        ],
        "为何未上图": [sitetext.position_note(source) for source in unplaced["source"]],
    }


def other_figures_by_report(figures: list[ReportedFigure]) -> list[tuple[str, list[dict[str, str]]]]:
    """The figures without a registry counterpart (reported_rows' second table), one group per report (their
    `source`), in the file's order: in one table the 统战 report's 36 organisations and 10 cases came after 22
    rows of the care centre's meals, and a 统战部 reader did not find them (review)."""
    groups: dict[str, list[dict[str, str]]] = {}
    _, other = reported_rows(figures)
    sources = [f.source for f in figures if f.listed is None]
    for source, row in zip(sources, other, strict=True):
        groups.setdefault(source, []).append(row)
    return list(groups.items())


def reported_rows(figures: list[ReportedFigure]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The reported figures as table rows: those with a registry counterpart ("已收录 / 已上图"), then the rest.
    Each says whose figure it is (范围): one table mixes the district's, the street's and the centre's, and a
    briefing that quotes the district's 36 as the street's misleads."""
    compared = [
        {"指标": f.label, "范围": f.scope, "报道数": f.with_unit, "已收录 / 已上图": f"{f.listed} / {f.mapped}"}
        for f in figures
        if f.listed is not None
    ]
    other = [
        {"指标": f.label, "范围": f.scope, "数值": f.with_unit, "截至": f.as_of} for f in figures if f.listed is None
    ]
    return compared, other
