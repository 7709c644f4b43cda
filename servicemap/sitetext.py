"""A site's facts in readers' words: the labels, the words for what the sources leave out, and the first
sentence of a description. Shared by the page, the popups, the lists and the files handed on."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from servicemap import vocab

# A family calls before going: for a care service, a missing phone or opening time is said, not left out.
ASKED_WHEN_MISSING = ("电话", "开放时间")


def given(column: pd.Series) -> pd.Series:
    """Which cells of a text column say something: not empty, not only spaces."""
    return column.astype(str).str.strip().astype(bool)


def any_phone(sites: pd.DataFrame) -> bool:
    """Whether any of the sites has a phone number. A list shows no 电话 column otherwise: one empty on every
    row (the sources give no numbers) reads as an unfinished form, or as "numbers, just not these"."""
    return bool(given(sites["phone"]).any())


def beds_text(beds: float) -> str:
    """A site's beds as readers see them, "18 张", or "" where the sources give none (NaN)."""
    return "" if pd.isna(beds) else f"{int(beds)} 张"


def site_details(site: Mapping[str, Any], *, say_missing: bool = True) -> dict[str, str]:
    """A site's facts as readers see them, by label, in reading order; "" where there is nothing to say.

    With `say_missing`, a care service's missing phone or opening time reads 来源未给出 and whom to ask
    (ASKED_WHEN_MISSING). The popup dataset leaves them "" and carries that rule once (see `dataset`): the
    same words in every row cost 60 bytes a site. `site` is a registry row (a Series or a mapping).
    """
    details = {
        "类型": vocab.type_label(str(site["type"])),
        "级别": vocab.LEVELS.get(str(site["level"]), ""),
        "地址": str(site["address"]),
        "街道": str(site["street"]),
        # Nothing for a united-front site whose sources say nothing of meals: "助餐：不适用" on every 统战 popup,
        # panel and sheet was noise in a 统战 briefing (staff review). Lists keep the column, for the care rows.
        "助餐": meal
        if (meal := vocab.meal_label(str(site["layer"]), str(site["meal_service"]))) != vocab.MEAL_NOT_APPLICABLE
        else "",
        "床位": beds_text(site["beds"]),
        "电话": str(site["phone"]),
        "开放时间": str(site["hours"]),
        "介绍": str(site["description"]),
        "来源": str(site["source"]),
        "整理日期": str(site["updated"]),
    }
    if say_missing and site["layer"] == vocab.CARE_LAYER:
        for label in ASKED_WHEN_MISSING:
            details[label] = details[label] or vocab.NOT_GIVEN_ASK
    return details


def site_details_priced(site: Mapping[str, Any]) -> dict[str, str]:
    """site_details (saying what is missing) with the price after 开放时间, where the description gives one: a site's
    details in full said it only inside 介绍, where the answer at the top and the print-outs give it a line of its
    own (phone review)."""
    price = price_text(str(site["description"]))
    details: dict[str, str] = {}
    for label, value in site_details(site).items():
        details[label] = value
        if label == "开放时间" and price:
            details["价格"] = price
    return details


SUMMARY_MAX_CHARS = 80  # a phone's three or four lines
SUMMARY_MORE = "……（详见站点详情）"  # where a summary cut short points to the rest


def source_summary(description: str, more: str = SUMMARY_MORE) -> str:
    """The first sentence of a site's description: by the data dictionary's rule, what a family asks after
    "where" (for a meal point: prices and who may eat there). Cut short, ending in `more`, when there is no
    sentence end early on: the answer must stay a glance, not the whole description."""
    first = re.split(r"(?<=[。！？])", description, maxsplit=1)[0]
    if len(first) <= SUMMARY_MAX_CHARS:
        return first
    return first[:SUMMARY_MAX_CHARS] + more


# A price as a source writes it: "均价15元", "6元", "10-15元", "每道菜优惠1元".
_PRICE = re.compile(r"\d+(?:\.\d+)?(?:\s*[-–~～至]\s*\d+(?:\.\d+)?)?\s*元")


def _clauses(text: str) -> list[str]:
    return [clause for clause in re.split(r"[，,；;\n]", text) if clause.strip()]


def _lead_in_and_rest(clause: str) -> tuple[str, str]:
    """A clause's lead-in, before its colon, and what follows the colon: "社区餐厅面向社会开放：早餐均价6元" gives
    ("社区餐厅面向社会开放", "早餐均价6元"); a clause without a colon has no lead-in."""
    parts = re.split(r"[：:]", clause)
    return (parts[0].strip() if len(parts) > 1 else ""), parts[-1].strip()


def price_text(description: str) -> str:
    """The parts of a description that give a price, in the source's words ("早餐均价6元，午晚餐均价15元，60岁
    以上老人每道菜优惠1元"), or "". A family asks the price first; in the description it was one clause among
    others, after the opening "社区餐厅面向社会开放："."""
    clauses = _clauses(re.sub(r"[。！？]", "，", description))
    # A clause's lead-in before a colon ("社区餐厅面向社会开放：早餐均价6元") is not part of the price.
    priced = [_lead_in_and_rest(clause)[1] for clause in clauses if _PRICE.search(clause)]
    return "，".join(priced)


