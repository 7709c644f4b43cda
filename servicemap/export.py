"""Write the validated registry out in WGS-84: as readers see it (Chinese columns and labels, for staff to
hand on), in the registry's own format (codes, re-importable), and GeoJSON (RFC 7946) for GIS tools."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from servicemap import aliases, edition, sitelist
from servicemap.metrics import ReportedFigure
from servicemap.registry import COLUMNS, LoadResult
from servicemap.textsafe import FORMULA_STARTS

# Excel in China opens a CSV as GBK unless it starts with a UTF-8 byte-order mark.
UTF8_BOM = "\ufeff"
NUMERIC_COLUMNS = ("lat", "lon", "beds")


def neutralise_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_frame(sites: pd.DataFrame) -> pd.DataFrame:
    """export_frame with every text cell safe to open in Excel or WPS."""
    frame = export_frame(sites)
    for column in frame.columns:
        if column not in NUMERIC_COLUMNS:
            frame[column] = frame[column].map(neutralise_formula)
    return frame


def export_frame(sites: pd.DataFrame) -> pd.DataFrame:
    """The registry columns with lat/lon in WGS-84 and crs saying so (blank where unplaced)."""
    frame = sites.loc[:, list(COLUMNS)].copy()
    # Plain strings, not categoricals: exports write values, and formula-neutralising must be able to edit them.
    frame = frame.astype({c: "object" for c in COLUMNS if c not in ("lat", "lon", "beds")})
    placed = frame["lat"].notna()
    frame["crs"] = placed.map({True: "WGS84", False: ""})
    frame["beds"] = frame["beds"].astype("object").where(frame["beds"].notna(), "")
    for column in ("lat", "lon"):
        frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else f"{v:.7f}".rstrip("0").rstrip("."))
    return frame


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda column: column.map(neutralise_formula))


def reader_csv_text(sites: pd.DataFrame, near: sitelist.NearOrigin | None = None) -> str:
    """sitelist.download_table (from "my location" `near`, with distances) as CSV text (UTF-8, BOM first), every
    cell safe to open in Excel or WPS."""
    buffer = io.StringIO()
    _neutralised(sitelist.download_table(sites, near)).to_csv(buffer, index=False, lineterminator="\r\n")
    return UTF8_BOM + buffer.getvalue()


XLSX_PRINT_TITLE = "卢街颐养 · 养老服务资源清单（区报2025年1月报道及公开资料）"


# The columns a printed list carries, up to 位置: 来源, 整理日期, 登记编号 and the coordinates stay on screen.
# All seventeen on one page wide printed at a third of their size (11 pt as under 4 pt).
XLSX_PRINTED_UP_TO = "位置"
NOTES_SHEET = "说明"


def list_notes(
    filters_text: str,
    shown: int,
    caveat: str,
    title: str = XLSX_PRINT_TITLE,
    sources: str = edition.SHIPPED.sources,
    standing: str = edition.SHIPPED.standing,
) -> list[tuple[str, str]]:
    """What a list handed on must say beside its rows (the workbook's 说明 sheet): what it is (`title`, and its
    `standing`), under which filters, what it lacks and where it comes from. A printed list of 2 municipal sites
    said nothing of 24."""
    # Without a caveat (another office's registry, no reports beside it) the row goes: "本图不完整 —" read oddly.
    return [
        ("内容", title),
        ("性质", edition.standing_text(standing).replace("本图", "本清单及其地图", 1)),
        ("筛选", f"{filters_text}（共 {shown} 处）"),
        *([("本图不完整", caveat)] if caveat else []),
        ("来源", f"{sources}（位置精度见“位置”一列）"),
        ("打印", f"“站点清单”打印到“{XLSX_PRINTED_UP_TO}”一列为止；来源、登记编号和经纬度在表格右侧"),
    ]


REPORTED_SHEET = "报道中的数字"


def reported_figures_frame(figures: Iterable[ReportedFigure]) -> pd.DataFrame:
    """The reports' figures as the workbook's third sheet: each with whose it is, as of when and from which
    report, and where the registry has a counterpart, how many of them it holds and draws. A briefing needs
    the 12 institutions and 248 meals a day in hand, and only the page's own table had them (briefing review)."""
    rows = [
        {
            "指标": f.label,
            "范围": f.scope,
            # A number and its unit apart: "12 家" and "72.2%" as text could not be summed or charted (staff review).
            "报道数": int(f.value) if float(f.value).is_integer() else f.value,
            "单位": f.unit,  # with its bound where the report gives one ("人以上", "种以内")
            "本图收录 / 上图": sitelist.NOT_APPLICABLE if f.listed is None else f"{f.listed} / {f.mapped}",
            "截至": f.as_of,
            "来源": f.source,
        }
        for f in figures
    ]
    return pd.DataFrame(rows, columns=["指标", "范围", "报道数", "单位", "本图收录 / 上图", "截至", "来源"])


