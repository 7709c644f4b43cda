"""The type chart's spec: one bar per type with its number, words a screen reader can say, and larger words in
大字模式."""

from servicemap import charts, vocab


def test_the_type_chart_has_a_bar_and_a_number_per_type_and_says_them():
    spec = charts.type_chart_spec({"street_care_center": 1, "community_health": 2})
    labels = [vocab.type_label("street_care_center"), vocab.type_label("community_health")]
    assert [row["类型"] for row in spec["data"]["values"]] == labels
    assert [row["数量"] for row in spec["data"]["values"]] == [1, 2]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]  # each bar carries its number
    assert spec["description"] == f"按类型统计的站点数：{labels[0]} 1 处，{labels[1]} 2 处"
    # ... and not Vega's English words for the axes; each bar is said once, not again for its number.
    assert spec["config"] == {"axis": {"aria": False}}
    assert [layer["mark"].get("aria", True) for layer in spec["layer"]] == [True, False]


def test_in_large_text_the_charts_words_are_as_large_as_the_page():
    spec = charts.type_chart_spec({"street_care_center": 1}, large=True)
    assert spec["config"]["axis"]["labelFontSize"] == 18 and spec["config"]["text"]["fontSize"] == 18
    assert spec["config"]["axis"]["aria"] is False
    assert spec["height"] > charts.type_chart_spec({"street_care_center": 1})["height"]


def test_every_bar_is_named_whatever_the_type_size():
    """On a meeting room's wide screen Vega hid every other bar's name as overlapping: 4 bars read as 2."""
    spec = charts.type_chart_spec(
        {"street_care_center": 1, "hospital": 1, "care_home_public": 1, "community_health": 1}
    )
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False
    # room for a line of the wide screen's 17.5 px labels (and a 4K screen's 23 px) in each bar's band
    assert (spec["height"] - 40) / 4 >= 1.5 * 23
