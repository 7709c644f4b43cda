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
        # 是否助餐 and 有无助餐 are how an office's own sheet asks it (新村街道's list, adopter review).
        "meal_service": ("助餐", "助餐服务", "是否助餐", "有无助餐", "助餐情况"),
        "beds": ("床位", "床位（张）", "床位数"),
        "phone": ("电话", "联系电话"),
        "hours": ("开放时间", "营业时间"),
        "description": ("介绍", "简介", "说明"),
        "source": ("来源", "数据来源"),
        "updated": ("整理日期", "更新日期", "核对日期"),
    }
)
# 序号 is most often a sheet's running 1, 2, 3: as good an id as any while it is unique (the validator checks that),
# but only where no column says 编号, which then is the id and 序号 merely counts rows.
_RUNNING_NUMBER_HEADERS: Mapping[str, str] = MappingProxyType({"序号": "id"})
# Columns the dashboard's own downloads write that are deliberately not read back: no need to mention them.
KNOWN_IGNORED_HEADERS = frozenset({"图上编号"})
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


def running_number_column(header: str) -> str | None:
    """The column a header such as 序号 names when the sheet has no column column_for_header gives it (id)."""
    return _RUNNING_NUMBER_HEADERS.get(header.strip())


def crs_implied_by_headers(headers: Sequence[str]) -> str | None:
    """The coordinate system the latitude header states, as in 纬度（WGS-84）, or None if it states none."""
    for header in headers:
        match = _COORDINATE_HEADER.match(header.strip())
        if match and match.group(1) == "纬度":
            return f"{match.group(2)}{match.group(3)}".upper()
    return None


def known_headers() -> str:
    """The Chinese header of every registry column, in the registry's order, for a message listing what is read."""
    return "、".join(names[0] for names in _HEADER_NAMES.values())


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


# What an office writes for a meal service, each of which can only mean one answer. √ and × are how a checklist
# is ticked in Chinese sheets, Y and N how an English-minded one is; 没有 is 无 spelled out (adopter review).
MEAL_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "yes": ("是", "有", "提供", "√", "✓", "✔", "Y"),
        "no": ("否", "无", "没有", "不提供", "×", "✗", "N"),
        # 资源清单 writes 不适用 for a united-front site whose sources say nothing of meals: unknown.
        "unknown": ("不明", "情况不明", "未知", vocab.MEAL_NOT_APPLICABLE),
    }
)
# 有（午餐）, 提供（早、午餐）: yes, with which meals said in brackets. A bracket that doubts or takes it back
# (有（暂停）, 提供（待核实）, 有（不对外）) is not a plain yes, so such a cell is left for the validator to report.
_MEAL_YES_WITH_DETAIL = re.compile(r"^(是|有|提供)\s*[（(]([^（）()]*)[）)]$")
_DOUBTING_WORDS = ("停", "不", "无", "未", "没", "否", "待", "暂", "?", "？")

# Other names offices use for the vocabulary's types, each of which names one type only.
_TYPE_SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "care_station": ("养老驿站", "社区养老驿站"),
        # 养老照料中心 is Beijing's earlier, still common name for the same street-level tier that its policy now
        # calls 街道（乡镇）区域养老服务中心, our 街道（区域）养老服务中心.
        "street_care_center": ("养老照料中心", "街道养老照料中心", "街乡养老照料中心", "街道（乡镇）养老照料中心"),
        "care_home_public": ("公办养老院", "养老院（公办）", "公办养老机构"),
        "care_home_private": ("民办养老院", "养老院（民办）", "民办养老机构"),
        "hospital": ("医养结合医院", "医养结合机构（医院）"),
    }
)
# Names that could mean more than one type, or a type the vocabulary does not have: rejected, with what to write.
_TYPE_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "养老院": "养老院有公办、民办之分，请写 养老机构（公办） 或 养老机构（民办）",
        "敬老院": "敬老院有公办、民办之分，请写 养老机构（公办） 或 养老机构（民办）",
        "养老机构": "养老机构有公办、民办之分，请写 养老机构（公办） 或 养老机构（民办）",
        "日间照料中心": "日间照料中心可能是社区养老服务驿站，也可能是街道（区域）养老服务中心，"
        "请按它实际的类型写其中之一",
        # A 站 is the smaller outpost of a 中心, with fewer services: drawn as a 中心 it would promise what it may
        # not offer, so a person who knows the site decides, not the loader.
        "社区卫生服务站": "社区卫生服务站是社区卫生服务中心下设的站点；"
        "最接近的类型是 社区卫生服务中心（community_health），确认后可写该类型，并在名称或介绍中注明是服务站",
    }
)


