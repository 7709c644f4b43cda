"""Load and validate the site registry (CSV in UTF-8/GBK, or XLSX) into one table in WGS-84: the files read
here, each row checked by servicemap/rowcheck.py.

Every rejected row is kept with its reasons, so nothing is dropped silently: callers show
`LoadResult.issues` next to `LoadResult.sites`.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from servicemap import aliases, geo, rowcheck
from servicemap.rowcheck import ValidationIssue

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

# The header is row 1 in a spreadsheet, so the first record is row 2.
FIRST_DATA_ROW = 2

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK, which Excel in China writes


class RegistryUnreadable(Exception):
    """The file cannot be read as a table at all (missing, empty, wrong format)."""


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
    # 合计 / 总计 rows under the table, read as what they are, not sites, and said in the notes: rejected, one kept
    # "登记表中有 1 行有问题未读入，地图和清单里都没有" on every page for good, as if a site were missing (second
    # adopter review).
    total_rows_skipped: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def header_problems(self) -> tuple[ValidationIssue, ...]:
        """The header's own problems (a required column missing): they leave out every row, whatever its cells."""
        return tuple(issue for issue in self.issues if issue.row == 1)


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
    totals: list[int] = []
    for offset, record in enumerate(records):
        row_number = FIRST_DATA_ROW + offset
        if _is_blank(record):
            continue
        if total_at := _total_position(record, len(index)):
            # One note, not the five problems a 合计 row's empty cells each gave.
            column = header[total_at - 1] if total_at <= len(header) and header[total_at - 1] else f"第 {total_at} 列"
            notes.append(str(ValidationIssue(row_number, column, "这一行像是合计行，不是站点，没有读入")))
            totals.append(row_number)
            continue
        cells = {
            name: aliases.code_for(name, record[i].strip() if i < len(record) else "") for name, i in index.items()
        }
        if implied_crs:
            cells["crs"] = implied_crs
        row_notes = rowcheck.fill_implied(row_number, cells)
        id_owner = id_owners.setdefault(cells["id"], row_number) if cells["id"] else row_number
        # Each problem under the column's name as the file writes it (纬度（WGS-84）, not lat).
        row_issues = [
            replace(issue, column=as_written.get(issue.column, issue.column))
            for issue in rowcheck.row_problems(row_number, cells, id_owner)
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
        tuple(totals),
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
            # The names in the note itself: a clerk at the 关于数据 page has no data/README.md (second adopter review).
            notes.append(f"未识别的列「{cell}」，已忽略（可识别的列名：{aliases.known_headers()}）")
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
