"""Tests for servicemap.registry: row-by-row validation, encodings and formats, CRS conversion on load.

Issue texts are compared exactly, because they are what a volunteer reads when fixing the spreadsheet;
row numbers are spreadsheet row numbers (header = row 1).
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from servicemap import aliases, geo, registry, rowcheck
from servicemap.registry import COLUMNS, RegistryUnreadable, load_registry, validate_records

FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = FIXTURES / "invalid"
ENCODINGS = FIXTURES / "encodings"

# What each refused code's message offers instead, as the validator says it.
LAYER_FORMS = "（可写：养老服务资源、统战阵地及平台，或 elderly_care, united_front）"
# A refused type's message lists the types one may write: the row's layer's, or all of them when it has none.
CARE_TYPE_FORMS = (
    "（可写：街道（区域）养老服务中心、养老机构（公办）、养老机构（民办）、"
    "社区养老服务驿站、社区卫生服务中心、医院（医养结合））"
)
ALL_TYPE_FORMS = (
    "（可写：街道（区域）养老服务中心、养老机构（公办）、养老机构（民办）、社区养老服务驿站、社区卫生服务中心、医院（医养结合）、"
    "统战工作阵地、统战人士建言献策工作室/工作站、新联会赋能中心/服务平台、健康同心之家/小家）"
)
LEVEL_FORMS = "（可写：国家级、市级、区级，或 national, municipal, district，或留空）"
CRS_UNSTATED = (
    "坐标系未填：有经纬度就要写明坐标取自哪里，程序不会猜（填错位置会偏约 500 米）。"
    "高德、腾讯地图取的写 GCJ02；百度地图取的写 BD09；手机 GPS、OpenStreetMap 取的写 WGS84"
)
PRECISION_FORMS = "（可写：准确位置、道路或街区级、片区级，或 exact, street, area）"

# The valid rows the invalid fixtures share.
STATION_A = "lgq-station-a"
MUSEUM = "uf-museum"

# fixture -> (exact issue strings, ids that must still load, spreadsheet rows that must be rejected)
INVALID_CASES: dict[str, tuple[list[str], list[str], list[int]]] = {
    # Without a required column no row can be checked, so every row is held back (nothing is kept).
    "missing_required_column.csv": (["row 1, column source: 缺少必填列 source（来源）"], [], [2, 3]),
    "unknown_layer.csv": (
        [f"row 3, column layer: 未知的图层 'health'{LAYER_FORMS}"],
        [STATION_A, MUSEUM],
        [3],
    ),
    "unknown_type.csv": (
        [f"row 3, column type: 未知的类型 'nursing_home'{CARE_TYPE_FORMS}"],
        [STATION_A],
        [3],
    ),
    "type_layer_mismatch.csv": (
        ["row 3, column type: 类型 'care_station' 属于图层 'elderly_care'，与本行图层 'united_front' 不符"],
        [STATION_A],
        [3],
    ),
    "unknown_level.csv": (
        [f"row 3, column level: 未知的级别 'provincial'{LEVEL_FORMS}"],
        [MUSEUM],
        [3],
    ),
    "duplicate_id.csv": (
        ["row 3, column id: 编号重复：'lgq-station-a' 已在第 2 行使用"],
        [STATION_A, MUSEUM],
        [3],
    ),
    "empty_id.csv": (
        ["row 3, column id: 编号为空：每行要有一个不与其他行重复的编号，如 A-001，或 1、2、3"],
        [STATION_A],
        [3],
    ),
    "empty_name.csv": (["row 3, column name: 名称为空"], [STATION_A], [3]),
    "non_numeric_lat.csv": (["row 3, column lat: '约39.86' 不是数字"], [STATION_A], [3]),
    "nan_inf_coordinates.csv": (
        [
            "row 3, column lat: 'nan' 不是有限数值",
            "row 4, column lat: 'inf' 不是有限数值",
            "row 4, column lon: '-inf' 不是有限数值",
        ],
        [STATION_A],
        [3, 4],
    ),
    "out_of_range.csv": (
        [
            "row 3, column lat: 纬度 95 超出 -90 到 90 的范围",
            "row 4, column lon: 经度 200 超出 -180 到 180 的范围",
        ],
        [STATION_A],
        [3, 4],
    ),
    "far_outside_beijing.csv": (
        ["row 3, column lat: 坐标 (31.2304, 121.4737) 远在北京市范围之外"],
        [STATION_A],
        [3],
    ),
    "swapped_lat_lon.csv": (
        ["row 3, column lat: 经纬度似乎填反了：纬度 116.225807、经度 39.852276（北京约为纬度 40、经度 116）"],
        [STATION_A],
        [3],
    ),
    "bad_date.csv": (
        [
            "row 3, column updated: 日期 '27/11/2026' 不是真实的年-月-日（如 2026-11-27 或 2026/11/27）",
            "row 4, column updated: 日期 '2026-02-30' 不是真实的年-月-日（如 2026-11-27 或 2026/11/27）",
            "row 5, column updated: 日期 '2026117' 不是真实的年-月-日（如 2026-11-27 或 2026/11/27）",
            "row 6, column updated: 日期 '' 不是真实的年-月-日（如 2026-11-27 或 2026/11/27）",
        ],
        [STATION_A],
        [3, 4, 5, 6],
    ),
    "bad_meal_service.csv": (
        ["row 3, column meal_service: 助餐取值 '偶尔' 无效（可写：是、否、情况不明，或 yes, no, unknown）"],
        [STATION_A, "meal-blank"],
        [3],
    ),
    "bad_beds.csv": (
        [
            "row 3, column beds: 床位数 '-5' 不是整数：请写 0 到 99999 的数字，不知道就留空",
            "row 4, column beds: 床位数 '12.5' 不是整数：请写 0 到 99999 的数字，不知道就留空",
            "row 5, column beds: 床位数 '十八' 不是整数：请写 0 到 99999 的数字，不知道就留空",
            "row 6, column beds: 床位数 '100000' 不是整数：请写 0 到 99999 的数字，不知道就留空",
        ],
        [STATION_A, "beds-ok"],
        [3, 4, 5, 6],
    ),
    "only_one_coordinate.csv": (
        [
            "row 3, column lon: 纬度和经度要么都填，要么都留空",
            "row 4, column lat: 纬度和经度要么都填，要么都留空",
        ],
        [STATION_A, "unplaced"],
        [3, 4],
    ),
    "missing_source.csv": (
        ["row 3, column source: 未注明来源：填写信息出处，如“街道台账 2026年3月”或网页地址"],
        [STATION_A],
        [3],
    ),
    "bad_crs.csv": (
        [
            "row 3, column crs: 坐标系 'EPSG:4326' 无效（可写：WGS-84、GCJ-02（高德、腾讯）、BD-09（百度））",
            f"row 4, column crs: {CRS_UNSTATED}",
            "row 5, column crs: 坐标系 'CGCS2000' 无效（可写：WGS-84、GCJ-02（高德、腾讯）、BD-09（百度））",
        ],
        [STATION_A],
        [3, 4, 5],
    ),
    "bad_precision.csv": (
        [f"row 3, column precision: 位置精度 'approximate' 无效{PRECISION_FORMS}"],
        [STATION_A],
        [3],
    ),
    "extra_cells.csv": (["row 3, column (多余): 这一行有 14 格，表头只有 13 列"], [STATION_A], [3]),
    "several_problems_in_one_row.csv": (
        [
            "row 3, column name: 名称为空",
            f"row 3, column layer: 未知的图层 'health'{LAYER_FORMS}",
            f"row 3, column type: 未知的类型 'nursing_home'{ALL_TYPE_FORMS}",
            "row 3, column meal_service: 助餐取值 'maybe' 无效（可写：是、否、情况不明，或 yes, no, unknown）",
            "row 3, column source: 未注明来源：填写信息出处，如“街道台账 2026年3月”或网页地址",
        ],
        [STATION_A],
        [3],
    ),
}


def site(result: registry.LoadResult, site_id: str) -> pd.Series:
    matches = result.sites[result.sites["id"] == site_id]
    assert len(matches) == 1, f"expected exactly one loaded site with id {site_id!r}"
    return matches.iloc[0]


# --- validation, one fixture per kind of mistake ---------------------------------------------------


def test_every_invalid_fixture_has_a_case() -> None:
    on_disk = {p.name for p in INVALID.glob("*.csv")} - {"blank_line_between_rows.csv"}
    assert on_disk == set(INVALID_CASES)


@pytest.mark.parametrize(
    ("fixture", "expected_issues", "kept_ids", "rejected"),
    [pytest.param(name, *case, id=name.removesuffix(".csv")) for name, case in INVALID_CASES.items()],
)
def test_invalid_rows_are_reported_and_valid_rows_kept(
    fixture: str, expected_issues: list[str], kept_ids: list[str], rejected: list[int]
) -> None:
    result = load_registry(INVALID / fixture)

    assert [str(issue) for issue in result.issues] == expected_issues
    assert sorted(result.sites["id"]) == sorted(kept_ids)
    assert list(result.rejected_rows) == rejected
    assert result.total_rows == len(kept_ids) + len(rejected)
    assert not result.ok


def test_rejected_rows_keep_their_spreadsheet_row_numbers_across_blank_lines() -> None:
    """A blank line is still a row in Excel, so the bad row after it is row 4, not row 3."""
    result = load_registry(INVALID / "blank_line_between_rows.csv")

    assert [str(issue) for issue in result.issues] == ["row 4, column name: 名称为空"]
    assert list(result.rejected_rows) == [4]
    assert list(result.sites["id"]) == [STATION_A]


def test_xlsx_rows_keep_their_row_numbers_across_an_empty_row(tmp_path: Path) -> None:
    header = ["id", "name", "layer", "type", "lat", "lon", "crs", "precision", "meal_service", "source", "updated"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.append(
        ["ok", "正常驿站", "elderly_care", "care_station", 39.86, 116.23, "GCJ02", "area", "yes", "测试", "2026-11-27"]
    )
    sheet.append([None] * len(header))
    sheet.append(
        ["bad", "", "elderly_care", "care_station", 39.86, 116.23, "GCJ02", "area", "yes", "测试", "2026-11-27"]
    )
    path = tmp_path / "with_gap.xlsx"
    workbook.save(path)

    result = load_registry(path)

    assert [str(issue) for issue in result.issues] == ["row 4, column name: 名称为空"]


def test_xlsx_only_the_first_sheet_is_read_whatever_the_others_hold_or_which_is_open(tmp_path: Path) -> None:
    """The template's 说明 and, with a long drop-down list, its hidden 选项 sheet hold words and headers: never read,
    even when the workbook was saved with another sheet open."""
    header = ["id", "name", "layer", "type", "lat", "lon", "crs", "precision", "meal_service", "source", "updated"]
    row = ["ok", "驿站", "elderly_care", "care_station", 39.86, 116.23, "GCJ02", "area", "yes", "测试", "2026-11-27"]
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(row)
    for title, state in (("说明", "visible"), ("选项", "hidden")):
        other = workbook.create_sheet(title)
        other.sheet_state = state
        other.append(header)
        other.append(["other", "别的表里的行", *row[2:]])
    workbook.active = 1
    path = tmp_path / "with_other_sheets.xlsx"
    workbook.save(path)

    result = load_registry(path)

    assert result.ok and list(result.sites["id"]) == ["ok"] and result.total_rows == 1


def test_issue_text_names_row_and_column() -> None:
    issue = registry.ValidationIssue(7, "lat", "'x' 不是数字")
    assert str(issue) == "row 7, column lat: 'x' 不是数字"


# --- validation details on single rows --------------------------------------------------------------

ROW_HEADER = [
    "id",
    "name",
    "layer",
    "type",
    "lat",
    "lon",
    "crs",
    "precision",
    "meal_service",
    "beds",
    "source",
    "updated",
]


def one_row(**overrides: str) -> list[str]:
    values = {
        "id": "s1",
        "name": "测试驿站",
        "layer": "elderly_care",
        "type": "care_station",
        "lat": "39.86",
        "lon": "116.23",
        "crs": "WGS84",
        "precision": "street",
        "meal_service": "yes",
        "beds": "",
        "source": "测试",
        "updated": "2026-11-27",
    }
    values.update(overrides)
    return [values[column] for column in ROW_HEADER]


def issues_for(**overrides: str) -> list[str]:
    return [str(issue) for issue in validate_records(ROW_HEADER, [one_row(**overrides)]).issues]


def test_a_clean_row_has_no_issues() -> None:
    result = validate_records(ROW_HEADER, [one_row()])
    assert result.ok
    assert list(result.sites["id"]) == ["s1"]


def test_iso_week_date_is_not_accepted_as_yyyy_mm_dd() -> None:
    # "2026-W48-5" is 10 characters and date.fromisoformat accepts ISO week dates on Python 3.11+.
    assert issues_for(updated="2026-W48-5") == [
        "row 2, column updated: 日期 '2026-W48-5' 不是真实的年-月-日（如 2026-11-27 或 2026/11/27）"
    ]


@pytest.mark.parametrize("beds", ["²", "①"], ids=["superscript-two", "circled-one"])
def test_beds_with_digit_like_symbols_are_reported_not_crashing(beds: str) -> None:
    # str.isdigit() is True for these, but int() cannot parse them.
    assert issues_for(beds=beds) == [
        f"row 2, column beds: 床位数 '{beds}' 不是整数：请写 0 到 99999 的数字，不知道就留空"
    ]


@pytest.mark.parametrize(
    ("beds", "meant"), [("1，200", "1200"), ("1,200", "1200"), ("1 200", "1200"), ("１，８００", "1800")]
)
def test_a_bed_count_with_a_comma_or_a_word_says_what_to_write(beds: str, meant: str) -> None:
    """A clerk typing 1，200 (a full-width comma, as a Chinese input method gives it) was told only that it is
    not a non-negative integer."""
    assert issues_for(beds=beds) == [
        f"row 2, column beds: 床位数 '{beds}' 里有逗号、空格或文字：请只写数字，写成 {meant}"
    ]


def test_cells_are_trimmed_before_checking() -> None:
    result = validate_records(ROW_HEADER, [one_row(id=" s1 ", lat=" 39.86 ", crs=" WGS84 ")])
    assert result.ok
    assert site(result, "s1")["lat"] == 39.86


def test_a_duplicate_is_reported_against_the_first_row() -> None:
    records = [one_row(id="dup"), one_row(id="other"), one_row(id="dup")]
    result = validate_records(ROW_HEADER, records)
    assert [str(issue) for issue in result.issues] == ["row 4, column id: 编号重复：'dup' 已在第 2 行使用"]


@pytest.mark.parametrize("first_row_valid", [True, False], ids=["first-valid", "first-rejected"])
def test_the_first_row_with_an_id_owns_it_whether_or_not_it_is_valid(first_row_valid: bool) -> None:
    """新村街道's row 8 (id 7) had its coordinates swapped: row 23, also id 7, was then kept; once row 8 was fixed,
    row 23 was rejected instead. The later row is the duplicate either way."""
    first = one_row(id="7") if first_row_valid else one_row(id="7", lat="116.23", lon="39.86")
    result = validate_records(ROW_HEADER, [first, one_row(id="8"), one_row(id="7", name="后来的驿站")])
    assert "row 4, column id: 编号重复：'7' 已在第 2 行使用" in [str(issue) for issue in result.issues]
    assert 4 in result.rejected_rows
    assert list(result.sites["name"]) == (["测试驿站", "测试驿站"] if first_row_valid else ["测试驿站"])


def test_a_blank_layer_is_taken_from_the_type() -> None:
    result = validate_records(ROW_HEADER, [one_row(layer="", type="社区养老服务驿站")])
    assert result.ok and not result.notes  # each type is in exactly one layer: nothing to tell
    assert site(result, "s1")["layer"] == "elderly_care"


def test_a_layer_that_contradicts_the_type_stays_an_error() -> None:
    assert issues_for(layer="united_front", type="care_station") == [
        "row 2, column type: 类型 'care_station' 属于图层 'elderly_care'，与本行图层 'united_front' 不符"
    ]


def test_a_blank_layer_with_an_unknown_type_says_to_fix_the_type() -> None:
    # Only the type: a second message on 图层, which may be left blank, read as a second mistake.
    assert issues_for(layer="", type="") == [f"row 2, column type: 类型为空{ALL_TYPE_FORMS}"]


def test_a_blank_precision_with_a_position_reads_as_area_with_a_note() -> None:
    """Its accuracy is unknown, so it must not be drawn as exact: 片区级, the most cautious, with a dashed marker."""
    result = validate_records(ROW_HEADER, [one_row(precision="")])
    assert result.ok
    assert site(result, "s1")["precision"] == "area"
    assert result.notes == (
        "row 2, column precision: 位置精度未填，按“近似位置（片区级，误差可达一两公里）”显示（虚线标记）；"
        "如知道坐标就是场所本身的位置，请填 准确位置",
    )


def test_a_blank_crs_with_a_position_stays_an_error_that_says_what_to_write() -> None:
    assert issues_for(crs="") == [f"row 2, column crs: {CRS_UNSTATED}"]


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        ("39．86", "116．23"),  # full-width point, as a Chinese input method types it
        ("３９.８６", "１１６.２３"),
        ("39。86", "116。23"),  # the full stop key in Chinese input mode
        ("39.86°N", "116.23°E"),
        ("北纬39.86", "东经116.23"),
        ("N39.86", "E 116.23"),
        ("39.86°", "116.23°"),
    ],
)
def test_coordinates_as_people_copy_them_read_as_decimal_degrees(lat: str, lon: str) -> None:
    result = validate_records(ROW_HEADER, [one_row(lat=lat, lon=lon)])
    assert result.ok, result.issues
    assert (site(result, "s1")["lat"], site(result, "s1")["lon"]) == (39.86, 116.23)


@pytest.mark.parametrize("lat", ["39.86°E", "39°51′36″", "39度51分"])
def test_a_coordinate_in_another_hemisphere_or_in_minutes_says_to_write_decimal_degrees(lat: str) -> None:
    assert issues_for(lat=lat) == [
        f"row 2, column lat: '{lat}' 不是十进制度数：请只写数字，如 39.865（去掉 °、N、E 等字样；度分秒请先换算成小数）"
    ]


def test_both_coordinates_in_one_cell_are_named_as_such() -> None:
    assert issues_for(lat="39.8421，116.2555", lon="") == [
        "row 2, column lat: '39.8421，116.2555' 像是把纬度和经度写在了同一格：请分开填在纬度、经度两列"
    ]


@pytest.mark.parametrize("word", ["合计", "总计：30家", "小计"])
def test_a_total_row_is_noted_once_and_not_taken_for_a_site(word: str) -> None:
    """A 合计 row under the table gave five messages (no name, layer, type, source, date) for one thing; then,
    rejected, it kept every page saying a row was left out of the map, as if a site were missing."""
    total = [""] * len(ROW_HEADER)
    total[1], total[ROW_HEADER.index("beds")] = word, "120"
    result = validate_records(ROW_HEADER, [one_row(), total])
    assert result.ok and not result.rejected_rows
    assert result.notes == ("row 3, column name: 这一行像是合计行，不是站点，没有读入",)
    assert list(result.total_rows_skipped) == [3]
    assert list(result.sites["id"]) == ["s1"]


def test_a_site_whose_name_starts_with_a_total_word_is_still_a_site() -> None:
    assert validate_records(ROW_HEADER, [one_row(name="合计村养老驿站")]).ok  # a full row is no total


def test_unread_columns_are_noted_once_each() -> None:
    header = [*ROW_HEADER, "备注", "图上编号", "名称"]
    result = validate_records(header, [[*one_row(), "内部备注", "1", "另一个名称"], [*one_row(id="s2"), "", "", ""]])
    assert result.ok
    assert result.notes == (
        f"未识别的列「备注」，已忽略（可识别的列名：{aliases.known_headers()}）",
        # 图上编号: the dashboard's own download, not read back by design.
        "列「名称」与前面的「name」是同一列，只读前一列，本列已忽略",
    )


def test_a_running_number_is_the_id_only_where_no_column_says_id() -> None:
    header = ["序号", *ROW_HEADER[1:]]
    result = validate_records(header, [["1", *one_row()[1:]], ["1", *one_row(name="第二个")[1:]]])
    assert list(result.sites["id"]) == ["1"]
    assert [str(issue) for issue in result.issues] == ["row 3, column 序号: 编号重复：'1' 已在第 2 行使用"]
    with_id = validate_records(["序号", *ROW_HEADER], [["9", *one_row()]])
    assert list(with_id.sites["id"]) == ["s1"]
    assert with_id.notes == (f"未识别的列「序号」，已忽略（可识别的列名：{aliases.known_headers()}）",)


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("养老院", "养老院有公办、民办之分，请写 养老机构（公办） 或 养老机构（民办）"),
        (
            "日间照料中心",
            "日间照料中心可能是社区养老服务驿站，也可能是街道（区域）养老服务中心，请按它实际的类型写其中之一",
        ),
        (
            "社区卫生服务站",
            "社区卫生服务站是社区卫生服务中心下设的站点；最接近的类型是 社区卫生服务中心（community_health），"
            "确认后可写该类型，并在名称或介绍中注明是服务站",
        ),
    ],
)
def test_an_ambiguous_type_is_refused_with_what_to_write(written: str, hint: str) -> None:
    assert issues_for(type=written) == [f"row 2, column type: 未知的类型 '{written}'：{hint}{CARE_TYPE_FORMS}"]


def test_unplaced_site_is_listed_without_position_crs_or_precision() -> None:
    result = validate_records(ROW_HEADER, [one_row(lat="", lon="", crs="", precision="")])
    assert result.ok
    row = site(result, "s1")
    assert math.isnan(row["lat"]) and math.isnan(row["lon"])
    assert row["crs"] == "" and row["precision"] == ""


def test_unplaced_site_ignores_leftover_crs_and_precision() -> None:
    row = site(validate_records(ROW_HEADER, [one_row(lat="", lon="", crs="GCJ02", precision="area")]), "s1")
    assert row["crs"] == "" and row["precision"] == ""


def test_blank_meal_service_means_unknown() -> None:
    assert site(validate_records(ROW_HEADER, [one_row(meal_service="")]), "s1")["meal_service"] == "unknown"


def test_loaded_table_has_every_column_typed() -> None:
    result = validate_records(ROW_HEADER, [one_row(beds="18"), one_row(id="s2", beds="")])
    frame = result.sites
    assert list(frame.columns) == [*COLUMNS, "row"]
    assert frame["lat"].dtype == "float64" and frame["lon"].dtype == "float64"
    assert str(frame["beds"].dtype) == "Int64"
    assert frame["beds"].iloc[0] == 18 and pd.isna(frame["beds"].iloc[1])
    assert list(frame["row"]) == [2, 3]
    # Optional columns absent from the file come back empty, never as "nan".
    assert list(frame["phone"]) == ["", ""]


def test_region_edges_are_accepted() -> None:
    min_lat, max_lat, min_lon, max_lon = rowcheck.BEIJING_REGION
    records = [
        one_row(id="sw", lat=str(min_lat), lon=str(min_lon)),
        one_row(id="ne", lat=str(max_lat), lon=str(max_lon)),
    ]
    assert validate_records(ROW_HEADER, records).ok


def test_a_hebei_site_just_over_the_border_is_accepted() -> None:
    # 燕郊 (Yanjiao, Hebei), home to care homes serving Beijing residents.
    assert issues_for(lat="39.95", lon="116.82") == []


# --- encodings and formats --------------------------------------------------------------------------

ENCODING_FILES = {
    "sites_utf8.csv": "utf-8",
    "sites_utf8_bom.csv": "utf-8",
    "sites_gbk.csv": "gbk",
    "sites.xlsx": "xlsx",
    "sites_typed_cells.xlsx": "xlsx",
}


def test_gbk_and_bom_fixtures_really_are_what_they_claim() -> None:
    gbk = (ENCODINGS / "sites_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert gbk.decode("gbk").replace("\r\n", "\n") == (ENCODINGS / "sites_utf8.csv").read_text(encoding="utf-8")
    assert (ENCODINGS / "sites_utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(("fixture", "encoding"), ENCODING_FILES.items(), ids=list(ENCODING_FILES))
def test_every_encoding_and_format_loads_the_same_sites(fixture: str, encoding: str) -> None:
    reference = load_registry(ENCODINGS / "sites_utf8.csv")
    result = load_registry(ENCODINGS / fixture)

    assert result.ok, [str(issue) for issue in result.issues]
    assert result.encoding == encoding
    assert result.source_name == fixture
    assert result.total_rows == 4
    pd.testing.assert_frame_equal(result.sites, reference.sites)


def test_chinese_text_survives_loading() -> None:
    result = load_registry(ENCODINGS / "sites_gbk.csv")
    row = site(result, "enc-care-center")
    assert row["name"] == "卢沟桥街道养老服务中心"
    assert row["description"] == "“卢街颐养”品牌代表，托老床位18张, 社区餐厅对外开放"
    assert row["updated"] == "2026-11-27"
    assert row["beds"] == 18


def test_typed_xlsx_cells_become_the_same_text() -> None:
    result = load_registry(ENCODINGS / "sites_typed_cells.xlsx")
    # The first row's date cell carries a time of day; only the date is kept.
    assert list(result.sites["updated"]) == ["2026-11-27", "2026-11-27", "2026-11-20", "2026-11-27"]
    assert site(result, "enc-museum")["lat"] == 39.852276


UNREADABLE_CONTENT = {
    "empty-file": (b"", "文件是空的"),
    "whitespace-only": (b" \r\n\t\n   \n", "文件是空的"),
    "only-empty-cells": (b",,,\r\n,,\r\n", "文件是空的"),
    "no-header": ("卢沟桥,39.86,116.23\n".encode(), "第一行不是表头"),
    "neither-utf8-nor-gbk": (b"id,name\n\xff\xfe\xff,\x80\n", "无法识别文件编码"),
    # Excel's "Unicode text" export is UTF-16: full of NUL bytes.
    "utf-16": ("id,name\n1,卢沟桥\n".encode("utf-16"), "这不是文本表格（CSV）文件"),
}


@pytest.mark.parametrize(("content", "message"), UNREADABLE_CONTENT.values(), ids=list(UNREADABLE_CONTENT))
def test_unreadable_csv_content_raises(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes(content)
    with pytest.raises(RegistryUnreadable, match=message):
        load_registry(path)


def test_missing_path_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(RegistryUnreadable, match="文件不存在"):
        load_registry(tmp_path / "missing.csv")


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(RegistryUnreadable, match="这是一个文件夹，不是表格文件"):
        load_registry(tmp_path)


def make_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "这不是 Excel 文件")
    return path


def test_zip_that_is_not_xlsx_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(RegistryUnreadable, match="无法打开 Excel 文件"):
        load_registry(make_zip(tmp_path / "sites.xlsx"))


def test_binary_file_saved_as_csv_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(RegistryUnreadable, match="这不是文本表格（CSV）文件"):
        load_registry(make_zip(tmp_path / "sites.csv"))


def test_empty_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(RegistryUnreadable, match="第一个工作表是空的"):
        load_registry(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_headers_only_is_a_valid_empty_registry(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"headers_only{suffix}"
    if suffix == ".csv":
        path.write_text(",".join(COLUMNS) + "\r\n", encoding="utf-8")
    else:
        workbook = Workbook()
        workbook.active.append(list(COLUMNS))
        workbook.save(path)

    result = load_registry(path)

    assert result.ok
    assert result.total_rows == 0
    assert result.sites.empty
    assert list(result.sites.columns) == [*COLUMNS, "row"]


# --- coordinate systems -----------------------------------------------------------------------------


def test_gcj02_and_bd09_rows_are_converted_to_wgs84() -> None:
    result = load_registry(FIXTURES / "crs_mixed.csv")
    assert result.ok

    wgs = site(result, "museum-wgs84")
    assert (wgs["lat"], wgs["lon"]) == (39.852276, 116.225807)

    gcj = site(result, "museum-gcj02")
    expected = geo.gcj02_to_wgs84(39.853499, 116.231851)
    assert gcj["lat"] == pytest.approx(expected[0], abs=1e-7)
    assert gcj["lon"] == pytest.approx(expected[1], abs=1e-7)
    # The GCJ-02 row is the same building as the WGS-84 row: they must land on the same spot.
    assert geo.distance_m(gcj["lat"], gcj["lon"], wgs["lat"], wgs["lon"]) < 1.0

    bd = site(result, "bd09-example")
    expected = geo.bd09_to_wgs84(39.915, 116.404)
    assert bd["lat"] == pytest.approx(expected[0], abs=1e-7)
    assert bd["lon"] == pytest.approx(expected[1], abs=1e-7)
    # coordtransform's published BD-09 -> GCJ-02 answer for this point, then taken to WGS-84.
    reference = geo.gcj02_to_wgs84(39.90865673957631, 116.39762729119315)
    assert geo.distance_m(bd["lat"], bd["lon"], *reference) < 1.0


def test_conversion_moves_gcj02_points_by_hundreds_of_metres() -> None:
    """Without conversion a GCJ-02 point would be drawn ~500 m off on an OpenStreetMap base map."""
    row = site(load_registry(FIXTURES / "crs_mixed.csv"), "museum-gcj02")
    assert 400 < geo.distance_m(row["lat"], row["lon"], 39.853499, 116.231851) < 700


# --- where the data comes from ----------------------------------------------------------------------


def test_data_path_defaults_to_shipped_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(registry.DATA_PATH_ENV, raising=False)
    assert registry.data_path() == registry.DEFAULT_DATA_PATH
    assert registry.DEFAULT_DATA_PATH.name == "sites.csv" and registry.DEFAULT_DATA_PATH.parent.name == "data"


def test_data_path_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(registry.DATA_PATH_ENV, f"  {tmp_path / 'other.csv'}  ")
    assert registry.data_path() == tmp_path / "other.csv"
    monkeypatch.setenv(registry.DATA_PATH_ENV, "   ")
    assert registry.data_path() == registry.DEFAULT_DATA_PATH


# --- the shipped data -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> registry.LoadResult:
    return load_registry(registry.DEFAULT_DATA_PATH)


def test_shipped_data_is_valid(shipped: registry.LoadResult) -> None:
    assert shipped.ok, [str(issue) for issue in shipped.issues]
    assert len(shipped.sites) == shipped.total_rows > 0


def test_shipped_data_cites_a_source_for_every_row(shipped: registry.LoadResult) -> None:
    assert all(text.strip() for text in shipped.sites["source"])


def test_shipped_ids_are_unique(shipped: registry.LoadResult) -> None:
    assert shipped.sites["id"].is_unique


def test_shipped_placed_rows_say_how_they_were_placed() -> None:
    raw = pd.read_csv(registry.DEFAULT_DATA_PATH, dtype=str, keep_default_na=False)
    placed = raw[raw["lat"] != ""]
    assert len(placed) > 0
    assert set(placed["crs"]) <= {"WGS84", "GCJ02", "BD09"}
    assert set(placed["precision"]) <= {"exact", "street", "area"}


def test_shipped_museum_is_at_its_wgs84_position(shipped: registry.LoadResult) -> None:
    museum = site(shipped, "uf-kangzhan-museum")
    assert museum["name"] == "中国人民抗日战争纪念馆"
    assert museum["crs"] == "WGS84"
    assert (museum["lat"], museum["lon"]) == (39.852276, 116.225807)


def test_shipped_positions_are_in_fengtai(shipped: registry.LoadResult) -> None:
    """All curated places are in 丰台区; a point 20 km away would mean a typo or a missed conversion."""
    placed = shipped.sites.dropna(subset=["lat"])
    tiananmen = (39.9087, 116.3975)
    for _, row in placed.iterrows():
        assert geo.distance_m(row["lat"], row["lon"], *tiananmen) < 20_000, row["id"]
