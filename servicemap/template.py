"""A blank registry for an office starting its own: the columns under Chinese headers the loader reads, and a
说明 sheet saying for each whether it must be filled and which words it takes.

There is no example row among the rows: one left in by mistake would be drawn on the map as a real site. The
examples stand in the 说明 sheet, which the loader never reads (it reads the first sheet only).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from servicemap import aliases, vocab
from servicemap.registry import COLUMNS

# One Chinese header a column, each read back by aliases.column_for_header (a test holds them to it).
HEADERS: Mapping[str, str] = MappingProxyType(
    {
        "id": "编号",
        "name": "名称",
        "layer": "图层",
        "type": "类型",
        "level": "级别",
        "street": "街道",
        "address": "地址",
        "lat": "纬度",
        "lon": "经度",
        "crs": "坐标系",
        "precision": "位置精度",
        "meal_service": "助餐",
        "beds": "床位",
        "phone": "电话",
        "hours": "开放时间",
        "description": "介绍",
        "source": "来源",
        "updated": "整理日期",
    }
)
SHEET = "登记表"
NOTES_SHEET = "说明"
NOTES_HEADER = ("列名", "是否必填", "怎么写", "示例（只是示例，不要填进登记表）")


def _words(words: Iterable[str]) -> str:
    return "、".join(words)


def _column_notes() -> dict[str, tuple[str, str, str]]:
    """For each column: whether it must be filled, what it takes, and an example (made up, marked as such)."""
    meal = "；".join(f"{vocab.MEAL_SERVICE[code]}：{_words(words)}" for code, words in aliases.MEAL_WORDS.items())
    return {
        "id": ("必填", "每行一个不重复的编号，字母、数字都可以", "A-001"),
        "name": ("必填", "场所名称", "（示例）某某社区养老服务驿站"),
        "layer": ("可留空", f"{_words(vocab.LAYERS.values())}；留空时按类型自动填写", vocab.LAYERS["elderly_care"]),
        "type": ("必填", _words(t.label for t in vocab.SITE_TYPES.values()), vocab.SITE_TYPES["care_station"].label),
        "level": ("可留空", f"{_words(vocab.LEVELS.values())}；主要用于统战工作阵地，养老设施留空", ""),
        "street": ("可留空", "所在街道或乡镇", "（示例）某某街道"),
        "address": ("可留空", "地址或位置描述", "（示例）某某路1号"),
        "lat": ("有位置时必填", "十进制度数，只写数字；不知道位置时纬度、经度都留空（列在清单里，不上图）", "39.86"),
        "lon": ("有位置时必填", "十进制度数，只写数字", "116.23"),
        "crs": (
            "有经纬度时必填",
            "坐标取自哪里：高德、腾讯地图写 GCJ02；百度地图写 BD09；手机 GPS、OpenStreetMap 写 WGS84。"
            "程序不会猜，填错位置会偏约 500 米",
            "GCJ02",
        ),
        "precision": (
            "有经纬度时应填",
            f"{_words(vocab.PRECISIONS.values())}；留空按“{vocab.PRECISIONS['area']}”显示",
            vocab.PRECISIONS["exact"],
        ),
        "meal_service": ("可留空", f"{meal}；留空即{vocab.MEAL_SERVICE['unknown']}", "是"),
        "beds": ("可留空", "只写数字", "18"),
        "phone": ("可留空", "联系电话", ""),
        "hours": ("可留空", "开放时间", "（示例）周一至周五 11:00—13:00"),
        "description": ("可留空", "简介；第一句会显示在助餐点的回答里，宜写价格和谁能去吃", ""),
        "source": ("必填", "信息出处，让别人能核对", "（示例）街道台账 2026年3月，或网页地址"),
        "updated": ("必填", "最后一次核对的日期，年在前", "2026-03-01 或 2026/3/1"),
    }


def xlsx_bytes() -> bytes:
    """The template as an Excel workbook: 登记表 with the header row only, then 说明."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([HEADERS[column] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(NOTES_SHEET)
    notes.append(list(NOTES_HEADER))
    column_notes = _column_notes()
    for column in COLUMNS:
        notes.append([HEADERS[column], *column_notes[column]])
    notes.append([])
    notes.append(["", "", "只读第一个工作表“登记表”；第 1 行是表头，表头上方不要加标题行。完整说明见 data/README.md。"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (12, 14, 70, 36), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text() -> str:
    """The template as CSV: the header row only (a CSV has no second sheet; data/README.md explains the columns).
    UTF-8 with a byte-order mark, so that Excel in China does not open it as GBK."""
    return "\ufeff" + ",".join(HEADERS[column] for column in COLUMNS) + "\r\n"
