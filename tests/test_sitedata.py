"""The compact dataset: exact enough, small enough, and the masks select exactly the shown sites."""

from __future__ import annotations

import json

import pytest

from bench.synthetic import write_registry
from servicemap import geo, sitedata, sitetext, vocab
from servicemap.filters import Filters, apply
from servicemap.registry import load_registry


def test_positions_survive_encoding_within_a_metre(shipped_sites):
    data = sitedata.dataset(shipped_sites)
    placed = sitedata.placed(shipped_sites)
    for (lat, lon), site in zip(sitedata.decode_positions(data), placed.itertuples(), strict=True):
        assert geo.distance_m(lat, lon, site.lat, site.lon) < 0.2


def test_mask_selects_exactly_the_shown_sites(shipped_sites):
    shown = apply(shipped_sites, Filters(meal="yes"))
    mask = sitedata.visibility_mask(shipped_sites, shown)
    bits = sitedata.decode_mask(mask, len(sitedata.placed(shipped_sites)))
    chosen = sitedata.placed(shipped_sites).loc[bits, "id"].tolist()
    assert chosen == [i for i in shown["id"] if i in set(sitedata.placed(shipped_sites)["id"])]


def test_small_registries_carry_popup_details(shipped_sites):
    data = sitedata.dataset(shipped_sites)
    assert data["detail"] is not None
    assert len(data["detail"]["rows"]) == data["n"]


def test_popup_and_panel_say_the_same_of_a_site(shipped_sites):
    # A care service with no phone in the sources says so, and whom to ask, in the popup as in the panel.
    centre = shipped_sites.loc[shipped_sites["id"] == "lgq-care-center"].iloc[0]
    details = sitetext.site_details(centre)
    assert details["电话"] == "来源未给出；可拨打 12345 市民服务热线，或向社区居委会询问"
    assert details["床位"] == "18 张" and details["助餐"] == "提供助餐"
    data = sitedata.dataset(shipped_sites)
    placed = sitedata.placed(shipped_sites).reset_index(drop=True)
    row = data["detail"]["rows"][int(placed.index[placed["id"] == "lgq-care-center"][0])]
    # The popup rows leave the missing phone empty and carry the rule once; applied, as static/servicemap.js
    # does, they say what the panel says.
    missing = data["detail"]["missing"]
    popup = dict(zip(data["detail"]["labels"], row, strict=True))
    assert popup["电话"] == "" and missing["labels"] == ["电话", "开放时间"] and missing["layer"] == "elderly_care"
    shown = {label: value or (missing["text"] if label in missing["labels"] else "") for label, value in popup.items()}
    panel = {label: details[label] for label in sitedata.POPUP_FIELDS if label != "价格"}
    # In a popup, 介绍's first sentence, with its prices in a row of their own.
    price = sitetext.price_text(details["介绍"])
    assert shown == {**panel, "价格": price, "介绍": sitetext.without_prices(sitetext.source_summary(details["介绍"]))}
    # A museum is no care service: nothing to say of its phone, so nothing is shown.
    museum = shipped_sites.loc[shipped_sites["id"] == "uf-kangzhan-museum"].iloc[0]
    assert sitetext.site_details(museum)["电话"] == "" and sitetext.site_details(museum)["助餐"] == ""


@pytest.mark.parametrize("count", [10_000])
def test_city_scale_dataset_stays_under_60_bytes_a_site(tmp_path, count):
    sites = load_registry(write_registry(count, tmp_path)).sites
    text = sitedata.dataset_json(sites)
    per_site = len(text.encode("utf-8")) / count
    assert per_site <= 60, per_site
    assert "\\u5408" not in text  # 合 stays UTF-8, 3 bytes, not a 6-byte escape
    data = json.loads(text)
    assert data["detail"] is None and data["n"] == count
    mask = sitedata.visibility_mask(sites, apply(sites, Filters(meal="yes")))
    assert len(mask) <= count / 8 * 4 / 3 + 4  # a filter change costs under 0.2 bytes a site


def test_popup_details_cost_no_more_than_the_facts_they_carry(tmp_path):
    """Below 5,000 sites the dataset carries every popup detail (about 145 bytes a site for the synthetic
    registry). Writing 来源未给出 into every care service's row once took that to 209: the words travel once."""
    count = 1_000
    sites = load_registry(write_registry(count, tmp_path)).sites
    text = sitedata.dataset_json(sites)
    assert len(text.encode("utf-8")) / count <= 160
    assert text.count("来源未给出") == 1


def test_a_popup_says_a_meal_points_prices_and_whom_to_call(shipped_sites):
    detail = sitedata.dataset(shipped_sites)["detail"]
    centre = dict(zip(detail["labels"], detail["rows"][0], strict=True))
    # The price in a row of its own (大字模式's short popup shows it and not 介绍), and not again in 介绍.
    assert centre["价格"] == "早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元"
    # Its first sentence says it delivers too: an older reader may need that more than the walk (phone review).
    assert centre["介绍"] == "社区餐厅面向社会开放，米饭汤品免费续加，也送餐（报道：送餐60人次）。"
    assert centre["电话"] == ""  # the missing phone's words are sent once, with the hotline to link
    assert detail["missing"]["text"] == vocab.NOT_GIVEN_ASK and detail["missing"]["hotline"] == "12345"
    # A long first sentence is cut without pointing to a panel: the offline and print files have none.
    long = shipped_sites.assign(description="长" * 200)
    cut = dict(zip(detail["labels"], sitedata.dataset(long)["detail"]["rows"][0], strict=True))["介绍"]
    assert cut == "长" * sitetext.SUMMARY_MAX_CHARS + "……"
