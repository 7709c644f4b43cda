"""Controlled vocabulary of the registry: stable ASCII codes mapped to Chinese labels, colours and glyphs.

Codes are what files and links carry; labels are what people read. Changing a label is safe,
changing a code breaks every saved file and shared link, so codes never change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

LAYERS: Mapping[str, str] = MappingProxyType(
    {
        "elderly_care": "养老服务资源",
        "united_front": "统战阵地及平台",
    }
)

LEVELS: Mapping[str, str] = MappingProxyType(
    {
        "national": "国家级",
        "municipal": "市级",
        "district": "区级",
    }
)

CRS_CODES: Mapping[str, str] = MappingProxyType(
    {
        "WGS84": "WGS-84（GPS、OpenStreetMap）",
        "GCJ02": "GCJ-02（高德、腾讯）",
        "BD09": "BD-09（百度）",
    }
)

PRECISIONS: Mapping[str, str] = MappingProxyType(
    {
        "exact": "准确位置",
        "street": "近似位置（道路或街区级）",
        "area": "近似位置（片区级，误差可达一两公里）",
    }
)

# How far off an approximate position may be, as the map says it: "位置为近似（…）".
APPROXIMATION: Mapping[str, str] = MappingProxyType(
    {
        "street": "道路或街区级",
        "area": "片区级，误差可达一两公里",
    }
)


# How far off a position of each precision may be, for telling whether it is inside a walking circle:
# area is its label's own bound ("误差可达一两公里"); street (a road or a block) is taken as up to 1 km.
POSITION_ERROR_M: Mapping[str, float] = MappingProxyType({"exact": 0.0, "street": 1_000.0, "area": 2_000.0})


def place_label(name: str, precision: str) -> str:
    """A place's name as a list of places shows it: marked （近似） unless its position is exact, inside a closing
    bracket the name already has ("张仪村路南口（G4出口，近似）": two brackets one after the other read as a
    typing slip; phone review)."""
    if precision == "exact":
        return name
    return f"{name[:-1]}，近似）" if name.endswith("）") else f"{name}（近似）"


# The same, short, for a grid on a laptop's screen: the long forms pushed the column off its right edge, where
# it showed "近" and "位". The column's help says what the levels mean.
PRECISIONS_SHORT: Mapping[str, str] = MappingProxyType(
    {"exact": "准确", "street": "近似（街区级）", "area": "近似（片区级）"}
)
UNPLACED_SHORT = "待核实，未上图"
UNPLACED = "位置待核实（未上图）"  # where a site's position would be said: no source gives one


def approximation_note(precision: str) -> str:
    """The reader-facing note for a non-exact position, e.g. 位置为近似（道路或街区级）."""
    return f"位置为近似（{APPROXIMATION.get(precision, precision)}）"


MEAL_SERVICE: Mapping[str, str] = MappingProxyType(
    {
        "yes": "提供助餐",
        "no": "不提供助餐",
        "unknown": "助餐情况不明",
    }
)


# United-front sites are not care services: whether they serve meals to older people is not a question
# the sources ask of them. Their "unknown" reads as not applicable, so 情况不明 counts only care sites
# whose meal service a source should, but does not, state.
MEAL_NOT_APPLICABLE = "不适用"  # short: it sits in narrow table columns; 关于数据 says why
# The care services: the layer families ask about (meals, phone, hours). Meal service is recorded for it;
# united-front sites read 不适用.
CARE_LAYER = "elderly_care"
UNITED_FRONT_LAYER = "united_front"
SERVES_MEALS = "yes"  # the meal_service code of a meal point
# What a care service's missing phone or hours says: that the sources have none (and, where there is room,
# whom to ask).
NOT_GIVEN = "来源未给出"
# 12345 is Beijing's citizen hotline, through which the 接诉即办 (answer-on-request) work the source page
# reports on runs: a number a family can call today, where the sources give the site's own none.
HOTLINE = "12345"
NOT_GIVEN_ASK = f"{NOT_GIVEN}；可拨打 {HOTLINE} 市民服务热线，或向社区居委会询问"


HOTLINE_LINK = f"[{HOTLINE}](tel:{HOTLINE})"  # Markdown: a link a phone dials with one tap


def hotline_linked(markdown: str) -> str:
    """Markdown with the hotline of NOT_GIVEN_ASK as HOTLINE_LINK."""
    return markdown.replace(NOT_GIVEN_ASK, NOT_GIVEN_ASK.replace(HOTLINE, HOTLINE_LINK))


def meal_label(layer: str, code: str) -> str:
    """How a site's meal service reads: 提供助餐 / 不提供助餐 / 助餐情况不明, or 不适用 for a non-care site
    whose sources say nothing of meals."""
    if code == "unknown" and layer != CARE_LAYER:
        return MEAL_NOT_APPLICABLE
    return MEAL_SERVICE.get(code, code)


def meal_labels(layers: Iterable[object], codes: Iterable[object]) -> list[str]:
    """meal_label for two equally long columns (a registry's layer and meal_service)."""
    return [meal_label(str(layer), str(code)) for layer, code in zip(layers, codes, strict=True)]


@dataclass(frozen=True)
class SiteType:
    """One facility type: how it is named, which layer it belongs to and how its marker looks."""

    code: str
    label: str
    layer: str
    colour: str
    glyph: str  # one character drawn inside the marker; no icon font needs to be served


# Each colour carries its white glyph at 4.5:1 or more (WCAG's contrast for text this small): 卫 on #16a085 read
# at 3.3:1, 院 on #e67e22 and 驿 on #b7950b at 2.9:1.
SITE_TYPES: Mapping[str, SiteType] = MappingProxyType(
    {
        t.code: t
        for t in (
            SiteType("street_care_center", "街道（区域）养老服务中心", "elderly_care", "#c0392b", "养"),
            SiteType("care_home_public", "养老机构（公办）", "elderly_care", "#a04000", "院"),
            SiteType("care_home_private", "养老机构（民办）", "elderly_care", "#9c640c", "院"),
            SiteType("care_station", "社区养老服务驿站", "elderly_care", "#7d6608", "驿"),
            SiteType("community_health", "社区卫生服务中心", "elderly_care", "#0b7285", "卫"),
            SiteType("hospital", "医院（医养结合）", "elderly_care", "#117a65", "医"),
            SiteType("uf_site", "统战工作阵地", "united_front", "#1f4e9c", "阵"),
            SiteType("uf_advice_studio", "统战人士建言献策工作室/工作站", "united_front", "#6c3483", "言"),
            SiteType("nsl_hub", "新联会赋能中心/服务平台", "united_front", "#2874a6", "联"),
            SiteType("health_home", "健康同心之家/小家", "united_front", "#1e8449", "心"),
        )
    }
)


def type_label(code: str) -> str:
    """The Chinese label of a type code, or the code itself if it is not in the vocabulary."""
    site_type = SITE_TYPES.get(code)
    return site_type.label if site_type else code
