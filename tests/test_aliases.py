"""An office's spreadsheet in Chinese loads: its headers, the dashboard's own labels, Excel's dates, and the
list downloaded from 资源清单, edited and loaded back."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from servicemap import aliases, export
from servicemap.registry import COLUMNS, RegistryUnreadable, load_registry, validate_records


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("id", "id"),
        ("登记编号", "id"),
        (" 名称 ", "name"),
        ("类型", "type"),
        ("纬度", "lat"),
        ("纬度（WGS-84）", "lat"),
        ("经度(GCJ-02)", "lon"),
        ("坐标系", "crs"),
        ("位置", "precision"),
        ("床位（张）", "beds"),
        ("整理日期", "updated"),
        ("Meal_Service", "meal_service"),
        ("图上编号", None),  # the printed map's numbers: not the registry's
        ("备注", None),  # remarks may be internal: not published as a site's 介绍
        ("是否助餐", "meal_service"),
        ("有无助餐", "meal_service"),
        ("助餐情况", "meal_service"),
        ("序号", None),  # the id only where the sheet has no 编号 (running_number_column)
    ],
)
def test_headers_name_registry_columns(header: str, column: str | None) -> None:
    assert aliases.column_for_header(header) == column


@pytest.mark.parametrize(
    ("column", "text", "code"),
    [
        ("layer", "养老服务资源", "elderly_care"),
        ("type", "社区养老服务驿站", "care_station"),
        ("type", "Care_Station", "care_station"),
        ("level", "国家级", "national"),
        ("meal_service", "提供助餐", "yes"),
        ("meal_service", "是", "yes"),
        ("meal_service", "否", "no"),
        ("meal_service", "不适用", "unknown"),  # 资源清单's word for a united-front site's meals
        ("crs", "gcj-02", "GCJ02"),
        ("crs", "高德", "GCJ02"),
        ("crs", "WGS-84（GPS、OpenStreetMap）", "WGS84"),
        ("precision", "近似位置（片区级，误差可达一两公里）", "area"),
        ("precision", "准确位置", "exact"),
        ("updated", "2026/3/1", "2026-03-01"),
        ("updated", "2026年11月27日", "2026-11-27"),
        ("updated", "2026.11.27", "2026-11-27"),
        ("updated", "20260301", "2026-03-01"),  # as office systems export it (adopter review)
        ("updated", "20261301", "20261301"),  # no 13th month: left as written, and reported
        ("updated", "2026031", "2026031"),  # seven digits can be read two ways: left as written
        ("beds", "18张", "18"),
        ("level", "—", ""),
        ("phone", "'+86 10 1234", "+86 10 1234"),  # the downloads' guard against formulas, taken off
        # How offices tick a meal service (新村街道's sheet, adopter review).
        *(("meal_service", yes, "yes") for yes in ("√", "✓", "Y", "y", "是", "有", "有（午餐）", "提供(早、午餐)")),
        *(("meal_service", no, "no") for no in ("×", "N", "n", "否", "无", "没有")),
        ("meal_service", "", ""),  # blank stays blank: the validator reads it as unknown
        ("type", "养老驿站", "care_station"),
        ("type", "医养结合医院", "hospital"),
        *(("precision", form, "street") for form in ("道路级", "街区级", "近似（街区级）", "近似位置(道路或街区级)")),
        *(("precision", form, "area") for form in ("近似位置（片区级）", "近似（片区级）")),
        ("precision", "近似位置", "近似位置"),  # road or area: left for the validator to report
        ("type", "社区养老驿站", "care_station"),
        ("type", "养老照料中心", "street_care_center"),
        ("type", "街道养老照料中心", "street_care_center"),
        ("type", "街乡养老照料中心", "street_care_center"),
        ("type", "民办养老院", "care_home_private"),
        ("type", "公办养老院", "care_home_public"),
        ("lat", "39．84512", "39.84512"),
        ("lat", "39.8513°N", "39.8513"),
        ("lon", "东经116.2", "116.2"),
        ("beds", "１８", "18"),
    ],
)
def test_labels_and_office_forms_read_as_codes(column: str, text: str, code: str) -> None:
    assert aliases.code_for(column, text) == code


def test_a_running_number_names_the_id_only_as_a_second_choice() -> None:
    assert aliases.running_number_column("序号") == "id"
    assert aliases.running_number_column("编号") is None


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("updated", "27/11/2026"),  # day first: left for the validator to refuse
        ("updated", "2026/2/30"),  # no such day
        ("meal_service", "偶尔"),
        ("crs", "CGCS2000"),
        ("type", "养老院"),  # public or private? The validator says to write which
        ("type", "日间照料中心"),  # a 驿站 or a street centre
        ("type", "社区卫生服务站"),  # smaller than the 中心 the vocabulary has: a person decides
        ("meal_service", "有（暂停）"),  # a bracket that takes the yes back
        ("meal_service", "提供（待核实）"),
        ("lat", "39.86°E"),  # east is a longitude
        ("lat", "39°51′36″"),  # degrees and minutes: not decimal degrees
        ("beds", "²"),  # full NFKC would read it as 2
        ("beds", "十八"),
        ("name", "'青石'"),  # an apostrophe the downloads did not put there (no formula after it) stays
    ],
)
def test_anything_else_is_left_as_written(column: str, text: str) -> None:
    assert aliases.code_for(column, text) == text


CHINESE_HEADER = ["编号", "名称", "图层", "类型", "纬度", "经度", "坐标系", "位置精度", "助餐", "来源", "整理日期"]


def test_a_chinese_sheet_loads_and_reports_problems_under_its_own_headers() -> None:
    good = [
        "qs-1",
        "青石驿站",
        "养老服务资源",
        "社区养老服务驿站",
        "39.86",
        "116.23",
        "高德",
        "准确位置",
        "是",
        "走访",
        "2026/3/1",
    ]
    bad = [
        "qs-2",
        "纬度错的驿站",
        "养老服务资源",
        "社区养老服务驿站",
        "99.9",
        "116.23",
        "GCJ-02",
        "准确位置",
        "否",
        "走访",
        "2026/3/1",
    ]
    result = validate_records(CHINESE_HEADER, [good, bad])
    site = result.sites.iloc[0]
    assert (site["id"], site["layer"], site["type"], site["crs"], site["meal_service"], site["updated"]) == (
        "qs-1",
        "elderly_care",
        "care_station",
        "GCJ02",
        "yes",
        "2026-03-01",
    )
    assert [str(issue) for issue in result.issues] == ["row 3, column 纬度: 纬度 99.9 超出 -90 到 90 的范围"]


def test_a_missing_column_is_named_both_ways() -> None:
    header = [h for h in CHINESE_HEADER if h != "来源"]
    result = validate_records(header, [["qs-1"] * len(header)])
    assert [str(issue) for issue in result.issues] == ["row 1, column source: 缺少必填列 source（来源）"]


def test_a_title_above_the_header_is_named_as_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "登记表.csv"
    path.write_text("青石街道养老服务资源登记表,,\n" + ",".join(CHINESE_HEADER) + "\n", encoding="utf-8")
    with pytest.raises(RegistryUnreadable, match="第 2 行像是表头，请删去表头上方的标题行"):
        load_registry(path)


def _same_registry(loaded: pd.DataFrame, original: pd.DataFrame) -> None:
    """The loaded rows say what the original's did: every column, positions to the download's 6 decimals."""
    loaded, original = loaded.set_index("id"), original.set_index("id")
    assert list(loaded.index) == list(original.index)
    for column in COLUMNS:
        if column == "id":
            continue
        for site_id in original.index:
            was, now = original.at[site_id, column], loaded.at[site_id, column]
            if column in ("lat", "lon"):
                assert (math.isnan(was) and math.isnan(now)) or abs(was - now) < 1e-6, (site_id, column)
            elif column == "crs":
                # Positions come back in WGS-84, as the download wrote them; unplaced sites have none.
                assert now == ("WGS84" if not math.isnan(original.at[site_id, "lat"]) else ""), site_id
            else:
                assert str(now) == str(was), (site_id, column, was, now)


def test_the_list_downloaded_as_csv_loads_back_as_the_same_registry(shipped_sites: pd.DataFrame, tmp_path) -> None:
    path = tmp_path / "卢街颐养_养老服务资源清单.csv"
    path.write_text(export.reader_csv_text(shipped_sites), encoding="utf-8", newline="")
    result = load_registry(path)
    assert result.ok, result.issues
    _same_registry(result.sites, shipped_sites)


def test_the_list_downloaded_as_excel_edited_in_excel_loads_back(shipped_sites: pd.DataFrame, tmp_path) -> None:
    workbook = load_workbook(io.BytesIO(export.reader_xlsx_bytes(shipped_sites, notes=[("筛选", "全部")])))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    # As an office edits it: a new 驿站 typed in Chinese, with Excel's own date.
    new_row = dict.fromkeys(header, None) | {
        "登记编号": "new-1",
        "名称": "新开的驿站",
        "类型": "社区养老服务驿站",
        "助餐": "提供助餐",
        "图层": "养老服务资源",
        "级别": "—",
        "位置": "近似位置（道路或街区级）",
        "来源": "街道走访",
        "整理日期": pd.Timestamp("2026-12-01").to_pydatetime(),
        "纬度（WGS-84）": 39.86,
        "经度（WGS-84）": 116.23,
    }
    sheet.append([new_row[name] for name in header])
    path = tmp_path / "edited.xlsx"
    workbook.save(path)
    result = load_registry(path)
    assert result.ok, result.issues
    _same_registry(result.sites[result.sites["id"] != "new-1"], shipped_sites)
    added = result.sites.set_index("id").loc["new-1"]
    assert (added["type"], added["meal_service"], added["precision"], added["updated"]) == (
        "care_station",
        "yes",
        "street",
        "2026-12-01",
    )


def test_an_office_sheet_saved_as_gbk_csv_loads(tmp_path: Path) -> None:
    path = tmp_path / "青石.csv"
    row = ["qs-1", "青石驿站", "养老服务资源", "社区养老服务驿站", "", "", "", "", "情况不明", "走访", "2026/3/1"]
    path.write_bytes((",".join(CHINESE_HEADER) + "\r\n" + ",".join(row) + "\r\n").encode("gbk"))
    result = load_registry(path)
    assert result.ok, result.issues
    assert result.encoding == "gbk"
    assert result.sites.iloc[0]["meal_service"] == "unknown"


def test_hostile_text_survives_the_download_and_the_load_back(tmp_path: Path) -> None:
    # Formulas, HTML and script, as data: the download guards the formulas, the load takes the guard off.
    hostile = load_registry(Path(__file__).resolve().parent / "fixtures" / "e2e" / "hostile_sites.csv").sites
    assert hostile["name"].str.startswith(("=", "+", "-", "@")).any() or hostile["address"].str.startswith("=").any()
    path = tmp_path / "list.csv"
    path.write_text(export.reader_csv_text(hostile), encoding="utf-8", newline="")
    result = load_registry(path)
    assert result.ok, result.issues
    _same_registry(result.sites, hostile)
