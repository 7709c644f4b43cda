"""The offline and print files: everything inline, data escaped, the list numbered as the map."""

from __future__ import annotations

import json
import re

import pandas as pd

from servicemap import basemaps, mapexport, sitedata
from servicemap.filters import Filters, describe


def test_standalone_map_inlines_everything_and_escapes_data(shipped_sites):
    hostile = shipped_sites.copy()
    hostile.loc[0, "name"] = '<img src=x onerror="alert(1)">'
    info = mapexport.ExportInfo(describe(Filters(query="<b>")), "2026-11-27", caveat="本图不完整：<i>12</i>")
    document = mapexport.standalone_html(hostile, info, boundary=basemaps.load_boundary(), paper="A4")
    assert "本图不完整：&lt;i&gt;12&lt;/i&gt;。" in document  # the caveat a printed sheet carries, escaped
    assert mapexport.SENTINEL not in document
    assert '<img src=x onerror="alert(1)">' not in document
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in document  # the numbered list
    assert "搜索：&lt;b&gt;" in document  # the filters line
    assert "<title>卢街颐养 养老服务资源分布图</title>" in document
    # Handed out, the sheet says it is not the street's own published map, nor an authoritative one.
    assert "本图为据公开报道整理的示意图，不是街道发布的“卢街颐养”资源分布图" in document
    assert "不作为权威地图或行政区划依据" in document
    assert "@page { size: A4 landscape" in document
    assert '"numberFrom":1' in document


def test_numbered_list_follows_the_map_numbering(shipped_sites):
    numbered = sitedata.numbered_sites(shipped_sites)
    assert list(numbered["layer"]) == sorted(numbered["layer"], key=["elderly_care", "united_front"].index)
    assert numbered["lat"].notna().all()
    assert isinstance(numbered, pd.DataFrame)


def test_print_list_holds_every_listed_site_with_its_position(shipped_sites):
    document = mapexport.standalone_html(shipped_sites, mapexport.ExportInfo("全部站点", "2025-01-22"), paper="A4")
    # 号, 名称, then 类型, 级别, 地址, 助餐, and 位置 last: no 电话 column while the sources give no phone at all.
    cell = r"<td[^>]*>([^<]*)</td>"
    rows = re.findall(rf"<tr>{cell}{cell}(?:<td[^>]*>[^<]*</td>){{4}}{cell}</tr>", document)
    assert "<th>级别</th>" in document and ">市级</td>" in document  # 国家级 and 市级 told apart on paper
    assert '<td class="sm-short">国家级</td>' in document  # whole on one line, not "国家 / 级"
    assert len(rows) == len(shipped_sites)
    assert "<th>电话</th>" not in document
    with_phone = shipped_sites.assign(phone=["010-1234567"] + [""] * (len(shipped_sites) - 1))
    assert "<th>电话</th>" in mapexport.standalone_html(
        with_phone, mapexport.ExportInfo("全部站点", "2025-01-22"), paper="A4"
    )
    placed = int(shipped_sites["lat"].notna().sum())
    assert [number for number, _, _ in rows[:placed]] == [str(n) for n in range(1, placed + 1)]
    assert {number for number, _, _ in rows[placed:]} == {mapexport.UNPLACED_NUMBER}
    assert {position for _, _, position in rows[placed:]} == {"位置待核实（未上图）"}
    assert "准确位置" in {position for _, _, position in rows[:placed]}


def test_a_print_with_my_location_carries_its_circle_and_the_meal_answer(shipped_sites):
    """A 居委会 worker prints for a resident: the sheet shows where "my location" is, its walk, and where to
    eat, in text that stays text."""
    near = mapexport.NearbyPrint(
        39.84917, 116.21306, 1005, ("最近的助餐点：<b>某点</b>", "开放时间：11:00–13:00", "电话：来源未给出")
    )
    info = mapexport.ExportInfo("全部站点", "2026-11-27", near=near)
    document = mapexport.standalone_html(shipped_sites, info, paper="A4")
    assert '<div class="sm-export-near"><strong>最近的助餐点：&lt;b&gt;某点&lt;/b&gt;</strong>' in document
    assert "<br>开放时间：11:00–13:00<br>电话：来源未给出" in document
    assert "红圈为约 1,005 米的步行圈" in document
    assert "sm-my-location" in document  # the red dot, with its circle
    # The heading, box and all, shares the first sheet with the map, which takes what it leaves (the browser
    # test prints it: one sheet for the map, however long the answer).
    plain = mapexport.standalone_html(shipped_sites, mapexport.ExportInfo("全部站点", "2026-11-27"), paper="A4")
    assert 'class="sm-export-near"' not in plain
    for sheet in (document, plain):
        assert re.search(r'<div class="sm-first-sheet"><header .*?</header>\s*<div class="folium-map"', sheet, re.S)
    # The frame holds the whole circle as well as the sites: its west edge is west of the bridge.
    bounds = json.loads(re.search(r"L\.latLngBounds\((\[\[.*?\]\])\)", document).group(1))
    assert bounds[0][1] < 116.21306 - 1005 / 111_320


