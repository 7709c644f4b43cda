"""One row of the site registry checked: the blanks it answers itself filled in, and each problem said in words
a clerk can act on (what is wrong, and what to write instead).

servicemap/registry.py reads the files and keeps or rejects each row by what this module finds; the cells have
already been read as codes where a spelling can mean one thing only (servicemap/aliases.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from servicemap import aliases, vocab

# Generous box around Beijing municipality (39.44-41.06 N, 115.42-117.51 E) plus ~50 km, so a site
# just over the border (a Hebei nursing home serving Beijing residents) is still accepted.
BEIJING_REGION = (38.9, 41.6, 114.8, 118.1)  # min lat, max lat, min lon, max lon

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ASCII_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() also accepts ², ① and other non-ASCII digits
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class ValidationIssue:
    row: int  # as a person sees it in a spreadsheet: header = 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


# What a position with no precision stated is read as: the most cautious one (fill_implied)
UNSTATED_PRECISION = "area"


def fill_implied(row: int, cells: dict[str, str]) -> list[ValidationIssue]:
    """Fill the blank cells the row itself answers, and note those read as something not written.

    The layer follows from a known type (each type is in exactly one layer). A position without a precision
    is taken as 片区级: its accuracy is unknown, so it must not be shown as exact, and 片区级 is the most cautious
    reading (dashed marker, "位置为近似"). Nothing else is filled: a blank 坐标系 stays an error, since GCJ-02
    and WGS-84 differ by about 500 m in Beijing and a guess would move the site."""
    site_type = vocab.SITE_TYPES.get(cells["type"])
    if not cells["layer"] and site_type is not None:
        cells["layer"] = site_type.layer
    if cells["lat"] and cells["lon"] and not cells["precision"]:
        cells["precision"] = UNSTATED_PRECISION
        return [
            ValidationIssue(
                row,
                "precision",
                f"位置精度未填，按“{vocab.PRECISIONS[UNSTATED_PRECISION]}”显示（虚线标记）；"
                "如知道坐标就是场所本身的位置，请填 准确位置",
            )
        ]
    return []


def row_problems(row: int, cells: dict[str, str], id_owner: int) -> list[ValidationIssue]:
    """Each problem of the row numbered `row`, whose id the row numbered `id_owner` carried first."""
    problems: list[ValidationIssue] = []

    def problem(column: str, message: str) -> None:
        problems.append(ValidationIssue(row, column, message))

    site_id = cells["id"]
    if not site_id:
        # Named as the clerk knows the column (登记编号 in the list's download), with what to write.
        # An example any office can follow: 卢沟桥's own lgq-care-003 read as a rule to copy (adopter review).
        problem("id", "编号为空：每行要有一个不与其他行重复的编号，如 A-001，或 1、2、3")
    elif id_owner != row:
        problem("id", f"编号重复：'{site_id}' 已在第 {id_owner} 行使用")
    if not cells["name"]:
        problem("name", "名称为空")

    layer = cells["layer"]
    # Left blank with a type that is not known either: the type's message says what to fix, and a second one on
    # 图层, which the template says may be left blank, read as another mistake (second adopter review).
    if layer and layer not in vocab.LAYERS:
        problem(
            "layer", f"未知的图层 '{layer}'（可写：{'、'.join(vocab.LAYERS.values())}，或 {', '.join(vocab.LAYERS)}）"
        )
    site_type = vocab.SITE_TYPES.get(cells["type"])
    if site_type is None:
        problem("type", _type_problem(cells["type"], layer))
    elif layer in vocab.LAYERS and site_type.layer != layer:
        problem("type", f"类型 '{site_type.code}' 属于图层 '{site_type.layer}'，与本行图层 '{layer}' 不符")

    level = cells.get("level", "")
    if level and level not in vocab.LEVELS:
        problem(
            "level",
            f"未知的级别 '{level}'（可写：{'、'.join(vocab.LEVELS.values())}，或 {', '.join(vocab.LEVELS)}，或留空）",
        )

    _validate_position(cells, problem)

    meal = cells["meal_service"]
    if meal and meal not in vocab.MEAL_SERVICE:
        problem("meal_service", f"助餐取值 '{meal}' 无效（可写：是、否、情况不明，或 yes, no, unknown）")

    beds = cells.get("beds", "")
    if beds and not (_ASCII_DIGITS.fullmatch(beds) and int(beds) < 100_000):
        problem("beds", _beds_problem(beds))

    if not cells["source"]:
        problem("source", "未注明来源：填写信息出处，如“街道台账 2026年3月”或网页地址")
    updated = cells["updated"]
    if not _is_iso_date(updated):
        problem("updated", f"日期 '{updated}' 不是真实的年-月-日（如 2026-11-27 或 2026/11/27）")
    return problems


def _type_problem(text: str, layer: str) -> str:
    """Why `text` is no type, listing the types one may write (those of the row's layer when it has one): a
    pointer to 关于数据's technical notes sent a clerk looking for a page she could not find (adopter review)."""
    labels = "、".join(t.label for t in vocab.SITE_TYPES.values() if layer not in vocab.LAYERS or t.layer == layer)
    hint = aliases.type_hint(text)
    said = f"未知的类型 '{text}'" if text else "类型为空"
    return f"{said}{'：' + hint if hint else ''}（可写：{labels}）"


def _beds_problem(beds: str) -> str:
    """Why `beds` is not a bed count, and what to write instead where that is plain: "1，200" (a full-width
    comma, as Chinese input methods type it) and "18张" are meant as 1200 and 18."""
    meant = re.sub(r"[,，\s张]", "", beds.translate(_FULL_WIDTH_DIGITS))
    if _ASCII_DIGITS.fullmatch(meant) and int(meant) < 100_000:
        return f"床位数 '{beds}' 里有逗号、空格或文字：请只写数字，写成 {int(meant)}"
    return f"床位数 '{beds}' 不是整数：请写 0 到 99999 的数字，不知道就留空"


def _is_iso_date(text: str) -> bool:
    # fromisoformat alone also takes week dates such as 2026-W48-5; the pattern keeps to YYYY-MM-DD.
    if not _ISO_DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:  # 2026-02-30 and the like
        return False
    return True


def _validate_position(cells: dict[str, str], problem) -> None:  # noqa: ANN001 - local callback
    lat_text, lon_text = cells["lat"], cells["lon"]
    if not lat_text and not lon_text:
        return  # a named place whose position is not known yet: listed, not drawn
    if not lat_text or not lon_text:
        filled = lat_text or lon_text
        if _TWO_NUMBERS.fullmatch(filled.translate(_FULL_WIDTH_DIGITS)):
            problem("lat" if lat_text else "lon", f"'{filled}' 像是把纬度和经度写在了同一格：请分开填在纬度、经度两列")
        else:
            problem("lat" if not lat_text else "lon", "纬度和经度要么都填，要么都留空")
        return
    numbers: dict[str, float] = {}
    for column, text in (("lat", lat_text), ("lon", lon_text)):
        try:
            value = float(text)
        except ValueError:
            problem(column, _coordinate_problem(text))
            continue
        if not math.isfinite(value):
            problem(column, f"'{text}' 不是有限数值")
            continue
        numbers[column] = value
    if len(numbers) < 2:
        return
    lat, lon = numbers["lat"], numbers["lon"]
    min_lat, max_lat, min_lon, max_lon = BEIJING_REGION
    # The swap check comes first: a swapped Beijing row has latitude ~116, which is also out of range,
    # and "swapped" tells the person what to fix.
    if min_lat <= lon <= max_lat and min_lon <= lat <= max_lon:
        problem("lat", f"经纬度似乎填反了：纬度 {lat_text}、经度 {lon_text}（北京约为纬度 40、经度 116）")
    elif not -90 <= lat <= 90:
        problem("lat", f"纬度 {lat_text} 超出 -90 到 90 的范围")
    elif not -180 <= lon <= 180:
        problem("lon", f"经度 {lon_text} 超出 -180 到 180 的范围")
    elif not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
        problem("lat", f"坐标 ({lat_text}, {lon_text}) 远在北京市范围之外")

    crs = cells["crs"]
    if not crs:
        problem("crs", _CRS_UNSTATED)
    elif crs not in vocab.CRS_CODES:
        problem("crs", f"坐标系 '{crs}' 无效（可写：WGS-84、GCJ-02（高德、腾讯）、BD-09（百度））")
    precision = cells["precision"]
    if precision not in vocab.PRECISIONS:
        problem(
            "precision",
            f"位置精度 '{precision}' 无效（可写：准确位置、道路或街区级、片区级，或 {', '.join(vocab.PRECISIONS)}）",
        )


# Never guessed (GCJ-02 and WGS-84 differ by about 500 m in Beijing), so the message says plainly what to write.
_CRS_UNSTATED = (
    "坐标系未填：有经纬度就要写明坐标取自哪里，程序不会猜（填错位置会偏约 500 米）。"
    "高德、腾讯地图取的写 GCJ02；百度地图取的写 BD09；手机 GPS、OpenStreetMap 取的写 WGS84"
)
_TWO_NUMBERS = re.compile(r"\s*-?[0-9.]+\s*[,，、;；\s]\s*-?[0-9.]+\s*")
# What a coordinate copied from a map page or written by hand carries besides the number.
_NOT_DECIMAL_DEGREES = re.compile(r"[°′″'\"度分秒]|北纬|南纬|东经|西经|[0-9.]\s*[NSEWnsew]$")


def _coordinate_problem(text: str) -> str:
    if _NOT_DECIMAL_DEGREES.search(text):
        return f"'{text}' 不是十进制度数：请只写数字，如 39.865（去掉 °、N、E 等字样；度分秒请先换算成小数）"
    return f"'{text}' 不是数字"
