"""The filter value the sidebar produces, and the pure functions that apply it to the registry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from servicemap import vocab

MEAL_CHOICES = ("all", "yes", "no", "unknown")
MEAL_CHOICE_LABELS = {"all": "全部", "yes": "提供助餐", "no": "不提供", "unknown": "情况不明"}
MAX_QUERY_LENGTH = 50


@dataclass(frozen=True)
class Filters:
    """What the reader asked to see. Empty type/level/street sets mean "no restriction"."""

    layers: frozenset[str] = field(default_factory=lambda: frozenset(vocab.LAYERS))
    meal: str = "all"
    types: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()  # restricts united-front sites only; care sites have no level
    streets: frozenset[str] = frozenset()
    query: str = ""

    def key(self) -> tuple:
        """The same filters as plain sorted tuples, which are cheap to hash and compare."""
        return (
            tuple(sorted(self.layers)), self.meal, tuple(sorted(self.types)), tuple(sorted(self.levels)),
            tuple(sorted(self.streets)), self.query,
        )  # fmt: skip

    @classmethod
    def from_key(cls, key: tuple) -> Filters:
        layers, meal, types, levels, streets, query = key
        return cls(frozenset(layers), meal, frozenset(types), frozenset(levels), frozenset(streets), query)


DEFAULT_FILTERS = Filters()


FACETS = ("layers", "meal", "types", "levels", "streets", "query")


def facet_masks(sites: pd.DataFrame, filters: Filters) -> dict[str, pd.Series | None]:
    """One boolean mask per active filter (None where the filter does not restrict)."""
    masks: dict[str, pd.Series | None] = dict.fromkeys(FACETS)
    if filters.layers != DEFAULT_FILTERS.layers:
        masks["layers"] = sites["layer"].isin(filters.layers)
    if filters.meal != "all":
        masks["meal"] = sites["meal_service"] == filters.meal
        if filters.meal == "unknown":  # not applicable to united-front sites (see vocab.meal_label)
            masks["meal"] &= sites["layer"] == vocab.CARE_LAYER
    if filters.types:
        masks["types"] = sites["type"].isin(filters.types)
    if filters.levels:
        masks["levels"] = (sites["layer"] != vocab.UNITED_FRONT_LAYER) | sites["level"].isin(filters.levels)
    if filters.streets:
        masks["streets"] = sites["street"].isin(filters.streets)
    query = filters.query.strip().casefold()
    if query:
        # The description too: families search for 食堂 or 助餐, words in what the source says of a place and in
        # no name or address, and found nothing (staff review).
        haystack = (sites["name"] + " " + sites["address"] + " " + sites["description"]).str.casefold()
        masks["query"] = haystack.str.contains(query, regex=False)
    return masks


# The sidebar's names for the facets, as a notice tells a reader which filter to loosen.
FACET_LABELS = {
    "layers": "图层",
    "meal": "助餐服务",
    "types": "设施类型",
    "levels": "统战阵地级别",
    "streets": "街道/镇",
    "query": "搜索名称、地址或介绍",
}


def _hiding(sites: pd.DataFrame, filters: Filters) -> list[str]:
    """The facets whose filter keeps any of `sites` out, in sidebar order."""
    return [facet for facet, mask in facet_masks(sites, filters).items() if mask is not None and not bool(mask.all())]


def hiding_facets(sites: pd.DataFrame, filters: Filters) -> list[str]:
    """The sidebar names of the filters that keep any of `sites` out, in sidebar order."""
    return [FACET_LABELS[facet] for facet in _hiding(sites, filters)]


def loosened_to_show(sites: pd.DataFrame, label: object, filters: Filters) -> Filters:
    """`filters` loosened just enough for the site at `label` to pass, for a reader who picked a site and then a
    filter that hides it. Each filter that keeps it out takes in the site's own value (a street, a type, a
    level, its layer) where it has one, and otherwise stops restricting; the others stay as the reader chose."""
    hiding = set(_hiding(sites.loc[[label]], filters))
    site = sites.loc[label]

    def loosened(facet: str, chosen: frozenset[str], value: str) -> frozenset[str]:
        if facet not in hiding:
            return chosen
        return chosen | {value} if value else frozenset()

    return Filters(
        layers=loosened("layers", filters.layers, str(site["layer"])),
        # not the site's own answer: 不提供 in place of 提供助餐 would hide every meal point
        meal="all" if "meal" in hiding else filters.meal,
        types=loosened("types", filters.types, str(site["type"])),
        levels=loosened("levels", filters.levels, str(site["level"])),
        streets=loosened("streets", filters.streets, str(site["street"])),
        query="" if "query" in hiding else filters.query,
    )


def _combine(sites: pd.DataFrame, masks: dict[str, pd.Series | None], skip: str | None = None) -> pd.Series:
    combined = pd.Series(True, index=sites.index)
    for facet, mask in masks.items():
        if mask is not None and facet != skip:
            combined &= mask
    return combined


def matching_mask(sites: pd.DataFrame, filters: Filters) -> pd.Series:
    """Boolean mask of the rows that pass every filter."""
    return _combine(sites, facet_masks(sites, filters))


def code_for(value: object, names: Mapping[str, str]) -> str | None:
    """The option code a choice widget's value stands for, or None. `names` maps codes to option names.

    Streamlit (1.67) keeps a radio's or multiselect's value as the label it last showed, and maps it back
    to an option through that run's labels. Ours carry counts ("国家级（5）") that change with the other
    filters, so a label from an earlier run came back unmapped: the filters then counted nothing and a
    second 级别 replaced the first. A code is itself; a label is its option's name, alone or followed by
    its count in （）. Longer names are tried first, so "养老机构（公办）（3）" is not read as "养老机构".
    """
    if isinstance(value, str) and value in names:
        return value
    text = str(value)
    for code, name in sorted(names.items(), key=lambda item: -len(item[1])):
        if text == name or text.startswith(name + "（"):
            return code
    return None


def apply(sites: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The sites that pass every filter, in registry order."""
    return sites.loc[matching_mask(sites, filters)]


