"""Hostile data, broken files and tampered links: the app keeps working, loses nothing, runs nothing."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from servicemap import edition, export
from servicemap.registry import COLUMNS, DEFAULT_DATA_PATH, RegistryUnreadable, load_registry, validate_records

APP = str(Path(__file__).resolve().parent.parent / "app.py")
HOSTILE_STRINGS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "\"quotes' and `backticks` ${7*7}",
    "[链接](javascript:alert(3)) **粗体** $x^2$ :red[红字]",
    "长" * 5000,
    "养老👵🍚服务中心🏥",
    "مركز رعاية المسنين",  # right-to-left
    "卢\u200b沟\u200d桥\ufeff中心",  # zero-width characters
    '=HYPERLINK("http://evil.example","点我")',
    "+86 10 1234",
    "-1+1",
    "@SUM(A1)",
]


def shipped_rows() -> tuple[list[str], list[list[str]]]:
    with open(DEFAULT_DATA_PATH, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def hostile_registry(tmp_path: Path) -> Path:
    header, rows = shipped_rows()
    name, address, description = header.index("name"), header.index("address"), header.index("description")
    for i, text in enumerate(HOSTILE_STRINGS):
        rows[i % len(rows)][name] = text
        rows[(i + 3) % len(rows)][address] = text
        rows[(i + 5) % len(rows)][description] = text
    # The shipped registry's side files beside it, so its pages draw the reported figures and the places
    # (servicemap/edition.py: another registry takes them only from its own folder).
    for side_file in (edition.REPORTED_FILE, edition.GAZETTEER_FILE):
        shutil.copy(DEFAULT_DATA_PATH.parent / side_file, tmp_path / side_file)
    return write_csv(tmp_path / "hostile.csv", header, rows)


def start(monkeypatch, registry: Path, query: dict[str, str] | None = None) -> AppTest:
    monkeypatch.setenv("SERVICEMAP_DATA", str(registry))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query or {})
    return at.run()


# --------------------------------------------------------------------------------------- hostile strings


def test_spreadsheet_exports_neutralise_formulas_but_keep_the_text(tmp_path):
    sites = load_registry(hostile_registry(tmp_path)).sites
    text = export.to_csv_text(sites)
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells
    assert "'@SUM(A1)" in cells and "'+86 10 1234" in cells and "'-1+1" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(sites))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not any(value.startswith(("=", "+", "@")) for value in values)
    assert '\'=HYPERLINK("http://evil.example","点我")' in values
    # The readers' downloads (the list page's CSV and Excel) are neutralised the same way.
    reader_cells = [
        cell for row in csv.reader(io.StringIO(export.reader_csv_text(sites).lstrip("\ufeff"))) for cell in row
    ]
    assert '\'=HYPERLINK("http://evil.example","点我")' in reader_cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in reader_cells)
    reader_sheet = openpyxl.load_workbook(io.BytesIO(export.reader_xlsx_bytes(sites))).active
    reader_values = [c.value for row in reader_sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(value.startswith(("=", "+", "@")) for value in reader_values)
    # GeoJSON is for GIS tools, not spreadsheets: the original text travels unchanged.
    names = [f["properties"]["name"] for f in export.to_geojson(sites)["features"]]
    assert '=HYPERLINK("http://evil.example","点我")' in names


def test_hostile_strings_are_shown_as_text_on_every_page(monkeypatch, tmp_path):
    registry = hostile_registry(tmp_path)
    sites = load_registry(registry).sites
    target = sites.loc[sites["name"] == "<script>alert(1)</script>", "id"].iloc[0]
    at = start(monkeypatch, registry, {"site": target})
    assert not at.exception
    heading = next(md.value for md in at.markdown if md.value.startswith("### "))
    assert heading == "### \\<script\\>alert\\(1\\)\\<\\/script\\>"  # every mark escaped: literal text
    everything = " ".join(md.value for md in at.markdown)
    assert "](javascript" not in everything and ":red[" not in everything
    # Plain tables render their cells as Markdown too: the near-me list (a location set) and the reported
    # figures show every mark escaped, so no link, image or emphasis forms from the data.
    for query in ({"near": "39.85,116.22"}, {"section": "stats"}):
        shown = start(monkeypatch, registry, query)
        cells = [str(cell) for table in shown.table for cell in [*table.value.columns, *table.value.to_numpy().ravel()]]
        assert cells and not set(HOSTILE_STRINGS) & set(cells), query
        assert all(re.search(r"(?<!\\)[\[\]<>*`!]", cell) is None for cell in cells), cells
    for page in ("app_pages/list.py", "app_pages/about.py"):
        at.switch_page(page).run()
        assert not at.exception, page


# --------------------------------------------------------------------------------------- broken files


def broken_files(tmp_path: Path) -> dict[str, Path]:
    header, rows = shipped_rows()
    text = (DEFAULT_DATA_PATH).read_text(encoding="utf-8")
    files = {
        "truncated": tmp_path / "truncated.csv",
        "utf16": tmp_path / "utf16.csv",
        "empty": tmp_path / "empty.csv",
        "headers_only": tmp_path / "headers_only.csv",
        "duplicate_ids": tmp_path / "duplicate_ids.csv",
        "nan_inf": tmp_path / "nan_inf.csv",
        "not_a_table": tmp_path / "photo.csv",
    }
    files["truncated"].write_text(text[: int(len(text) * 0.6)], encoding="utf-8")  # cut mid-row
    files["utf16"].write_text(text, encoding="utf-16")
    files["empty"].write_bytes(b"")
    files["headers_only"].write_text(",".join(header) + "\n", encoding="utf-8")
    write_csv(files["duplicate_ids"], header, rows + [list(rows[0]), list(rows[1])])
    lat, lon = header.index("lat"), header.index("lon")
    nan_rows = [list(r) for r in rows]
    nan_rows[0][lat], nan_rows[4][lon], nan_rows[6][lat] = "nan", "inf", "-Infinity"
    write_csv(files["nan_inf"], header, nan_rows)
    files["not_a_table"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return files


@pytest.mark.parametrize(
    "case, readable, rejected",
    [
        ("truncated", True, None),
        ("utf16", False, None),
        ("empty", False, None),
        ("headers_only", True, 0),
        ("duplicate_ids", True, 2),
        ("nan_inf", True, 3),
        ("not_a_table", False, None),
    ],
)
def test_broken_registry_files_keep_the_app_up(monkeypatch, tmp_path, case, readable, rejected):
    path = broken_files(tmp_path)[case]
    at = start(monkeypatch, path)
    assert not at.exception
    if not readable:
        with pytest.raises(RegistryUnreadable):
            load_registry(path)
        assert at.error and "无法读取站点登记表" in at.error[0].value
        return
    result = load_registry(path)
    assert len(result.sites) + len(result.rejected_rows) == result.total_rows
    if rejected is not None:
        assert len(result.rejected_rows) == rejected
    if result.rejected_rows:
        assert any(f"{len(result.rejected_rows)} 行有问题" in w.value for w in at.warning)
        at.switch_page("app_pages/about.py").run()
        issues = next(df.value for df in at.dataframe if "问题" in df.value.columns)
        assert set(issues["行号"]) == set(result.rejected_rows)
    assert at.metric  # the map page still shows its numbers
    if not result.total_rows:  # headers alone: said, not an empty map and list that blame the filters
        assert any("只有表头，没有一行数据" in box.value for box in at.info)
        at.switch_page("app_pages/list.py").run()
        assert any(box.value == "登记表里还没有站点。" for box in at.info)


def test_a_hundred_thousand_rows_with_one_percent_bad(monkeypatch, tmp_path):
    from bench.synthetic import synthetic_rows

    rows = synthetic_rows(100_000)
    rng = random.Random(3)
    bad = sorted(rng.sample(range(len(rows)), 1000))
    for index in bad:
        rows[index]["lat"] = rng.choice(["", "abc", "nan", "999", "116.3"])
        rows[index]["lon"] = "39.9" if rows[index]["lat"] == "116.3" else rows[index]["lon"]
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    result = load_registry(path)
    assert sorted(result.rejected_rows) == [index + 2 for index in bad]  # spreadsheet row numbers
    assert len(result.sites) == 99_000
    at = start(monkeypatch, path)
    assert not at.exception
    assert any("1000 行有问题" in w.value and "99000 行正常显示" in w.value for w in at.warning)


# --------------------------------------------------------------------------------------- property tests


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", "nan", "inf", "-0", "39.86", "116.23", "1e999", "elderly_care", "uf_site", "yes", "2026-02-30", "2026-11-27"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=0, max_size=len(COLUMNS) + 2), max_size=8))
def test_validation_never_crashes_and_accounts_for_every_row(records):
    result = validate_records(list(COLUMNS), records)
    assert len(result.sites) + len(result.rejected_rows) <= len(records)
    blank = sum(1 for r in records if not any(c.strip() for c in r))
    totals = len(result.total_rows_skipped)  # 合计 rows: said in the notes
    assert len(result.sites) + len(result.rejected_rows) + totals + blank == len(records)
    for lat in result.sites["lat"].dropna():
        assert math.isfinite(lat)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_loading_arbitrary_bytes_gives_a_result_or_a_clear_refusal(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("fuzz") / "sites.csv"
    path.write_bytes(raw)
    try:
        result = load_registry(path)
    except RegistryUnreadable as exc:
        assert str(exc)
        return
    assert len(result.sites) + len(result.rejected_rows) <= result.total_rows


def test_geojson_export_of_hostile_names_is_valid_json(tmp_path):
    sites = load_registry(hostile_registry(tmp_path)).sites
    parsed = json.loads(export.to_geojson_text(sites))
    assert len(parsed["features"]) == len(sites)
