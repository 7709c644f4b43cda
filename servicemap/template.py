"""A blank registry for an office starting its own: the columns under Chinese headers the loader reads, and a
说明 sheet saying for each whether it must be filled and which words it takes.

There is no example row among the rows: one left in by mistake would be drawn on the map as a real site. The
examples stand in the 说明 sheet, which the loader never reads (it reads the first sheet only).

The columns whose words come from a closed list get a drop-down in 登记表, so that a clerk picks 社区养老服务驿站
rather than typing it with a slip. It only offers: the other spellings the loader accepts (√ for 是, 高德 for GCJ02)
are still typed by hand, and Excel takes them without complaint.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

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
# Where a drop-down's words go when they do not fit in the validation itself (LIST_FORMULA_MAX): a hidden sheet
# after 说明, so 登记表 stays the first sheet, the only one the loader reads.
OPTIONS_SHEET = "选项"

# The drop-down of each closed-vocabulary column: one word per code, the word 说明 names the code by and the loader
# reads as that code (a test writes each into a row and reads it back). Aliases are left out: a list offering
# 是、有、提供、√、✓、✔、Y for one answer would read as seven answers.
# 纬度 and 经度 get no decimal rule: the loader reads 39.85°N, 北纬39.85 and full-width digits as degrees, text a
# decimal rule calls invalid (WPS and Excel circle it on 圈释无效数据) though the loader takes it, and bounds tight
# enough to catch a slip (Beijing's) would call a site over the Hebei border wrong, which the loader accepts.
CHOICES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "layer": vocab.LAYERS,
        "type": MappingProxyType({code: site_type.label for code, site_type in vocab.SITE_TYPES.items()}),
        "level": vocab.LEVELS,
        # The codes, as 说明 and the validator's message name them; which map gives which, the prompt says.
        "crs": MappingProxyType({code: code for code in vocab.CRS_CODES}),
        "precision": vocab.PRECISIONS,
        # 是、否、不明: the first word 说明 lists for each answer (the labels, 提供助餐 …, would repeat the header).
        "meal_service": MappingProxyType({code: words[0] for code, words in aliases.MEAL_WORDS.items()}),
    }
)
# What each drop-down's cell shows when selected: short, as a tooltip beside the cell is; the title adds whether
# the column must be filled (说明's own words).
PROMPTS: Mapping[str, str] = MappingProxyType(
    {
        "layer": "从列表中选；留空时按类型自动填写",
        "type": "从列表中选场所类型；养老驿站、养老照料中心等常见说法也可以直接写",
        "level": "从列表中选；主要用于统战工作阵地，养老设施留空",
        "crs": "坐标取自哪里：高德、腾讯地图选 GCJ02；百度地图选 BD09；手机 GPS、OpenStreetMap 选 WGS84",
        "precision": "坐标就是场所本身的位置，选 准确位置；留空按片区级近似位置显示",
        "meal_service": "从列表中选；也可写 有、无、√、× 等；留空即助餐情况不明",
    }
)
# Excel's own limits: a list written into the validation (quotes and commas counted), an input message and its
# title. Past any of them Excel "repairs" the file on opening and drops the validation.
LIST_FORMULA_MAX = 255
PROMPT_MAX = 255
PROMPT_TITLE_MAX = 32
# Every row under the header, to the sheet's last: an office never runs past the drop-downs, and the range costs
# nothing (it is one reference, not a rule per cell).
LAST_ROW = 1_048_576


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


def inline_list(words: Sequence[str]) -> str | None:
    """`words` as Excel's own list formula, "a,b,c", or None where it cannot be one: past LIST_FORMULA_MAX, or with
    a word that has a comma (which would split it in two) or a double quote (which would end the list)."""
    if any("," in word or '"' in word for word in words):
        return None
    formula = '"' + ",".join(words) + '"'
    return formula if len(formula) <= LIST_FORMULA_MAX else None


def _options_sheet(workbook: Workbook, lists: Mapping[str, list[str]]) -> dict[str, str]:
    """`lists` written one a column down a hidden options sheet, each under its column's header, and a defined
    name for each range: Excel 2007 takes a drop-down's list from another sheet only by name. The names, by column."""
    options = workbook.create_sheet(OPTIONS_SHEET)  # created last, after 说明: 登记表 stays the first sheet
    options.sheet_state = "hidden"
    names: dict[str, str] = {}
    for position, (column, words) in enumerate(lists.items(), start=1):
        letter = get_column_letter(position)
        options.cell(row=1, column=position, value=HEADERS[column])
        for row, word in enumerate(words, start=2):
            options.cell(row=row, column=position, value=word)
        names[column] = f"choices_{column}"
        # Quoted whatever the name: a quoted sheet name is always a valid reference.
        reference = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(words) + 1}"
        workbook.defined_names[names[column]] = DefinedName(names[column], attr_text=reference)
    return names


def _choice_validation(column: str, formula: str, required: str) -> DataValidation:
    """The drop-down of `column` from its list `formula`, under every row below the header."""
    letter = get_column_letter(COLUMNS.index(column) + 1)
    return DataValidation(
        type="list",
        formula1=formula,
        sqref=f"{letter}2:{letter}{LAST_ROW}",
        allow_blank=True,
        # No error box: a clerk typing √ or 高德, which the loader reads, must not be told it is wrong. The
        # information style is for a program that shows the box anyway: it lets the value in.
        showErrorMessage=False,
        errorStyle="information",
        showInputMessage=True,
        promptTitle=f"{HEADERS[column]}：{required}",
        prompt=PROMPTS[column],
        # showDropDown=True would hide the arrow (the attribute is named the other way round in the file format).
        showDropDown=False,
    )


def _add_choices(workbook: Workbook, sheet: Worksheet, column_notes: Mapping[str, tuple[str, str, str]]) -> None:
    """A drop-down on `sheet` for each column of CHOICES, titled with whether it must be filled (`column_notes`):
    its list written into the validation where it fits, else kept on the hidden options sheet."""
    lists = {column: list(words.values()) for column, words in CHOICES.items()}
    formulas = {column: inline_list(words) for column, words in lists.items()}
    overflow = {column: lists[column] for column, formula in formulas.items() if formula is None}
    named = _options_sheet(workbook, overflow) if overflow else {}
    for column in lists:
        formula = formulas[column] or named[column]
        sheet.add_data_validation(_choice_validation(column, formula, column_notes[column][0]))


def xlsx_bytes() -> bytes:
    """The template as an Excel workbook: 登记表 with the header row and the drop-downs only, then 说明 (and 选项,
    hidden, should a drop-down's words be too many to write into it)."""
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
    dropdowns = _words(HEADERS[column] for column in CHOICES)
    notes.append(["", "", f"{dropdowns}可以从下拉列表中选，也可以手写本表列出的其他写法（如助餐写 √）。"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (12, 14, 70, 36), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _add_choices(workbook, sheet, column_notes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text() -> str:
    """The template as CSV: the header row only (a CSV has no second sheet; data/README.md explains the columns).
    UTF-8 with a byte-order mark, so that Excel in China does not open it as GBK."""
    return "\ufeff" + ",".join(HEADERS[column] for column in COLUMNS) + "\r\n"