def option_counts(
    sites: pd.DataFrame, filters: Filters, facet: str, masks: dict[str, pd.Series | None] | None = None
) -> dict[str, int]:
    """How many sites each option of one facet would give, keeping the other filters as they are.

    `facet` is one of: layers, meal, types, levels, streets. Pass `masks` (from facet_masks) when
    counting several facets, so each filter is evaluated once.
    """
    mask = _combine(sites, masks if masks is not None else facet_masks(sites, filters), skip=facet)
    if facet == "meal":
        counts = sites.loc[mask, "meal_service"].value_counts()
        silent = mask & (sites["meal_service"] == "unknown")
        care = sites["layer"] == vocab.CARE_LAYER
        return {
            "all": int(mask.sum()),
            "yes": int(counts.get("yes", 0)),
            "no": int(counts.get("no", 0)),
            "unknown": int((silent & care).sum()),
            "not_applicable": int((silent & ~care).sum()),  # no option of its own: only under "all"
        }
    if facet == "levels":
        mask &= sites["layer"] == vocab.UNITED_FRONT_LAYER
    column = {"layers": "layer", "types": "type", "levels": "level", "streets": "street"}[facet]
    # One column, not the whole frame: at city scale copying every column costs more than counting.
    counts = sites.loc[mask, column].value_counts()
    return {str(k): int(v) for k, v in counts.items() if k != "" and v > 0}


COUNTED_FACETS = ("layers", "meal", "types", "levels", "streets")


@dataclass(frozen=True)
class Selection:
    """What one Filters value gives on one registry: the matching rows and every option's count.

    Rows are kept as positions, not a frame, so a cache of selections stays small at city scale.
    """

    positions: np.ndarray  # row positions in the registry, in registry order
    option_counts: Mapping[str, Mapping[str, int]]  # facet -> option code -> sites it would give


def select(sites: pd.DataFrame, filters: Filters) -> Selection:
    """The sites passing `filters`, and for each counted facet what each of its options would give."""
    masks = facet_masks(sites, filters)
    positions = np.flatnonzero(_combine(sites, masks).to_numpy())
    counts = {facet: option_counts(sites, filters, facet, masks) for facet in COUNTED_FACETS}
    return Selection(positions, counts)


def street_options(sites: pd.DataFrame) -> list[str]:
    """The streets the registry names, sorted: what the street filter offers (blank streets left out)."""
    return sorted(street for street in sites["street"].unique() if street)


# A level narrows the united-front sites only: a sheet headed 级别：市级 that listed the care centre first was
# misread by a leader as "the centre is a municipal site".
LEVEL_LEAVES_CARE = "（只筛统战阵地；养老服务资源不分级别，照常列出）"


def describe(filters: Filters, *, explain: bool = True) -> str:
    """The filters in words, for exports and print-outs: "全部站点" when nothing is restricted. With `explain`,
    a level says that it leaves the care sites in (LEVEL_LEAVES_CARE); file names leave that out."""
    parts = []
    if filters.layers != DEFAULT_FILTERS.layers:
        parts.append("图层：" + ("、".join(vocab.LAYERS[c] for c in vocab.LAYERS if c in filters.layers) or "无"))
    if filters.meal != "all":
        parts.append("助餐：" + MEAL_CHOICE_LABELS[filters.meal])
    if filters.types:
        parts.append("类型：" + "、".join(vocab.type_label(c) for c in vocab.SITE_TYPES if c in filters.types))
    if filters.levels:
        levels = "级别：" + "、".join(vocab.LEVELS[c] for c in vocab.LEVELS if c in filters.levels)
        care_shown = vocab.CARE_LAYER in filters.layers and (
            not filters.types or any(vocab.SITE_TYPES[c].layer == vocab.CARE_LAYER for c in filters.types)
        )
        parts.append(levels + (LEVEL_LEAVES_CARE if explain and care_shown else ""))
    if filters.streets:
        parts.append("街道：" + "、".join(sorted(filters.streets)))
    if filters.query:
        parts.append(f"搜索：{filters.query}")
    return "；".join(parts) if parts else "全部站点"


# Characters Windows, macOS or a phone's file manager refuse or mangle in a file name.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')
FILE_LABEL_LENGTH = 40


def file_name(stem: str, filters: Filters, suffix: str) -> str:
    """A download's name that says what it holds, so two lists saved under different filters do not
    overwrite each other: 卢街颐养_养老服务资源清单_助餐-提供助餐.csv; just the stem for every site."""
    if filters == DEFAULT_FILTERS:
        return f"{stem}{suffix}"
    label = describe(filters, explain=False).replace("：", "-").replace("；", "_")
    label = _UNSAFE_IN_FILE_NAME.sub("", label)[:FILE_LABEL_LENGTH].strip("._-")
    return f"{stem}_{label}{suffix}" if label else f"{stem}{suffix}"