def test_the_offline_map_names_the_sites_it_cannot_pin(shipped_sites):
    """Its heading says 共 16 处，8 处已上图; a reader had no way to learn which the other 8 were."""
    document = mapexport.standalone_html(shipped_sites, mapexport.ExportInfo("全部站点", "2025-01-22"))
    unplaced = shipped_sites.loc[shipped_sites["lat"].isna()]
    assert f"位置待核实、未在图上标注的站点（{len(unplaced)} 处）" in document
    rows = re.findall(r"<tr><td>([^<]*)</td>(?:<td[^>]*>[^<]*</td>){3}</tr>", document)  # 名称, 类型, 地址, 助餐
    assert rows == unplaced["name"].tolist()
    hostile = shipped_sites.copy()
    hostile.loc[unplaced.index[0], "name"] = "<img src=x onerror=alert(1)>"
    listed = mapexport.standalone_html(hostile, mapexport.ExportInfo("全部站点", "2025-01-22"))
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td>" in listed and "<img src=x" not in listed
    placed_only = shipped_sites.loc[shipped_sites["lat"].notna()]
    assert "未在图上标注" not in mapexport.standalone_html(placed_only, mapexport.ExportInfo("全部站点", "2025-01-22"))


def test_a_united_front_sheet_says_nothing_of_meals(shipped_sites):
    """A 统战 briefing's sheet read "养老服务资源 0 处…托老床位 0 张" at its head, explained a gold edge no pin
    had, and listed 助餐：不适用 on every row (staff review)."""
    united_front = shipped_sites[shipped_sites["layer"] == "united_front"]
    info = mapexport.ExportInfo("图层：统战阵地及平台", "2025-01-22", figures="本图收录：统战阵地及平台 12 处")
    document = mapexport.standalone_html(united_front, info, paper="A4")
    assert "<th>助餐</th>" not in document and "不适用" not in document and "金色粗边" not in document
    assert "<th>级别</th>" in document and "本图收录：统战阵地及平台 12 处" in document
    # With the care sites, the column and the legend's gold edge are back.
    everything = mapexport.standalone_html(shipped_sites, mapexport.ExportInfo("全部站点", "2025-01-22"), paper="A4")
    assert "<th>助餐</th>" in everything and "金色粗边" in everything


def test_a_sheet_printed_in_large_type_gives_the_answer_a_sheet_and_the_map_the_next(shipped_sites):
    """From 大字模式 the file's type is larger; with "my location" the answer, larger, has the first sheet to itself
    (under it the map had been a strip with its legend cut off)."""
    near = mapexport.NearbyPrint(39.84917, 116.21306, 1005, ("最近的助餐点：某点",))
    large = mapexport.standalone_html(
        shipped_sites, mapexport.ExportInfo("全部站点", "2026-11-28", near=near, large=True), paper="A4"
    )
    assert ".sm-export-near { font-size: 20px" in large and "break-before: page; height: calc(194mm" in large
    plain = mapexport.standalone_html(
        shipped_sites, mapexport.ExportInfo("全部站点", "2026-11-28", near=near), paper="A4"
    )
    assert ".sm-export-near { font-size: 20px" not in plain and "break-before: page; height" not in plain
    # Large type without "my location": the heading is short, and the map stays on the first sheet under it.
    no_answer = mapexport.standalone_html(
        shipped_sites, mapexport.ExportInfo("全部站点", "2026-11-28", large=True), paper="A4"
    )
    assert ".sm-export-meta { font-size: 15px" in no_answer and "break-before: page; height" not in no_answer


def test_an_a3_sheet_prints_in_larger_type_and_no_legend_triangle(shipped_sites):
    """At A4's sizes an A3 sheet's title was small and its list 8 pt; and the legend's ▼ printed before 图例."""
    info = mapexport.ExportInfo("全部站点", "2026-11-28")
    a3 = mapexport.standalone_html(shipped_sites, info, paper="A3")
    a4 = mapexport.standalone_html(shipped_sites, info, paper="A4")
    assert ".sm-export-list table { font-size: 15px" in a3 and ".sm-export-list table { font-size: 15px" not in a4
    for sheet in (a3, a4):
        assert "@media print { .sm-legend summary { list-style: none; }" in sheet
