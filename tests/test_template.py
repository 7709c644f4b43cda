"""The blank registry a new office starts from: headers the loader reads, a 说明 sheet, drop-downs of the words the
loader reads, and no example row that could end up on a map as a real site."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

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
# The closed vocabularies, whose every code a drop-down offers once.
VOCABULARIES = {
    "layer": vocab.LAYERS,
    "type": vocab.SITE_TYPES,
    "level": vocab.LEVELS,
    "crs": vocab.CRS_CODES,
    "precision": vocab.PRECISIONS,
    "meal_service": vocab.MEAL_SERVICE,
}


def _drop_downs(workbook: Workbook) -> dict[str, DataValidation]:
    """The 登记表 sheet's validations by the header of the one column each covers."""
    sheet = workbook[template.SHEET]
    by_header: dict[str, DataValidation] = {}
    for validation in sheet.data_validations.dataValidation:
        (cells,) = validation.sqref.ranges
        assert cells.min_col == cells.max_col
        by_header[str(sheet.cell(row=1, column=cells.min_col).value)] = validation
    return by_header


def _listed_words(workbook: Workbook, formula: str) -> list[str]:
    """The words a list validation offers: written into it ("a,b"), or in the range a defined name refers to."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    ((sheet_name, reference),) = workbook.defined_names[formula].destinations
    return [str(cell.value) for (cell,) in workbook[sheet_name][reference.replace("$", "")]]


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


def test_the_closed_columns_and_no_other_have_a_drop_down_that_refuses_nothing() -> None:
    workbook = load_workbook(io.BytesIO(template.xlsx_bytes()))
    drop_downs = _drop_downs(workbook)
    notes = {row[0]: row[2] for row in workbook[template.NOTES_SHEET].iter_rows(min_row=2, values_only=True) if row[0]}

    # 名称, 地址, 介绍, 来源 and the other free-text columns, and 纬度 and 经度 (see template.CHOICES), have none.
    assert list(drop_downs) == [template.HEADERS[column] for column in VOCABULARIES]
    for column, validation in zip(VOCABULARIES, drop_downs.values(), strict=True):
        letter = get_column_letter(COLUMNS.index(column) + 1)
        assert validation.type == "list" and str(validation.sqref) == f"{letter}2:{letter}{template.LAST_ROW}"
        assert _listed_words(workbook, validation.formula1) == list(template.CHOICES[column].values())
        # Each code once, in the vocabulary's order, by a word 说明 gives for it.
        assert list(template.CHOICES[column]) == list(VOCABULARIES[column])
        assert all(word in notes[template.HEADERS[column]] for word in template.CHOICES[column].values())
        # √ or 高德 typed by hand is let in: no error box, and an information one where a program shows it anyway.
        assert not validation.showErrorMessage and validation.errorStyle == "information"
        assert validation.showInputMessage and not validation.showDropDown  # the arrow shown, with the prompt
        assert validation.promptTitle.startswith(template.HEADERS[column])
        assert len(validation.promptTitle) <= template.PROMPT_TITLE_MAX
        assert len(validation.prompt) <= template.PROMPT_MAX
    assert workbook.sheetnames == [template.SHEET, template.NOTES_SHEET]  # every list fits in its validation
    assert workbook[template.SHEET].max_row == 1  # the header, and no row to draw


def test_each_drop_down_word_is_read_as_its_own_code(tmp_path: Path) -> None:
    path = tmp_path / "登记表模板.xlsx"
    assert cli.main(["template", "--out", str(path)]) == cli.EXIT_VALID
    workbook = load_workbook(path)
    sheet = workbook[template.SHEET]
    headers = [str(cell.value) for cell in sheet[1]]
    picked: list[tuple[str, str]] = []
    for header, validation in _drop_downs(workbook).items():
        for word in _listed_words(workbook, validation.formula1):
            row = FILLED_ROW | {"编号": str(len(picked) + 1), header: word}
            if header == "图层":  # a type of that layer, or the row is refused for its type
                layer = aliases.code_for("layer", word)
                row["类型"] = next(t.label for t in vocab.SITE_TYPES.values() if t.layer == layer)
            sheet.append([row.get(name) for name in headers])
            picked.append((header, word))
    workbook.save(path)

    assert cli.main(["validate", str(path)]) == cli.EXIT_VALID
    sites = load_registry(path).sites
    read: dict[str, list[str]] = {}
    for (header, _word), (_, site) in zip(picked, sites.iterrows(), strict=True):
        read.setdefault(header, []).append(site[aliases.column_for_header(header)])
    assert read == {template.HEADERS[column]: list(codes) for column, codes in VOCABULARIES.items()}


def test_a_list_too_long_to_write_into_its_drop_down_is_kept_on_a_hidden_sheet_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many_types = {f"t{n}": f"虚构的场所类型第{n}种（测试用）" for n in range(20)}
    assert template.inline_list(list(many_types.values())) is None  # past Excel's 255 characters
    monkeypatch.setattr(template, "CHOICES", template.CHOICES | {"type": many_types})
    path = tmp_path / "登记表模板.xlsx"
    assert cli.main(["template", "--out", str(path)]) == cli.EXIT_VALID
    workbook = load_workbook(path)

    assert workbook.sheetnames == [template.SHEET, template.NOTES_SHEET, template.OPTIONS_SHEET]
    assert workbook[template.OPTIONS_SHEET].sheet_state == "hidden"
    drop_downs = _drop_downs(workbook)
    assert _listed_words(workbook, drop_downs["类型"].formula1) == list(many_types.values())
    assert drop_downs["图层"].formula1.startswith('"')  # the short lists still written into their validations

    # The loader reads 登记表 only: one site, and nothing of the options sheet's words or headers.
    sheet = workbook[template.SHEET]
    sheet.append([FILLED_ROW.get(str(cell.value)) for cell in sheet[1]])
    workbook.save(path)
    result = load_registry(path)
    assert result.ok and result.total_rows == 1 and not result.notes


def test_a_list_is_written_into_its_drop_down_only_as_excel_takes_it() -> None:
    assert template.inline_list(["是", "否"]) == '"是,否"'
    longest = "字" * (template.LIST_FORMULA_MAX - 2)  # the two quotes count
    assert template.inline_list([longest]) == f'"{longest}"'
    assert template.inline_list([longest + "字"]) is None
    assert template.inline_list(["甲,乙"]) is None and template.inline_list(['甲"乙']) is None


def test_the_template_is_never_written_over_an_existing_file(tmp_path: Path) -> None:
    registry = tmp_path / "登记表.xlsx"
    registry.write_bytes(b"the office's own registry")
    assert cli.main(["template", "--out", str(registry)]) == cli.EXIT_UNREADABLE
    assert registry.read_bytes() == b"the office's own registry"
