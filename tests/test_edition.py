"""Another office's registry is its own map: its title, no 卢沟桥 figures or places unless given beside it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from servicemap import edition, export, mapexport, viewport
from servicemap.registry import DEFAULT_DATA_PATH, load_registry

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ROWS = """编号,名称,图层,类型,街道,地址,纬度,经度,坐标系,位置精度,助餐,来源,整理日期
qs-1,青石街道养老服务中心,养老服务资源,街道（区域）养老服务中心,青石街道,青石路1号,39.87,116.25,高德,准确位置,是,街道走访,2026/3/1
qs-2,青石第一驿站,养老服务资源,社区养老服务驿站,青石街道,青石路20号,39.865,116.255,GCJ-02,准确位置,否,街道走访,2026/3/1
"""


def test_the_shipped_registry_is_the_luguoqiao_edition() -> None:
    shipped = edition.edition_for(DEFAULT_DATA_PATH)
    assert shipped == edition.SHIPPED and shipped.shipped
    assert shipped.reported_path is not None and shipped.reported_path.is_file()
    assert edition.edition_for(DEFAULT_DATA_PATH, "卢沟桥街道 养老地图").file_stem == "卢沟桥街道_养老地图"


def test_another_registry_has_no_reports_or_places_unless_beside_it(tmp_path: Path) -> None:
    registry = tmp_path / "青石.csv"
    registry.write_text(ROWS, encoding="utf-8")
    alone = edition.edition_for(registry, "青石街道 · 养老服务资源分布图")
    assert (alone.title, alone.file_stem, alone.shipped) == (
        "青石街道 · 养老服务资源分布图",
        "青石街道",
        False,
    )
    assert alone.reported_path is None and alone.gazetteer_path is None
    assert "卢沟桥" not in alone.intro + alone.contact + alone.sources
    assert edition.edition_for(registry).title == edition.GENERIC_TITLE
    assert edition.edition_for(registry).file_stem == "青石"  # the file's own name, not the generic title
    shutil.copy(DEFAULT_DATA_PATH.parent / edition.GAZETTEER_FILE, tmp_path / edition.GAZETTEER_FILE)
    assert edition.edition_for(registry).gazetteer_path == tmp_path / edition.GAZETTEER_FILE


def test_luguoqiaos_own_updated_registry_keeps_its_map(tmp_path: Path) -> None:
    """The 卢沟桥 office pointed the app at its updated Excel and lost its title, the reports' figures, the
    "本图不完整" warnings and its places, with nothing to say why (data-clerk review)."""
    registry = tmp_path / "卢沟桥登记表（更新）.xlsx"
    own = edition.edition_for(registry, edition_name="卢沟桥")
    assert own.shipped and own.title == edition.SHIPPED.title and own.file_stem == edition.SHIPPED.file_stem
    assert own.reported_path == edition.SHIPPED.reported_path and own.gazetteer_path == edition.SHIPPED.gazetteer_path
    assert "卢沟桥登记表（更新）.xlsx" in own.intro and "卢沟桥登记表（更新）.xlsx" in own.sources
    assert edition.edition_for(registry, edition_name=" LuGouQiao ").shipped
    # Figures the office keeps beside its file are its own, newer than the reports'.
    (tmp_path / edition.REPORTED_FILE).write_text("x", encoding="utf-8")
    assert edition.edition_for(registry, edition_name="卢沟桥").reported_path == tmp_path / edition.REPORTED_FILE
    # A name it does not know: another office's map, and a notice saying what may be written.
    assert not edition.edition_for(registry, edition_name="青石").shipped
    assert (
        edition.edition_notice("青石")
        == "环境变量 SERVICEMAP_EDITION 的值「青石」无法识别（只可写：卢沟桥），已按其他街道的登记表显示"
    )
    assert edition.edition_notice("") is None and edition.edition_notice("卢沟桥") is None
    # The shipped registry is 卢沟桥's whatever the setting says: the notice must not claim otherwise.
    assert edition.edition_notice("青石", shipped_registry=True).endswith("已忽略")


def test_luguoqiaos_own_registry_draws_the_luguoqiao_page(monkeypatch, tmp_path: Path) -> None:
    registry = tmp_path / "登记表.csv"
    shutil.copy(DEFAULT_DATA_PATH, registry)
    monkeypatch.setenv("SERVICEMAP_DATA", str(registry))
    monkeypatch.setenv(edition.EDITION_ENV, "卢沟桥")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == edition.SHIPPED.title
    page_text = " ".join([c.value for c in at.caption] + [i.value for i in at.info] + [m.value for m in at.markdown])
    assert "本图不完整" in page_text and "登记表\\.csv" in page_text
    assert not at.warning  # a name it knows: no notice


def test_a_setting_naming_nothing_known_is_said_on_the_page(monkeypatch) -> None:
    monkeypatch.setenv(edition.EDITION_ENV, "青石<script>")
    monkeypatch.setenv("SERVICEMAP_BASEMAP", "google")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("SERVICEMAP\\_BASEMAP" in w and "google" in w for w in warnings)
    assert any("SERVICEMAP\\_EDITION" in w and "青石\\<script\\>" in w for w in warnings)  # as literal text
    assert at.title[0].value == edition.SHIPPED.title  # the shipped registry stays 卢沟桥's


@pytest.mark.parametrize("title", ["a/b:c*?", "   ", "x" * 200])
def test_any_title_makes_a_usable_file_name(tmp_path: Path, title: str) -> None:
    whose = edition.edition_for(tmp_path / "r.csv", title)
    assert whose.file_stem and not set(whose.file_stem) & set('/\\:*?"<>| ')
    assert len(whose.title) <= edition.MAX_TITLE_LENGTH


def test_an_offices_own_registry_draws_its_own_map(monkeypatch, tmp_path: Path) -> None:
    registry = tmp_path / "青石登记表.csv"
    registry.write_bytes(ROWS.encode("gbk"))  # as Chinese Excel saves it
    monkeypatch.setenv("SERVICEMAP_DATA", str(registry))
    monkeypatch.setenv(edition.TITLE_ENV, "青石街道 · 养老服务资源分布图")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "青石街道 · 养老服务资源分布图"
    page_text = " ".join([c.value for c in at.caption] + [i.value for i in at.info] + [m.value for m in at.markdown])
    # Not the 卢沟桥 reports' figures set beside another street's sites ("报道 12 家，收录 0 家").
    assert "报道" not in page_text and "卢沟桥" not in page_text
    assert {m.label: m.value for m in at.metric}["助餐点"] == "1"
    assert not [m for m in at.metric if m.proto.delta]  # no "全区报道 5 个" chips
    # A care-only registry: no united-front layer, level filter or figures (they read 0, 0, 0).
    # Its beds are not called 托老床位, 卢沟桥's centre's word: an office's count holds nursing homes' beds too.
    assert [m.label for m in at.metric] == ["养老服务资源", "助餐点", "床位"]
    assert [c.label for c in at.sidebar.checkbox] == ["养老服务资源（2）"]
    assert "统战阵地级别" not in [m.label for m in at.sidebar.multiselect]
    # Nor 小区 to choose from, or help texts about figures it does not show (adopter review).
    assert "选择一个站点作为“我的位置”" in [box.label for box in at.selectbox]
    assert not [m for m in at.metric if "区报" in m.proto.help or "下方小字" in m.proto.help]
    at.radio(key="f_meal").set_value("yes").run()  # the filters still work without the hidden ones
    assert {m.label: m.value for m in at.metric}["养老服务资源"] == "1"
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    about = " ".join(m.value for m in at.markdown)
    assert "青石登记表\\.csv" in about and "卢沟桥" not in about and "区报" not in about
    assert "不适用" not in about  # it has no 统战 sites whose meals would read so
    assert {m.label for m in at.metric} == {"登记站点", "已上图", "登记表整理于"}


def test_an_offices_files_carry_its_title(tmp_path: Path) -> None:
    registry = tmp_path / "青石.csv"
    registry.write_text(ROWS, encoding="utf-8")
    sites = load_registry(registry).sites
    title = "青石街道 · 养老服务资源分布图"
    document = mapexport.standalone_html(sites, mapexport.ExportInfo("全部站点", "2026-03-01", title=title))
    assert f"<title>{title}</title>" in document
    assert f"<h1>{title}</h1>" in document and "<h1>卢街颐养" not in document
    notes = dict(export.list_notes("全部站点", 2, "", f"{title} · 资源清单", edition.edition_for(registry).sources))
    assert notes["内容"] == f"{title} · 资源清单" and "区报" not in notes["来源"]
    # An office's own files are sketches too, but not "not the street's map".
    standing = edition.edition_for(registry).standing
    assert standing == "示意图" and "卢街颐养" not in edition.standing_text(standing)


def test_an_offices_map_opens_on_its_own_sites(monkeypatch, tmp_path: Path) -> None:
    # On the district view a street's sites were a small cluster; a registry beyond Fengtai opened on none.
    registry = tmp_path / "海淀.csv"
    registry.write_text(ROWS.replace("39.87,116.25", "39.96,116.30").replace("39.865,116.255", "39.955,116.31"))
    monkeypatch.setenv("SERVICEMAP_DATA", str(registry))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    sites = load_registry(registry).sites
    opened = viewport.view_of_sites(sites)
    assert sites["lat"].min() <= opened.lat <= sites["lat"].max() and opened.zoom > viewport.DEFAULT_VIEW.zoom
    assert f"center: [{opened.lat}, {opened.lon}]" in args["script"] and args["default"]["zoom"] == opened.zoom


def test_a_registry_with_no_position_opens_on_the_district() -> None:
    import pandas as pd

    assert viewport.view_of_sites(pd.DataFrame({"lat": [float("nan")], "lon": [float("nan")]})) == viewport.DEFAULT_VIEW


def test_the_shipped_map_says_on_its_page_what_its_files_say_it_is():
    # Under the street's brand with nothing said on the page, a leader took it for the street's published map,
    # which its print-outs say it is not (staff review).
    assert "不是街道发布的资源分布图，以街道发布的为准" in edition.SHIPPED.intro
    assert "不是街道发布的" in edition.SHIPPED.standing


def test_the_server_names_who_keeps_the_map_and_takes_corrections(monkeypatch, shipped_sites) -> None:
    # Staff were asked where to report a wrong or missing site, and the page did not say (staff review).
    keeper = "卢沟桥街道民生保障办公室（电话 010-0000 0000）"
    kept = edition.edition_for(DEFAULT_DATA_PATH, maintainer=f"  {keeper}\n")
    assert kept.maintainer == keeper and f"由{keeper}维护" in kept.standing
    assert edition.corrections_text(kept) == f"本图由{keeper}维护。发现站点信息有误、遗漏或已变化，请告诉{keeper}。"
    # Unnamed, the page says whom to tell and where to check, and claims no maintainer.
    unnamed = edition.edition_for(DEFAULT_DATA_PATH)
    assert unnamed.maintainer == "" and "维护" not in unnamed.standing
    assert "请告诉发给您本图的单位，或向卢沟桥街道养老服务中心" in edition.corrections_text(unnamed)
    assert (
        len(edition.edition_for(DEFAULT_DATA_PATH, maintainer="长" * 500).maintainer) == edition.MAX_MAINTAINER_LENGTH
    )
    # On 关于数据, and on every file through its standing, escaped like any other text.
    monkeypatch.setenv(edition.MAINTAINER_ENV, "民生办<script>")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    about = " ".join(m.value for m in at.markdown)
    assert "本图由民生办\\<script\\>维护" in about
    document = mapexport.standalone_html(
        shipped_sites,
        mapexport.ExportInfo(
            "全部站点", "2026-11-28", standing=edition.edition_for(DEFAULT_DATA_PATH, maintainer="民生办<b>").standing
        ),
        paper="A4",
    )
    assert "由民生办&lt;b&gt;维护" in document