def without_prices(summary: str) -> str:
    """A description's first sentence without the prices `price_text` takes out of it, for the line beside
    the price: "社区餐厅面向社会开放，米饭汤品免费续加。" (on a phone the prices were said twice, one under the
    other)."""
    kept = []
    for clause in _clauses(summary):
        if _PRICE.search(clause):
            lead_in, _ = _lead_in_and_rest(clause)
            if lead_in:
                kept.append(lead_in)
        else:
            kept.append(clause.strip())
    text = "，".join(kept)
    return text if not text or text.endswith(("。", "！", "？", SUMMARY_MORE)) else text + "。"


# By the registry's rule (data/README.md 2.5) a source reads "<the facts' source>；坐标：<the position's>".
_POSITION_PART = re.compile(r"[；;]\s*坐标([：:])?")


def _source_parts(source: str) -> tuple[str, str]:
    """A source's two parts: where the facts come from, and what it says of the position ("" where it says
    nothing after "坐标：")."""
    found = _POSITION_PART.search(source)
    if found is None:
        return source, ""
    return source[: found.start()], source[found.end() :].strip() if found.group(1) else ""


def facts_source(source: str) -> str:
    """Where a site's facts come from, in short ("区报2025年1月报道"), without the coordinates' source. A family
    asked how old a price is."""
    facts = _source_parts(source)[0]
    # Without the article's particulars in brackets: on a phone they ran to three lines of a card.
    return re.split(r"[（(]", facts, maxsplit=1)[0].strip() or facts.strip()


POSITION_NOT_GIVEN = "来源未给出位置"


def position_note(source: str) -> str:
    """What the source says of a site's position, in short: the part after "坐标：" (data/README.md 2.5), its
    "公开资料调研（…）" wrapper taken off ("未找到其丰台校区的坐标", "仅知所在街道"), or POSITION_NOT_GIVEN. A
    leader asked why a site with a known address was not on the map, and the list said only "—"."""
    note = _source_parts(source)[1]
    if not note:
        return POSITION_NOT_GIVEN
    wrapped = re.fullmatch(r"公开资料调研[（(](.+)[）)]", note)
    return wrapped.group(1) if wrapped else note


# What a linked site's card says, in this order: what a family forwarding it asks first.
LINKED_SITE_FACTS = ("类型", "地址", "助餐", "开放时间", "电话")


def _facts_lines(site: Mapping[str, Any], facts: tuple[str, ...], literal: Callable[[str], str]) -> list[str]:
    """A site's `facts` (site_details labels) where known, one "label：value" line each, then the price where its
    description gives one; the values through `literal`."""
    details = site_details(site)
    lines = [f"{label}：{literal(details[label])}" for label in facts if details[label]]
    if price := price_text(str(site["description"])):
        lines.append(f"价格：{literal(price)}")
    return lines


def linked_site_text(site: Mapping[str, Any], literal: Callable[[str], str] = str) -> str:
    """The gist of a site a shared link names, as Markdown lines: its name in bold, then LINKED_SITE_FACTS where
    known, and the price where its description gives one. The data's values go through `literal`."""
    heading = f"**链接分享的站点：{literal(str(site['name']))}**"
    return "  \n".join([heading, *_facts_lines(site, LINKED_SITE_FACTS, literal)])


# Beside the map, where a site's details go once one is chosen: up to this many meal points are named there.
MEAL_POINTS_LISTED = 3
# What a meal point's entry says, in this order: where, and when.
MEAL_POINT_FACTS = ("地址", "开放时间")


def meal_points_text(
    meal_points: pd.DataFrame, literal: Callable[[str], str] = str, *, meal_points_only: bool = False
) -> str:
    """What the empty detail panel says of the meal points shown (`meal_points`, registry rows), as Markdown:
    each by name, address, hours and price (and that it is not on the map, where it is not) when there are
    MEAL_POINTS_LISTED or fewer, else how many and where to look, `meal_points_only` when the filters already
    show nothing else; "" for none. The data's values go through `literal`.

    A resident's first question is where she can eat; with no site chosen, the third of the screen beside the
    map was blank but for one grey line (meeting-room review), and the meal point sat among the pins unnamed."""
    count = len(meal_points)
    if not count:
        return ""
    if count > MEAL_POINTS_LISTED:
        # Not "choose 提供助餐" to a reader who has (regression review).
        where = "地图上带“餐”字的标记就是" if meal_points_only else "侧栏“助餐服务”选“提供助餐”只看它们"
        return f"**当前筛选下有 {count} 处助餐点**：{where}；找离家最近的，见地图下方的“我附近”。"
    entries = []
    for _, site in meal_points.iterrows():
        lines = [f"**{literal(str(site['name']))}**", *_facts_lines(site, MEAL_POINT_FACTS, literal)]
        if pd.isna(site["lat"]):  # listed beside the map, looked for on it (regression review)
            lines.append(vocab.UNPLACED)
        entries.append("  \n".join(lines))
    # Bold, not a heading: under 站点详情 (h2) a site's name is the h3, and this is no site's details.
    where_more = "在上方选择它" if count == 1 else "在上方选择站点"
    return (
        f"**助餐点（{count} 处）**\n\n"
        + "\n\n".join(entries)
        + f"\n\n{where_more}，看详情与来源；找离家最近的，见地图下方的“我附近”。"
    )
