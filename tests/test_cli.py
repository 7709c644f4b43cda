"""Tests for `python -m servicemap validate|export`: exit codes, messages, and the files it writes.

Each behaviour is checked once through a real subprocess (what a volunteer types) and once through
`cli.main([...])` (fast, and shows the traceback if something breaks).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from servicemap import aliases, cli, geo
from servicemap.registry import COLUMNS, DATA_PATH_ENV, load_registry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "encodings" / "sites_utf8.csv"  # 4 rows: GCJ-02, WGS-84, BD-09, unplaced
PARTLY_INVALID = FIXTURES / "invalid" / "unknown_layer.csv"  # rows 2 and 4 valid, row 3 rejected
SHIPPED = ROOT / "data" / "sites.csv"


def run_cli(*args: str, env_data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != DATA_PATH_ENV}
    if env_data is not None:
        env[DATA_PATH_ENV] = str(env_data)
    return subprocess.run(
        [sys.executable, "-m", "servicemap", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.fixture(autouse=True)
def no_data_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_PATH_ENV, raising=False)


def read_exported_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- validate ---------------------------------------------------------------------------------------


def test_validate_shipped_data_exits_0() -> None:
    completed = run_cli("validate")
    assert completed.returncode == cli.EXIT_VALID, completed.stdout + completed.stderr
    assert completed.stdout == ""
    assert "拒收 0 行" in completed.stderr
    assert str(SHIPPED) in completed.stderr


def test_validate_valid_file_exits_0() -> None:
    completed = run_cli("validate", str(VALID))
    assert completed.returncode == 0
    assert "4 行，有效 4 行，拒收 0 行" in completed.stderr


def test_validate_with_rejected_rows_exits_1_and_lists_issues() -> None:
    completed = run_cli("validate", str(PARTLY_INVALID))
    assert completed.returncode == cli.EXIT_ROWS_REJECTED
    assert completed.stdout.splitlines() == [
        "row 3, column layer: 未知的图层 'health'（可写：养老服务资源、统战阵地及平台，或 elderly_care, united_front）"
    ]
    assert "3 行，有效 2 行，拒收 1 行" in completed.stderr


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    completed = run_cli("validate", str(missing))
    assert completed.returncode == cli.EXIT_UNREADABLE
    assert completed.stderr.strip() == f"{missing}: 文件不存在：{missing}"


def test_validate_follows_environment_variable(tmp_path: Path) -> None:
    assert run_cli("validate", env_data=PARTLY_INVALID).returncode == 1
    assert run_cli("validate", env_data=tmp_path / "nope.csv").returncode == 2


def test_explicit_path_wins_over_environment() -> None:
    assert run_cli("validate", str(VALID), env_data=PARTLY_INVALID).returncode == 0


@pytest.mark.parametrize(
    ("path", "code"),
    [(VALID, cli.EXIT_VALID), (PARTLY_INVALID, cli.EXIT_ROWS_REJECTED), (FIXTURES, cli.EXIT_UNREADABLE)],
    ids=["valid", "rows-rejected", "directory"],
)
def test_main_validate_exit_codes(path: Path, code: int) -> None:
    assert cli.main(["validate", str(path)]) == code


def test_main_validate_prints_issues(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["validate", str(FIXTURES / "invalid" / "bad_crs.csv")])
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "row 3, column crs: 坐标系 'EPSG:4326' 无效（可写：WGS-84、GCJ-02（高德、腾讯）、BD-09（百度））",
        "row 4, column crs: 坐标系未填：有经纬度就要写明坐标取自哪里，程序不会猜（填错位置会偏约 500 米）。"
        "高德、腾讯地图取的写 GCJ02；百度地图取的写 BD09；手机 GPS、OpenStreetMap 取的写 WGS84",
        "row 5, column crs: 坐标系 'CGCS2000' 无效（可写：WGS-84、GCJ-02（高德、腾讯）、BD-09（百度））",
    ]
    assert "4 行，有效 1 行，拒收 3 行" in err


def test_main_validate_notes_columns_not_read_without_rejecting(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = VALID.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "with_running_number.csv"
    path.write_text("\n".join([f"序号,{lines[0]}", *(f"{n},{line}" for n, line in enumerate(lines[1:], 1))]) + "\n")
    assert cli.main(["validate", str(path)]) == cli.EXIT_VALID
    out, err = capsys.readouterr()
    assert out == ""  # standard output stays the rows to fix
    assert f"提示：未识别的列「序号」，已忽略（可识别的列名：{aliases.known_headers()}）" in err.splitlines()


def test_main_validate_uses_environment_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_PATH_ENV, str(PARTLY_INVALID))
    assert cli.main(["validate"]) == 1
    monkeypatch.setenv(DATA_PATH_ENV, str(tmp_path / "nope.csv"))
    assert cli.main(["validate"]) == 2


def test_main_validate_default_is_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    assert str(SHIPPED) in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["publish"])
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


# --- export CSV -------------------------------------------------------------------------------------


def check_exported_csv(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    assert b"\r\n" in raw
    rows = {row["id"]: row for row in read_exported_csv(path)}
    assert list(next(iter(rows.values()))) == list(COLUMNS)
    assert set(rows) == {"enc-care-center", "enc-museum", "enc-bd-station", "enc-unplaced"}
    assert rows["enc-care-center"]["name"] == "卢沟桥街道养老服务中心"
    lat, lon = geo.gcj02_to_wgs84(39.865, 116.24)
    assert float(rows["enc-care-center"]["lat"]) == pytest.approx(lat, abs=1e-7)
    assert float(rows["enc-care-center"]["lon"]) == pytest.approx(lon, abs=1e-7)
    assert (rows["enc-museum"]["lat"], rows["enc-museum"]["lon"]) == ("39.852276", "116.225807")
    assert {rows[i]["crs"] for i in ("enc-care-center", "enc-museum", "enc-bd-station")} == {"WGS84"}
    assert rows["enc-unplaced"]["crs"] == rows["enc-unplaced"]["lat"] == ""


def test_export_csv_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "sites_wgs84.csv"
    completed = run_cli("export", "--format", "csv", "--out", str(out), "--data", str(VALID))
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    check_exported_csv(out)


def test_export_csv_main(tmp_path: Path) -> None:
    out = tmp_path / "sites_wgs84.csv"
    assert cli.main(["export", "--format", "csv", "--out", str(out), "--data", str(VALID)]) == 0
    check_exported_csv(out)


def test_export_xlsx_gives_the_registry_in_excel_that_loads_back_as_it_is(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """An office keeping its registry in Excel exports it so, to edit and load again."""
    out = tmp_path / "sites.xlsx"
    completed = run_cli("export", "--format", "xlsx", "--out", str(out), "--data", str(VALID))
    assert completed.returncode == 0, completed.stderr
    again, original = load_registry(out), load_registry(VALID)
    assert again.ok and list(again.sites["id"]) == list(original.sites["id"])
    assert cli.main(["export", "--format", "xlsx", "--data", str(VALID)]) == 0
    assert capsysbinary.readouterr().out == out.read_bytes()  # the same bytes to a pipe as to a file


def test_export_defaults_to_csv_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--data", str(VALID)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert len(rows) == 4


def test_export_reads_environment_variable(tmp_path: Path) -> None:
    out = tmp_path / "env.csv"
    completed = run_cli("export", "--out", str(out), env_data=VALID)
    assert completed.returncode == 0
    check_exported_csv(out)


def test_export_with_rejected_rows_exits_1_but_writes_the_valid_rows(tmp_path: Path) -> None:
    out = tmp_path / "partial.csv"
    completed = run_cli("export", "--out", str(out), "--data", str(PARTLY_INVALID))
    assert completed.returncode == 1
    assert "row 3, column layer: 未知的图层 'health'" in completed.stderr
    assert [row["id"] for row in read_exported_csv(out)] == ["lgq-station-a", "uf-museum"]


def test_export_unreadable_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    out = tmp_path / "out.csv"
    assert cli.main(["export", "--out", str(out), "--data", str(empty)]) == 2
    assert not out.exists()


def test_export_shipped_data_by_default(tmp_path: Path) -> None:
    out = tmp_path / "shipped.csv"
    completed = run_cli("export", "--out", str(out))
    assert completed.returncode == 0
    rows = read_exported_csv(out)
    museum = next(row for row in rows if row["id"] == "uf-kangzhan-museum")
    assert (museum["lat"], museum["lon"], museum["crs"]) == ("39.852276", "116.225807", "WGS84")


# --- export GeoJSON ---------------------------------------------------------------------------------


def check_geojson_text(text: str) -> None:
    assert "中国人民抗日战争纪念馆" in text
    assert "\\u" not in text
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {"enc-care-center", "enc-museum", "enc-bd-station", "enc-unplaced"}
    assert features["enc-museum"]["geometry"]["coordinates"] == [116.225807, 39.852276]
    assert features["enc-unplaced"]["geometry"] is None
    lon, lat = features["enc-bd-station"]["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx(geo.bd09_to_wgs84(39.915, 116.404), abs=1e-7)


def test_export_geojson_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "sites.geojson"
    completed = run_cli("export", "--format", "geojson", "--out", str(out), "--data", str(VALID))
    assert completed.returncode == 0, completed.stderr
    check_geojson_text(out.read_text(encoding="utf-8"))


def test_export_geojson_to_stdout_subprocess() -> None:
    completed = run_cli("export", "--format", "geojson", "--data", str(VALID))
    assert completed.returncode == 0
    check_geojson_text(completed.stdout)


def test_export_geojson_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--format", "geojson", "--data", str(VALID)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("}\n")
    check_geojson_text(out)


def test_export_geojson_from_partly_invalid_file_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--format", "geojson", "--data", str(PARTLY_INVALID)]) == 1
    out, err = capsys.readouterr()
    assert [f["id"] for f in json.loads(out)["features"]] == ["lgq-station-a", "uf-museum"]
    assert "row 3, column layer" in err


# --- template ---------------------------------------------------------------------------------------


def test_template_csv_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "模板.csv"
    completed = run_cli("template", "--out", str(out))
    assert completed.returncode == cli.EXIT_VALID, completed.stderr
    assert out.read_text(encoding="utf-8").startswith("\ufeff编号,名称,图层,类型,")
    assert run_cli("validate", str(out)).returncode == cli.EXIT_VALID


def test_validate_a_file_missing_a_required_column_exits_2(tmp_path: Path) -> None:
    # Every row is left out whatever its cells, as with a title row: not "some rows left out" (exit 1).
    registry = tmp_path / "登记表.csv"
    registry.write_text(VALID.read_text(encoding="utf-8-sig").replace(",crs,", ",坐标,", 1), encoding="utf-8")
    completed = run_cli("validate", str(registry))
    assert completed.returncode == cli.EXIT_UNREADABLE
    assert "缺少必填列 crs（坐标系）" in completed.stdout