def type_hint(text: str) -> str:
    """What to write instead of a type name that could mean more than one type (养老院), or "" for none."""
    return next((hint for name, hint in _TYPE_HINTS.items() if _key(name) == _key(text)), "")


_VALUE_CODES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "layer": _codes(vocab.LAYERS, ("统战工作阵地", "united_front")),
        "type": _codes(
            {code: site_type.label for code, site_type in vocab.SITE_TYPES.items()},
            *((form, code) for code, forms in _TYPE_SYNONYMS.items() for form in forms),
        ),
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
            # The short forms 资源清单's grid shows, and the level alone: each names one precision (a second
            # adopter's 道路级, 街区级 and 近似位置（片区级） were refused). 近似位置 alone could be either: refused.
            *((label, code) for code, label in vocab.PRECISIONS_SHORT.items()),
            ("道路级", "street"),
            ("街区级", "street"),
            ("近似位置（道路或街区级）", "street"),
            ("近似位置（片区级）", "area"),
        ),
        "meal_service": _codes(
            vocab.MEAL_SERVICE, *((form, code) for code, forms in MEAL_WORDS.items() for form in forms)
        ),
    }
)

# Full-width forms (１２．５, －) as a Chinese input method types them, as their ASCII selves: NFKC on these
# characters alone. Full NFKC would also read ² and ① as digits, which no one writes for a number.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# 39.8513°N or 北纬39.85 in the latitude column, 116.26°E or 东经116.26 in the longitude column can only be decimal
# degrees north and east. The other hemisphere's letter, or degrees and minutes, are left for the validator.
_HEMISPHERES: Mapping[str, tuple[str, ...]] = MappingProxyType({"lat": ("北纬", "N"), "lon": ("东经", "E")})


def _coordinate(column: str, text: str) -> str:
    """A latitude or longitude as plain decimal degrees where it can only mean that, else `text` unchanged."""
    # In Chinese input mode the full stop key types 。: between digits in a coordinate it can only be the point.
    plain = text.translate(_FULL_WIDTH).replace("。", ".").strip()
    for marker in _HEMISPHERES[column]:
        if plain.upper().startswith(marker):
            plain = plain[len(marker) :].strip()
            break
        if plain.upper().endswith(marker):
            plain = plain[: -len(marker)].strip()
            break
    plain = plain.removesuffix("°").strip()
    return plain if _DECIMAL.fullmatch(plain) else text


_BEDS = re.compile(r"^([0-9]+)\s*张?$")
# Year first, then month and day, as Chinese Excel and people write them: 2026/3/1, 2026.03.01, 2026年3月1日.
# Also run together, 20260301, as office systems export them (adopter review); only with all eight digits, which
# can be read one way alone.
_OFFICE_DATE = re.compile(
    r"^([0-9]{4})\s*[/.年-]\s*([0-9]{1,2})\s*[/.月-]\s*([0-9]{1,2})\s*日?$|^([0-9]{4})([0-9]{2})([0-9]{2})$"
)


# What 资源清单 writes in a cell with nothing to say (a care site's 级别), and what people type for it.
_DASHES = frozenset({"—", "–", "-", "－", "/"})


def code_for(column: str, text: str) -> str:
    """`text` of `column` as the registry code it can only mean (提供助餐 → yes, gcj-02 → GCJ02,
    2026/3/1 → 2026-03-01, 18张 → 18, — → empty), or `text` unchanged, for the validator to judge."""
    if text in _DASHES:
        return ""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # the apostrophe the downloads put before a would-be formula: the cell said the rest
    if column == "meal_service" and (detail := _MEAL_YES_WITH_DETAIL.match(text)):
        return text if any(word in detail.group(2) for word in _DOUBTING_WORDS) else "yes"
    if column in _VALUE_CODES:
        return _VALUE_CODES[column].get(_key(text), text)
    if column in _HEMISPHERES:
        return _coordinate(column, text)
    if column == "beds" and (beds := _BEDS.match(text.translate(_FULL_WIDTH))):
        return beds.group(1)
    if column == "updated" and (when := _OFFICE_DATE.match(text)):
        try:
            year, month, day = (int(part) for part in when.groups() if part is not None)
            return date(year, month, day).isoformat()
        except ValueError:  # 2026/2/30: left as written, and reported as no real date
            return text
    return text
