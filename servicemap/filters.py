"""The filter value the sidebar produces, and the pure functions that apply it to the registry."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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


DEFAULT_FILTERS = Filters()


def matching_mask(sites: pd.DataFrame, filters: Filters) -> pd.Series:
    """Boolean mask of the rows that pass every filter."""
    mask = sites["layer"].isin(filters.layers)
    if filters.meal != "all":
        mask &= sites["meal_service"] == filters.meal
    if filters.types:
        mask &= sites["type"].isin(filters.types)
    if filters.levels:
        mask &= (sites["layer"] != "united_front") | sites["level"].isin(filters.levels)
    if filters.streets:
        mask &= sites["street"].isin(filters.streets)
    query = filters.query.strip().casefold()
    if query:
        haystack = (sites["name"] + " " + sites["address"]).str.casefold()
        mask &= haystack.str.contains(query, regex=False)
    return mask


def apply(sites: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The sites that pass every filter, in registry order."""
    return sites.loc[matching_mask(sites, filters)]


def option_counts(sites: pd.DataFrame, filters: Filters, facet: str) -> dict[str, int]:
    """How many sites each option of one facet would give, keeping the other filters as they are.

    `facet` is one of: layers, meal, types, levels, streets.
    """
    relaxed = replace(filters, **{facet: _unrestricted(facet)})
    base = sites.loc[matching_mask(sites, relaxed)]
    if facet == "meal":
        counts = base["meal_service"].value_counts().to_dict()
        return {"all": len(base), **{c: int(counts.get(c, 0)) for c in MEAL_CHOICES[1:]}}
    column = {"layers": "layer", "types": "type", "levels": "level", "streets": "street"}[facet]
    if facet == "levels":
        base = base[base["layer"] == "united_front"]
    return {str(k): int(v) for k, v in base[column].value_counts().items() if k != ""}


def _unrestricted(facet: str) -> object:
    if facet == "layers":
        return frozenset(vocab.LAYERS)
    if facet == "meal":
        return "all"
    return frozenset()
