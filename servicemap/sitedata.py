"""The compact site dataset the browser draws from, and the per-filter visibility masks.

The dataset (all placed sites of the registry, in the basemap's coordinate system) changes only when
the registry or basemap does, so it is published once as a file the browser fetches and caches.
A filter change then sends only a bit mask: N/8 bytes, instead of the sites again.

Byte budget per site (the city-scale target is <= 60 bytes, tooltips included): coordinates as
delta-encoded integers of 1e-6 degree (~0.1 m), type and flags as one character each, the name as
UTF-8 (never \\uXXXX escapes, which would cost 6 bytes a Chinese character).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from servicemap import sitetext, vocab
from servicemap.textsafe import script_safe_json

COORDINATE_SCALE = 1_000_000  # 1e-6 degree, about 0.1 m: well inside the 1 m the tests require
RICH_DETAIL_LIMIT = 5000  # up to this many sites, popups carry every detail; beyond, the side panel does
# What a popup shows of a site, from site_details: the panel beside the map shows every field. 介绍 only as
# its first sentence (source_summary): for a meal point, the prices and who may eat there, which a family
# tapping the pin asks first and had to look for in the panel.
# 价格 is taken out of 介绍 into a row of its own: 大字模式's short popup, which leaves 介绍 out, had no price, and
# what it costs is what an older reader asks first (phone review).
POPUP_FIELDS = ("级别", "地址", "助餐", "价格", "介绍", "床位", "电话", "开放时间", "来源")
FLAG_MEAL = 1
FLAG_APPROXIMATE = 2
FLAG_AREA = 4  # approximate to an area (a km or two), not just to the street
# A 统战 site's level, drawn as a 国 or 市 tag on its pin: a 统战部 reader could not tell the national sites from
# the municipal ones on the map, one 阵 marker for all (staff review).
FLAG_NATIONAL = 8
FLAG_MUNICIPAL = 16


def placed(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites that have a position, in registry order: the rows the dataset and masks index."""
    return sites.loc[sites["lat"].notna()]


def numbered_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Placed sites in the order the print map numbers them (1, 2, …): layer by layer, registry order within.
    The downloads number them the same way, so a list handed on matches the printed map."""
    rows = placed(sites)
    order = [rows.loc[rows["layer"] == layer] for layer in vocab.LAYERS]
    return pd.concat(order) if order else rows


def _popup_value(facts: Mapping[str, str], label: str) -> str:
    if label == "价格":
        return sitetext.price_text(facts["介绍"])
    if label == "介绍":  # without the prices its own row says
        # No "详见站点详情": the offline and print files carry these popups and have no such panel.
        summary = sitetext.source_summary(facts[label], more="……")
        return sitetext.without_prices(summary) if sitetext.price_text(facts[label]) else summary
    return facts[label]


def dataset(sites: pd.DataFrame) -> dict:
    """The compact description of every placed site (lat/lon as given: convert to display CRS first)."""
    rows = placed(sites)
    type_codes = list(vocab.SITE_TYPES)
    type_index = {code: i for i, code in enumerate(type_codes)}
    lat = np.round(rows["lat"].to_numpy(dtype="float64") * COORDINATE_SCALE).astype("int64")
    lon = np.round(rows["lon"].to_numpy(dtype="float64") * COORDINATE_SCALE).astype("int64")
    meal = (rows["meal_service"] == vocab.SERVES_MEALS).to_numpy()
    approximate = (rows["precision"] != "exact").to_numpy()
    area = (rows["precision"] == "area").to_numpy()
    national = (rows["level"] == "national").to_numpy()
    municipal = (rows["level"] == "municipal").to_numpy()
    flags = (
        meal * FLAG_MEAL
        + approximate * FLAG_APPROXIMATE
        + area * FLAG_AREA
        + national * FLAG_NATIONAL
        + municipal * FLAG_MUNICIPAL
    )
    data: dict = {
        "v": 1,
        "n": len(rows),
        "scale": COORDINATE_SCALE,
        "types": [[t.label, t.colour, t.glyph, t.layer] for t in (vocab.SITE_TYPES[code] for code in type_codes)],
        "precision": {code: vocab.approximation_note(code) for code in vocab.APPROXIMATION},
        "lat": _deltas(lat),
        "lon": _deltas(lon),
        "t": "".join(chr(48 + type_index[code]) for code in rows["type"]),
        "f": "".join(chr(48 + int(flag)) for flag in flags),
        "name": rows["name"].tolist(),
        "detail": None,
    }
    if len(rows) <= RICH_DETAIL_LIMIT:
        details = (sitetext.site_details(site._asdict(), say_missing=False) for site in rows.itertuples(index=False))
        data["detail"] = {
            "labels": list(POPUP_FIELDS),
            "rows": [[_popup_value(facts, label) for label in POPUP_FIELDS] for facts in details],
            # site_details' rule for a care service's missing phone or hours, sent once for every row; the
            # hotline in it becomes a link a phone dials with one tap.
            "missing": {
                "labels": list(sitetext.ASKED_WHEN_MISSING),
                "layer": vocab.CARE_LAYER,
                "text": vocab.NOT_GIVEN_ASK,
                "hotline": vocab.HOTLINE,
            },
        }
    return data


def dataset_json(sites: pd.DataFrame) -> str:
    """The dataset as UTF-8 JSON text; '<' escaped so it can also sit inside a <script> element."""
    return script_safe_json(dataset(sites))


def content_key(text: str) -> str:
    """A short content hash, so a published file's name changes exactly when its content does."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def visibility_mask(all_sites: pd.DataFrame, shown: pd.DataFrame | pd.Index) -> str:
    """Base64 bit mask over placed(all_sites): bit i set when that site is in `shown`.

    `shown` is rows (or the index labels of rows) of `all_sites`, as filters.select picks them:
    matching by index is an integer lookup, where matching 100,000 string ids takes tens of ms.
    """
    labels = shown.index if isinstance(shown, pd.DataFrame) else shown
    bits = all_sites.index[all_sites["lat"].notna().to_numpy()].isin(labels)
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def decode_mask(mask: str, count: int) -> list[bool]:
    """The inverse of visibility_mask, as static/servicemap.js reads it."""
    raw = np.frombuffer(base64.b64decode(mask), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:count].astype(bool).tolist()


def decode_positions(data: dict) -> list[tuple[float, float]]:
    """Site positions back from a dataset, as static/servicemap.js decodes them."""
    lat = np.cumsum(np.asarray(data["lat"], dtype="int64")) / data["scale"]
    lon = np.cumsum(np.asarray(data["lon"], dtype="int64")) / data["scale"]
    return list(zip(lat.tolist(), lon.tolist(), strict=True))


def _deltas(values: np.ndarray) -> list[int]:
    if values.size == 0:
        return []
    return np.diff(values, prepend=0).tolist()
