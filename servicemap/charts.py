"""Charts as plain Vega-Lite specs, their values inline: Altair's schema validation cost ~10 ms a rerun, and a
DataFrame would be converted to Arrow on every rerun for a few rows."""

from __future__ import annotations

from collections.abc import Mapping

from servicemap import vocab


def type_chart_spec(counts: Mapping[str, int], large: bool = False) -> dict:
    """A bar per site type (codes to counts), each with its number, as a Vega-Lite spec; `large` for 大字模式."""
    by_type = [{"类型": vocab.type_label(code), "数量": count} for code, count in counts.items()]
    spec: dict = {
        # What a screen reader says for the chart (it had read out the axis ticks, "0 1 2 … 站点数 …").
        "description": "按类型统计的站点数：" + "，".join(f"{row['类型']} {row['数量']} 处" for row in by_type),
        "data": {"values": by_type},
        "encoding": {
            "x": {"field": "数量", "type": "quantitative", "title": "站点数", "axis": {"tickMinStep": 1}},
            # Every bar named, whatever the page's type size: on a meeting room's wide screen (text a quarter larger)
            # Vega hid every other name as overlapping, and 4 bars read as 2 (meeting-room review).
            "y": {
                "field": "类型",
                "type": "nominal",
                "sort": "-x",
                "title": None,
                "axis": {"labelLimit": 260, "labelOverlap": False},
            },
            "tooltip": [{"field": "类型"}, {"field": "数量"}],
        },
        # Each bar carries its number: the axis alone made readers guess (7 read as "about 6").
        "layer": [
            {"mark": {"type": "bar", "color": "#c0392b"}},
            # (its number said once, with its bar)
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "aria": False},
                "encoding": {"text": {"field": "数量"}},
            },
        ],
        # One bar needs room for its axis too; a bar a line of the wide screen's larger type and some.
        "height": max(120, 40 + 36 * len(by_type)),
        # A screen reader is given each bar ("站点数: 1; 类型: 养老机构（公办）; 数量: 1") without Vega's English
        # words for the axes ("X-axis titled '站点数' for a linear scale with values from 0 to 8").
        "config": {"axis": {"aria": False}},
    }
    if large:  # the chart's words drew at 11 px beside 20 px text
        spec["config"]["axis"].update(labelFontSize=18, titleFontSize=18)
        spec["config"]["text"] = {"fontSize": 18}
        spec["height"] = max(160, 50 + 40 * len(by_type))
    return spec
