"""The blank registry a new office starts from: headers the loader reads, a 说明 sheet, and no example row that
could end up on a map as a real site."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from servicemap import aliases, cli, template, vocab
from servicemap.registry import COLUMNS, load_registry

# One made-up site, as an office would type it into the template.
FILLED_ROW = {
    "编号": "1",
    "名称": "测试驿站（虚构）",
    "类型": "社区养老服务驿站",
    "纬度": "39.86",
    "经度": "116.23",
    "坐标系": "高德",
    "位置精度": "准确位置",
    "助餐": "√",
    "来源": "测试数据",
    "整理日期": "2026/3/1",
}
# The blank 图层 taken from the type, √ read as yes, Excel's date as the registry's.
FILLED_AS_READ = {"layer": "elderly_care", "type": "care_station", "meal_service": "yes", "updated": "2026-03-01"}


def test_every_header_is_read_back_as_its_column() -> None:
    assert {column: aliases.column_for_header(header) for column, header in template.HEADERS.items()} == {
        column: column for column in COLUMNS
    }


def test_the_notes_sheet_lists_each_column_and_the_words_it_takes() -> None:
    workbook = load_workbook(io.BytesIO(template.xlsx_bytes()))
    assert workbook.sheetnames == [template.SHEET, template.NOTES_SHEET]
    notes = {row[0]: row for row in workbook[template.NOTES_SHEET].iter_rows(min_row=2, values_only=True) if row[0]}
    assert list(notes) == [template.HEADERS[column] for column in COLUMNS]
    assert all(site_type.label in notes["类型"][2] for site_type in vocab.SITE_TYPES.values())
    assert all(code in notes["坐标系"][2] for code in vocab.CRS_CODES)
    assert all(label in notes["位置精度"][2] for label in vocab.PRECISIONS.values())
    assert "√" in notes["助餐"][2] and notes["来源"][1] == "必填"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_template_has_no_row_to_draw(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"登记表模板{suffix}"
    assert cli.main(["template", "--out", str(path)]) == cli.EXIT_VALID
    result = load_registry(path)
    assert result.ok and result.total_rows == 0 and not result.notes


def test_the_template_filled_with_one_site_validates(tmp_path: Path) -> None:
    path = tmp_path / "登记表模板.xlsx"
    assert cli.main(["template", "--out", str(path)]) == cli.EXIT_VALID
    workbook = load_workbook(path)
    sheet = workbook[template.SHEET]
    sheet.append([FILLED_ROW.get(str(cell.value)) for cell in sheet[1]])
    workbook.save(path)

    assert cli.main(["validate", str(path)]) == cli.EXIT_VALID
    site = load_registry(path).sites.iloc[0]
    assert {column: site[column] for column in FILLED_AS_READ} == FILLED_AS_READ


def test_the_template_is_never_written_over_an_existing_file(tmp_path: Path) -> None:
    registry = tmp_path / "登记表.xlsx"
    registry.write_bytes(b"the office's own registry")
    assert cli.main(["template", "--out", str(registry)]) == cli.EXIT_UNREADABLE
    assert registry.read_bytes() == b"the office's own registry"
