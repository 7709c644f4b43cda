"""An office's spreadsheet read in registry terms: Chinese column names, the Chinese labels the dashboard
itself shows, codes in any case, and dates as Chinese Excel writes them.

The registry's own format is ASCII codes (data/README.md), and files are still written that way. But a street
office edits the list it downloaded from 资源清单 (Chinese headers, labels such as 社区养老服务驿站 and 提供助餐)
or keeps its own sheet in Chinese, and Chinese Excel saves dates as 2026/3/1: an adopter's first try was
rejected whole ("第一行不是表头") although row 1 was a header. Here each such form is mapped onto the one code it
can only mean; anything else is left as written, for the validator to report in the reader's own words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from servicemap import vocab
from servicemap.textsafe import FORMULA_STARTS

# Chinese headers, as 资源清单's download writes them and as an office names its own columns.
_HEADER_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "id": ("登记编号", "编号", "站点编号"),
        "name": ("名称", "站点名称", "机构名称"),
        "layer": ("图层",),
        "type": ("类型", "设施类型", "站点类型"),
        "level": ("级别",),
        "street": ("街道", "所属街道", "街道（乡镇）"),
        "address": ("地址",),
        "lat": ("纬度",),
        "lon": ("经度",),
        "crs": ("坐标系",),
        "precision": ("位置", "位置精度"),
        "meal_service": ("助餐", "助餐服务"),
        "beds": ("床位", "床位（张）", "床位数"),
        "phone": ("电话", "联系电话"),
        "hours": ("开放时间", "营业时间"),
        "description": ("介绍", "简介", "说明"),
        "source": ("来源", "数据来源"),
        "updated": ("整理日期", "更新日期", "核对日期"),
    }
)
# 资源清单's download writes positions as 纬度（WGS-84）: the header says the system, so no 坐标系 column is needed.
_COORDINATE_HEADER = re.compile(r"^(纬度|经度)\s*[（(]\s*(WGS|GCJ|BD)\s*-?\s*(84|02|09)\s*[)）]$", re.IGNORECASE)


def _key(text: str) -> str:
    """How two spellings are compared: case, spaces, hyphens, underscores and full-width brackets aside."""
    return re.sub(r"[\s\-_]", "", text).replace("（", "(").replace("）", ")").casefold()


_COLUMN_BY_HEADER: Mapping[str, str] = MappingProxyType(
    {_key(header): column for column, headers in _HEADER_NAMES.items() for header in (column, *headers)}
)


def column_for_header(header: str) -> str | None:
    """The registry column a header names (id, 编号 and 登记编号 all name `id`), or None for one it does not."""
    text = header.strip()
    if match := _COORDINATE_HEADER.match(text):
        return "lat" if match.group(1) == "纬度" else "lon"
    return _COLUMN_BY_HEADER.get(_key(text))


def crs_implied_by_headers(headers: Sequence[str]) -> str | None:
    """The coordinate system the latitude header states, as in 纬度（WGS-84）, or None if it states none."""
    for header in headers:
        match = _COORDINATE_HEADER.match(header.strip())
        if match and match.group(1) == "纬度":
            return f"{match.group(2)}{match.group(3)}".upper()
    return None


def header_name(column: str) -> str:
    """A column's names for a message: `crs（坐标系）`."""
    names = _HEADER_NAMES.get(column)
    return f"{column}（{names[0]}）" if names else column


def _codes(labels: Mapping[str, str], *extra: tuple[str, str]) -> Mapping[str, str]:
    """Every way of writing a code, compared as _key compares: the code itself, its label, and the extras."""
    forms = {_key(code): code for code in labels}
    forms.update({_key(label): code for code, label in labels.items()})
    forms.update({_key(form): code for form, code in extra})
    return MappingProxyType(forms)


_VALUE_CODES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "layer": _codes(vocab.LAYERS, ("统战工作阵地", "united_front")),
        "type": _codes({code: site_type.label for code, site_type in vocab.SITE_TYPES.items()}),
        "level": _codes(vocab.LEVELS),
        "crs": _codes(
            vocab.CRS_CODES,
            *((form, "WGS84") for form in ("WGS-84", "GPS", "OpenStreetMap")),
            *((form, "GCJ02") for form in ("GCJ-02", "高德", "腾讯", "火星坐标")),
            *((form, "BD09") for form in ("BD-09", "百度")),
        ),
        "precision": _codes(
            vocab.PRECISIONS,
            ("准确", "exact"),
            ("精确", "exact"),
            ("道路或街区级", "street"),
            ("片区级", "area"),
        ),
        "meal_service": _codes(
            vocab.MEAL_SERVICE,
            *((form, "yes") for form in ("是", "有", "提供")),
            *((form, "no") for form in ("否", "无", "不提供")),
            # 资源清单 writes 不适用 for a united-front site whose sources say nothing of meals: unknown.
            *((form, "unknown") for form in ("不明", "情况不明", "未知", vocab.MEAL_NOT_APPLICABLE)),
        ),
    }
)

_BEDS = re.compile(r"^([0-9]+)\s*张?$")
# Year first, then month and day, as Chinese Excel and people write them: 2026/3/1, 2026.03.01, 2026年3月1日.
_OFFICE_DATE = re.compile(r"^([0-9]{4})\s*[/.年-]\s*([0-9]{1,2})\s*[/.月-]\s*([0-9]{1,2})\s*日?$")


# What 资源清单 writes in a cell with nothing to say (a care site's 级别), and what people type for it.
_DASHES = frozenset({"—", "–", "-", "－", "/"})


def code_for(column: str, text: str) -> str:
    """`text` of `column` as the registry code it can only mean (提供助餐 → yes, gcj-02 → GCJ02,
    2026/3/1 → 2026-03-01, 18张 → 18, — → empty), or `text` unchanged, for the validator to judge."""
    if text in _DASHES:
        return ""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # the apostrophe the downloads put before a would-be formula: the cell said the rest
    if column in _VALUE_CODES:
        return _VALUE_CODES[column].get(_key(text), text)
    if column == "beds" and (beds := _BEDS.match(text)):
        return beds.group(1)
    if column == "updated" and (when := _OFFICE_DATE.match(text)):
        try:
            return date(int(when.group(1)), int(when.group(2)), int(when.group(3))).isoformat()
        except ValueError:  # 2026/2/30: left as written, and reported as no real date
            return text
    return text
