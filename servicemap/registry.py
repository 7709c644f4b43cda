"""Load and validate the site registry (CSV in UTF-8/GBK, or XLSX) into one table in WGS-84.

Every rejected row is kept with its reasons, so nothing is dropped silently: callers show
`LoadResult.issues` next to `LoadResult.sites`.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from servicemap import aliases, geo, vocab

DEFAULT_DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "sites.csv"
DATA_PATH_ENV = "SERVICEMAP_DATA"

REQUIRED_COLUMNS = (
    "id",
    "name",
    "layer",
    "type",
    "lat",
    "lon",
    "crs",
    "precision",
    "meal_service",
    "source",
    "updated",
)
COLUMNS = (
    "id",
    "name",
    "layer",
    "type",
    "level",
    "street",
    "address",
    "lat",
    "lon",
    "crs",
    "precision",
    "meal_service",
    "beds",
    "phone",
    "hours",
    "description",
    "source",
    "updated",
)

# Generous box around Beijing municipality (39.44-41.06 N, 115.42-117.51 E) plus ~50 km, so a site
# just over the border (a Hebei nursing home serving Beijing residents) is still accepted.
BEIJING_REGION = (38.9, 41.6, 114.8, 118.1)  # min lat, max lat, min lon, max lon

# The header is row 1 in a spreadsheet, so the first record is row 2.
FIRST_DATA_ROW = 2

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ASCII_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() also accepts ², ① and other non-ASCII digits
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK, which Excel in China writes


class RegistryUnreadable(Exception):
    """The file cannot be read as a table at all (missing, empty, wrong format)."""


@dataclass(frozen=True)
class ValidationIssue:
    row: int  # as a person sees it in a spreadsheet: header = 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    sites: pd.DataFrame  # valid rows only, lat/lon in WGS-84 (NaN where the place has no position yet)
    issues: tuple[ValidationIssue, ...] = ()
    rejected_rows: tuple[int, ...] = ()  # spreadsheet row numbers of rows left out
    total_rows: int = 0
    source_name: str = ""
    encoding: str = ""
    # The file's header and each rejected row's cells as read, in rejected_rows' order: the office gets them
    # back to fix (关于数据 offers them as a file), rather than lose them from a registry saved again.
    header: tuple[str, ...] = ()
    rejected_records: tuple[tuple[str, ...], ...] = ()
    # What was read other than as written, rejecting nothing (a column not read, a blank precision read as
    # approximate), once each: an office whose 备注 column was dropped had been told nothing (adopter review).
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.issues


def data_path() -> Path:
    """The registry file the app and CLI use: $SERVICEMAP_DATA if set, else the shipped data."""
    override = os.environ.get(DATA_PATH_ENV, "").strip()
    return Path(override) if override else DEFAULT_DATA_PATH


def load_registry(path: str | os.PathLike[str]) -> LoadResult:
    """Read and validate a registry file; raises RegistryUnreadable if it is not a table at all."""
    path = Path(path)
    if not path.exists():
        raise RegistryUnreadable(f"文件不存在：{path}")
    if path.is_dir():
        raise RegistryUnreadable(f"这是一个文件夹，不是表格文件：{path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, records = _read_xlsx(path)
        encoding = "xlsx"
    else:
        header, records, encoding = _read_csv_bytes(path.read_bytes())
    return validate_records(header, records, source_name=path.name, encoding=encoding)


def _read_csv_bytes(raw: bytes) -> tuple[list[str], list[list[str]], str]:
    if not raw.strip():
        raise RegistryUnreadable("文件是空的")
    if b"\x00" in raw[:4096]:
        raise RegistryUnreadable("这不是文本表格（CSV）文件；Excel 文件请保存为 .xlsx")
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise RegistryUnreadable("无法识别文件编码：请存为 UTF-8 或 GBK 编码的 CSV")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise RegistryUnreadable(f"CSV 格式错误：{exc}") from exc
    header, records = _split_header(rows, "文件是空的")
    return header, records, "utf-8" if encoding == "utf-8-sig" else "gbk"


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook  # imported here: only XLSX users pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-XLSX file
        raise RegistryUnreadable(f"无法打开 Excel 文件：{exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _split_header(rows, "Excel 文件的第一个工作表是空的")


def _is_blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


def _split_header(rows: list[list[str]], empty_message: str) -> tuple[list[str], list[list[str]]]:
    """Header and records. Blank rows inside the table stay (validation skips them) so that row
    numbers keep matching what the spreadsheet shows; blank rows at the end are dropped."""
    while rows and _is_blank(rows[-1]):
        rows.pop()
    if not rows:
        raise RegistryUnreadable(empty_message)
    if _is_blank(rows[0]):
        raise RegistryUnreadable("第一行是空行：第一行应是表头（id, name, layer, …）")
    header = [h.strip() for h in rows[0]]
    if not _names_a_site(header):
        # Offices often put a title above the table ("某某街道养老服务资源登记表"): say so rather than "no header".
        title_above = len(rows) > 1 and _names_a_site([cell.strip() for cell in rows[1]])
        raise RegistryUnreadable(
            "第一行不是表头：找不到 id（登记编号）或 name（名称）列"
            + ("；第 2 行像是表头，请删去表头上方的标题行" if title_above else "")
        )
    return header, rows[1:]


def _names_a_site(header: list[str]) -> bool:
    return any(aliases.column_for_header(cell) in ("id", "name") for cell in header)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def validate_records(
    header: list[str], records: list[list[str]], *, source_name: str = "", encoding: str = ""
) -> LoadResult:
    """Validate raw string records against the schema; keep the good rows, report the rest."""
    issues: list[ValidationIssue] = []
    index, notes = _column_positions(header)
    as_written = {column: header[position] for column, position in index.items()}
    # A download from 资源清单 states the system in its header, 纬度（WGS-84）, and has no 坐标系 column.
    implied_crs = None if "crs" in index else aliases.crs_implied_by_headers(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in index and not (c == "crs" and implied_crs)]
    for column in missing:
        issues.append(ValidationIssue(1, column, f"缺少必填列 {aliases.header_name(column)}"))
    if missing:
        rejected = tuple(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(records)))
        return LoadResult(
            _empty_frame(),
            tuple(issues),
            rejected,
            len(records),
            source_name,
            encoding,
            tuple(header),
            tuple(tuple(record) for record in records),
            tuple(notes),
        )

    # The first row that carries an id owns it, whether or not that row is valid: when the owner was left out,
    # a later row with its id was kept, and rejected instead once the owner was fixed (adopter review).
    id_owners: dict[str, int] = {}
    good: list[dict[str, object]] = []
    rejected_rows: list[int] = []
    rejected_records: list[tuple[str, ...]] = []
    for offset, record in enumerate(records):
        row_number = FIRST_DATA_ROW + offset
        if _is_blank(record):
            continue
        if total_at := _total_position(record, len(index)):
            # One message, not the five a 合计 row's empty cells each gave.
            column = header[total_at - 1] if total_at <= len(header) and header[total_at - 1] else f"第 {total_at} 列"
            issues.append(ValidationIssue(row_number, column, "这一行像是合计行，未读入"))
            rejected_rows.append(row_number)
            rejected_records.append(tuple(record))
            continue
        cells = {
            name: aliases.code_for(name, record[i].strip() if i < len(record) else "") for name, i in index.items()
        }
        if implied_crs:
            cells["crs"] = implied_crs
        row_notes = _fill_implied(row_number, cells)
        id_owner = id_owners.setdefault(cells["id"], row_number) if cells["id"] else row_number
        # Each problem under the column's name as the file writes it (纬度（WGS-84）, not lat).
        row_issues = [
            replace(issue, column=as_written.get(issue.column, issue.column))
            for issue in _validate_row(row_number, cells, id_owner)
        ]
        if not _is_blank(record[len(header) :]):
            row_issues.append(
                ValidationIssue(row_number, "(多余)", f"这一行有 {len(record)} 格，表头只有 {len(header)} 列")
            )
        if row_issues:
            issues.extend(row_issues)
            rejected_rows.append(row_number)
            rejected_records.append(tuple(record))
            continue
        notes.extend(str(replace(note, column=as_written.get(note.column, note.column))) for note in row_notes)
        good.append(_to_site(row_number, cells))
    frame = pd.DataFrame(good, columns=[*COLUMNS, "row"]) if good else _empty_frame()
    frame = _typed(frame)
    return LoadResult(
        frame,
        tuple(issues),
        tuple(rejected_rows),
        len(records),
        source_name,
        encoding,
        tuple(header),
        tuple(rejected_records),
        tuple(notes),
    )


def _column_positions(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Each registry column at the first header naming it (id, 编号 or 登记编号), and a note for each header
    not read: a column the registry does not have, or a second column naming one already read."""
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        column = aliases.column_for_header(cell)
        if column is not None and column not in index:
            index[column] = position
    notes: list[str] = []
    for position, cell in enumerate(header):
        column = aliases.column_for_header(cell)
        if column is None and (running := aliases.running_number_column(cell)) and running not in index:
            index[running] = position  # 序号 as the id, the sheet having no 编号
        elif column is None and cell and cell not in aliases.KNOWN_IGNORED_HEADERS:
            notes.append(f"未识别的列「{cell}」，已忽略（可识别的列名见 data/README.md）")
        elif column is not None and index[column] != position:
            notes.append(f"列「{cell}」与前面的「{header[index[column]]}」是同一列，只读前一列，本列已忽略")
    return index, notes