def reader_xlsx_bytes(
    sites: pd.DataFrame,
    notes: Sequence[tuple[str, str]] = (),
    sheet_name: str = "站点清单",
    title: str = XLSX_PRINT_TITLE,
    figures: pd.DataFrame | None = None,
    near: sitelist.NearOrigin | None = None,
) -> bytes:
    """sitelist.download_table (from "my location" `near`, with distances) as an Excel workbook that opens ready to
    read and sort: every cell safe, bold header row frozen with a filter on it, columns as wide as their text (long
    text wrapped). Printed, it is A4
    landscape, one page wide up to 位置, the header row on every page, a title above and page numbers below:
    with Excel's defaults the 17 columns ran over four pages side by side, the header on the first only.
    `notes` (label, text), e.g. from list_notes, go on a second sheet, 说明; `figures` (reported_figures_frame),
    when there are any, on a third, 报道中的数字."""
    buffer = io.BytesIO()
    table = _neutralised(sitelist.download_table(sites, near))
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, index=False, sheet_name=sheet_name)
        sheet = writer.sheets[sheet_name]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for column_cells in sheet.iter_cols():
            width = max(_display_width(cell.value) for cell in column_cells) + 2
            letter = column_cells[0].column_letter
            sheet.column_dimensions[letter].width = min(width, XLSX_MAX_COLUMN_WIDTH)
            column_cells[0].font = Font(bold=True)
            if width > XLSX_MAX_COLUMN_WIDTH:
                for cell in column_cells[1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # one page wide, as many long
        sheet.print_title_rows = "1:1"
        last_printed = get_column_letter(list(table.columns).index(XLSX_PRINTED_UP_TO) + 1)
        sheet.print_area = f"A1:{last_printed}{len(table) + 1}"
        sheet.oddHeader.center.text = title
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
        if notes:
            _neutralised(pd.DataFrame(list(notes), columns=["项目", "说明"])).to_excel(
                writer, index=False, sheet_name=NOTES_SHEET
            )
            notes_sheet = writer.sheets[NOTES_SHEET]
            notes_sheet.column_dimensions["A"].width = 12
            notes_sheet.column_dimensions["B"].width = 100
            for row in notes_sheet.iter_rows(min_row=2):
                row[1].alignment = Alignment(wrap_text=True, vertical="top")
        if figures is not None and not figures.empty:
            _neutralised(figures).to_excel(writer, index=False, sheet_name=REPORTED_SHEET)
            figures_sheet = writer.sheets[REPORTED_SHEET]
            figures_sheet.freeze_panes = "A2"
            for letter, width in zip("ABCDEFG", (34, 16, 10, 10, 14, 12, 60), strict=True):
                figures_sheet.column_dimensions[letter].width = width
            for row in figures_sheet.iter_rows():
                for cell in row:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    cell.font = Font(bold=cell.row == 1)
    return reproducible_xlsx(buffer.getvalue(), data_date(sites))


# In Excel's character widths; longer text (名称, 介绍, 价格, 来源) wraps in the cell. 22, not 24: with 价格 the
# printed columns came to 240, printed at under two thirds of their size.
XLSX_MAX_COLUMN_WIDTH = 22


def _display_width(value: object) -> int:
    """How wide a cell's text is in Excel's character widths: a Chinese character takes two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_csv_text(sites: pd.DataFrame) -> str:
    """CSV text (UTF-8, BOM first) ready to write or download."""
    buffer = io.StringIO()
    spreadsheet_frame(sites).to_csv(buffer, index=False, lineterminator="\r\n")
    return UTF8_BOM + buffer.getvalue()


def issue_table(result: LoadResult) -> pd.DataFrame:
    """The registry check's problems as the about page lists them: 行号, the row's 名称 as the file had it (the
    clerk finds the row by it; "row 24" alone sent her counting), 列 and 问题."""
    names: dict[int, str] = {}
    name_at = next((i for i, h in enumerate(result.header) if aliases.column_for_header(h) == "name"), None)
    if name_at is not None:
        for row, record in zip(result.rejected_rows, result.rejected_records, strict=True):
            names[row] = record[name_at].strip() if name_at < len(record) else ""
    return pd.DataFrame(
        [(issue.row, names.get(issue.row, ""), issue.column, issue.message) for issue in result.issues],
        columns=["行号", "名称", "列", "问题"],
    )


def rejected_rows_csv_text(result: LoadResult) -> str:
    """The rows the registry check left out, as the file had them, to fix and paste back: each with its row
    number and its problems first, then its cells under the file's own header (CSV, UTF-8 with BOM, every
    cell safe to open in Excel or WPS). Empty when no row was left out."""
    if not result.rejected_rows:
        return ""
    problems: dict[int, list[str]] = {}
    for issue in result.issues:
        problems.setdefault(issue.row, []).append(f"{issue.column}：{issue.message}")
    # A missing column (reported at the header, row 1, as 缺少必填列 source（来源）) is every row's problem.
    header_problems = [f"表头{issue.message}" for issue in result.issues if issue.row == 1]
    problems.pop(1, None)
    width = max([len(result.header), *(len(record) for record in result.rejected_records)])
    header = [*result.header, *[""] * (width - len(result.header))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["行号", "问题", *header])
    for row, record in zip(result.rejected_rows, result.rejected_records, strict=True):
        cells = [*record, *[""] * (width - len(record))]
        writer.writerow(
            [
                row,
                neutralise_formula("；".join(header_problems + problems.get(row, []))),
                *map(neutralise_formula, cells),
            ]
        )
    return UTF8_BOM + buffer.getvalue()


def updated_span(sites: pd.DataFrame) -> str:
    """When the rows were last tidied, as a file's heading says it: one date, or the first and the last. A sheet
    said 2026-11-28 while a site on it said 2026-11-27 (briefing review)."""
    dates = sorted({str(date) for date in sites["updated"]})
    if not dates:
        return "—"
    return dates[0] if len(dates) == 1 else f"{dates[0]} 至 {dates[-1]}"


def to_xlsx_bytes(sites: pd.DataFrame, sheet_name: str = "养老服务资源") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        spreadsheet_frame(sites).to_excel(writer, index=False, sheet_name=sheet_name)
    return reproducible_xlsx(buffer.getvalue(), data_date(sites))


# The earliest time a zip entry can carry: a workbook's date when its rows give none.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def data_date(sites: pd.DataFrame) -> tuple[int, int, int, int, int, int]:
    """The newest 整理日期 (`updated`) of the rows, as a zip entry's date; ZIP_EPOCH when none is a date."""
    dates = pd.to_datetime(sites["updated"], errors="coerce", format="%Y-%m-%d") if "updated" in sites else None
    newest = dates.max() if dates is not None else pd.NaT
    return ZIP_EPOCH if pd.isna(newest) else (newest.year, newest.month, newest.day, 0, 0, 0)


def reproducible_xlsx(workbook: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The workbook with the time of its making replaced by `when`, in its zip entries and its document
    properties, so the same rows always give the same bytes. openpyxl stamps the clock into both, and the page
    builds its download on every rerun: a file that changed every second got a new link each time, and a
    click landing as a rerun finished found nothing (ui/files.py)."""
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*when)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp, text)
                content = text.encode("utf-8")
            target.writestr(zipfile.ZipInfo(entry.filename, date_time=when), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def to_geojson(sites: pd.DataFrame) -> dict:
    """An RFC 7946 FeatureCollection (lon, lat order). Unplaced sites get a null geometry, so none is lost."""
    features = []
    for record in export_frame(sites).to_dict(orient="records"):
        lat, lon = record.pop("lat"), record.pop("lon")
        record.pop("crs")
        geometry = None
        if lat != "":
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        properties = {k: ("" if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
        features.append({"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def to_geojson_text(sites: pd.DataFrame) -> str:
    return json.dumps(to_geojson(sites), ensure_ascii=False, indent=1)