TOTAL_ROW_WORDS = ("合计", "总计", "小计")


def _total_position(record: list[str], width: int) -> int:
    """The column (counted from 1) where a row says it is a 合计/总计/小计 row under the table, or 0 if it is
    not one: its first filled cell starts with the word, and at most half the registry's columns are filled."""
    filled = [(position, cell.strip()) for position, cell in enumerate(record, start=1) if cell.strip()]
    if len(filled) <= max(1, width // 2) and filled[0][1].startswith(TOTAL_ROW_WORDS):
        return filled[0][0]
    return 0


UNSTATED_PRECISION = "area"


def _fill_implied(row: int, cells: dict[str, str]) -> list[ValidationIssue]:
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


def _validate_row(row: int, cells: dict[str, str], id_owner: int) -> list[ValidationIssue]:
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
    if not layer:  # left blank with a type that is not known either: the type is what to fix first
        problem("layer", f"图层为空（可写：{'、'.join(vocab.LAYERS.values())}；类型填对时可留空）")
    elif layer not in vocab.LAYERS:
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


def _to_site(row: int, cells: dict[str, str]) -> dict[str, object]:
    site: dict[str, object] = {name: cells.get(name, "") for name in COLUMNS}
    site["meal_service"] = cells["meal_service"] or "unknown"
    if cells["lat"]:
        lat, lon = geo.to_wgs84(float(cells["lat"]), float(cells["lon"]), cells["crs"])
        site["lat"], site["lon"] = round(lat, 7), round(lon, 7)
    else:
        site["lat"] = site["lon"] = math.nan
        site["crs"] = site["precision"] = ""
    site["beds"] = int(cells["beds"]) if cells.get("beds") else None
    site["row"] = row
    return site


def _empty_frame() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=[*COLUMNS, "row"]))


# Code columns hold a handful of distinct values; as categoricals, filtering 100,000 rows by them is
# an integer comparison instead of a string scan.
CATEGORICAL_COLUMNS = ("layer", "type", "level", "street", "crs", "precision", "meal_service")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"lat": "float64", "lon": "float64", "row": "int64"})
    frame["beds"] = frame["beds"].astype("Int64")
    text_columns = [c for c in COLUMNS if c not in ("lat", "lon", "beds")]
    frame[text_columns] = frame[text_columns].astype(str)
    for column in CATEGORICAL_COLUMNS:
        frame[column] = frame[column].astype("category")
    return frame.reset_index(drop=True)
