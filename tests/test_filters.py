"""Filters combine the way the sidebar promises, and option counts predict what choosing gives."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from servicemap import filters, vocab
from servicemap.filters import (
    COUNTED_FACETS,
    DEFAULT_FILTERS,
    Filters,
    apply,
    describe,
    file_name,
    option_counts,
    select,
    street_options,
)


def ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["id"])


def test_default_filters_show_every_site(shipped_sites):
    assert len(apply(shipped_sites, DEFAULT_FILTERS)) == len(shipped_sites)


def test_meal_filter_keeps_only_meal_service_points(shipped_sites):
    shown = apply(shipped_sites, Filters(meal="yes"))
    assert ids(shown) == {"lgq-care-center"}
    unknown = apply(shipped_sites, Filters(meal="unknown"))
    assert set(unknown["meal_service"]) == {"unknown"}
    # 情况不明 is a care site's question; united-front sites read 不适用 and show only under 全部
    assert set(unknown["layer"]) == {"elderly_care"}
    assert len(unknown) == 3


def test_layer_filter_hides_a_whole_layer(shipped_sites):
    shown = apply(shipped_sites, Filters(layers=frozenset({"elderly_care"})))
    assert set(shown["layer"]) == {"elderly_care"}
    assert apply(shipped_sites, Filters(layers=frozenset())).empty


def test_level_filter_restricts_united_front_only(shipped_sites):
    shown = apply(shipped_sites, Filters(levels=frozenset({"national"})))
    united = shown[shown["layer"] == "united_front"]
    assert set(united["level"]) == {"national"}
    assert len(united) == 5
    # Care sites have no level; the level filter must not hide them.
    assert (shown["layer"] == "elderly_care").sum() == (shipped_sites["layer"] == "elderly_care").sum()


def test_filters_combine(shipped_sites):
    shown = apply(shipped_sites, Filters(layers=frozenset({"united_front"}), types=frozenset({"health_home"})))
    assert set(shown["type"]) == {"health_home"}
    assert len(shown) == 3
    assert apply(shipped_sites, Filters(meal="yes", layers=frozenset({"united_front"}))).empty


def test_search_matches_name_or_address_case_insensitively(shipped_sites):
    assert ids(apply(shipped_sites, Filters(query="张仪村路"))) == {"lgq-care-center", "lgq-health-center-2"}
    # 侨之家·怡海社区 matches too: its address says it is beside the car museum.
    assert ids(apply(shipped_sites, Filters(query="汽车博物馆"))) == {"uf-auto-museum", "uf-qiaozhijia-yihai"}
    frame = shipped_sites.copy()
    frame.loc[0, "name"] = "Lugouqiao Centre"
    assert ids(apply(frame, Filters(query="lugouqiao"))) == {frame.loc[0, "id"]}


def test_search_is_literal_not_a_regex(shipped_sites):
    assert apply(shipped_sites, Filters(query=".*")).empty
    assert apply(shipped_sites, Filters(query="(")).empty


def test_street_filter(shipped_sites):
    shown = apply(shipped_sites, Filters(streets=frozenset({"卢沟桥街道"})))
    assert set(shown["street"]) == {"卢沟桥街道"}


def test_option_counts_predict_the_result_of_choosing_each_option(shipped_sites):
    current = Filters(layers=frozenset({"elderly_care"}))
    counts = option_counts(shipped_sites, current, "types")
    for code in vocab.SITE_TYPES:
        expected = len(apply(shipped_sites, replace(current, types=frozenset({code}))))
        assert counts.get(code, 0) == expected, code
    meal = option_counts(shipped_sites, current, "meal")
    for choice in ("yes", "no", "unknown"):
        assert meal[choice] == len(apply(shipped_sites, replace(current, meal=choice)))
    assert meal["all"] == len(apply(shipped_sites, current))


def test_option_counts_for_levels_count_united_front_sites(shipped_sites):
    counts = option_counts(shipped_sites, DEFAULT_FILTERS, "levels")
    assert counts == {"national": 5, "municipal": 2, "district": 1}


def test_a_selection_is_the_filtered_rows_with_every_facets_counts(shipped_sites):
    current = Filters(meal="yes", query="卢沟桥")
    selection = select(shipped_sites, current)
    assert shipped_sites.take(selection.positions).equals(apply(shipped_sites, current))
    for facet in COUNTED_FACETS:
        assert selection.option_counts[facet] == option_counts(shipped_sites, current, facet)


def test_filters_survive_the_round_trip_through_their_key():
    current = Filters(
        frozenset({"united_front"}),
        "yes",
        frozenset({"uf_site"}),
        frozenset({"national"}),
        frozenset({"卢沟桥街道"}),
        "馆",
    )
    assert Filters.from_key(current.key()) == current
    assert current.key() == Filters.from_key(current.key()).key()


def test_meal_service_is_not_applicable_to_united_front_sites(shipped_sites):
    """A museum is not a care service: its sources' silence on meals reads 不适用, not 情况不明, and the
    情况不明 option counts only the care sites whose meal service should be known and is not."""
    museum = shipped_sites.set_index("id").loc["uf-kangzhan-museum"]
    assert vocab.meal_label(museum["layer"], museum["meal_service"]) == vocab.MEAL_NOT_APPLICABLE
    assert vocab.meal_label("elderly_care", "unknown") == "助餐情况不明"
    assert vocab.meal_label("united_front", "yes") == "提供助餐"  # a source that does say so is shown
    counts = option_counts(shipped_sites, DEFAULT_FILTERS, "meal")
    assert counts == {"all": 16, "yes": 1, "no": 0, "unknown": 3, "not_applicable": 12}
    assert counts["all"] == sum(counts[c] for c in ("yes", "no", "unknown", "not_applicable"))


def test_street_options_are_the_named_streets_sorted(shipped_sites):
    assert street_options(shipped_sites) == ["东高地街道", "卢沟桥街道"]  # blank streets are not an option


def test_describe_filters_in_words():
    assert describe(Filters()) == "全部站点"
    assert describe(Filters(meal="yes", levels=frozenset({"national"}))) == (
        "助餐：提供助餐；级别：国家级（只筛统战阵地；养老服务资源不分级别，照常列出）"
    )
    united_front_only = Filters(layers=frozenset({"united_front"}), levels=frozenset({"municipal"}))
    assert describe(united_front_only) == "图层：统战阵地及平台；级别：市级"  # no care site to explain
    assert describe(Filters(types=frozenset({"uf_site"}), levels=frozenset({"municipal"}))).endswith("级别：市级")


def test_download_names_say_what_they_hold_and_stay_safe_on_every_system():
    assert file_name("卢街颐养_养老服务资源清单", Filters(), ".csv") == "卢街颐养_养老服务资源清单.csv"
    meal_only = file_name("卢街颐养_养老服务资源清单", Filters(meal="yes"), ".csv")
    assert meal_only == "卢街颐养_养老服务资源清单_助餐-提供助餐.csv"
    # A search from a link may hold anything: nothing a file system refuses reaches the name.
    hostile = file_name("清单", Filters(query='../a/b:c*?<>|" \n d'), ".csv")
    assert hostile.startswith("清单_搜索-") and hostile.endswith(".csv")
    assert not set('/\\:*?"<>|\n ') & set(hostile)


def test_a_choice_widget_value_is_read_as_its_code_whatever_count_its_label_showed():
    """Streamlit hands back the label a choice last showed; its count may since have changed."""
    assert filters.code_for("national", vocab.LEVELS) == "national"
    assert filters.code_for("国家级（5）", vocab.LEVELS) == "national"
    assert filters.code_for("国家级（0）", vocab.LEVELS) == "national"
    assert filters.code_for("全部（16，含不适用 12）", filters.MEAL_CHOICE_LABELS) == "all"
    assert filters.code_for("省级（3）", vocab.LEVELS) is None
    # A name that contains （） is matched whole, not by a shorter name it starts with.
    names = {"home": "养老机构", "public": "养老机构（公办）"}
    assert filters.code_for("养老机构（公办）（3）", names) == "public"
    assert filters.code_for("养老机构（3）", names) == "home"


def filters_over(sites: pd.DataFrame):
    """Any Filters a reader could set over `sites`, built from the options the sidebar offers."""
    from hypothesis import strategies as st

    def subsets(values):
        return st.frozensets(st.sampled_from(sorted(values)))

    words = sorted({w for name in sites["name"] for w in (name[:2], name[-2:])} | {"餐", "zz"})
    return st.builds(
        Filters,
        layers=subsets(vocab.LAYERS),
        meal=st.sampled_from(filters.MEAL_CHOICES),
        types=subsets(vocab.SITE_TYPES),
        levels=subsets(vocab.LEVELS),
        streets=subsets(street_options(sites)),
        query=st.sampled_from(["", *words]),
    )


def test_a_picked_site_a_filter_hides_is_shown_again_by_loosening_only_what_hides_it(shipped_sites):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(chosen=filters_over(shipped_sites), label=st.sampled_from(list(shipped_sites.index)))
    def check(chosen: Filters, label) -> None:
        loosened = filters.loosened_to_show(shipped_sites, label, chosen)
        shown_before, shown_after = ids(apply(shipped_sites, chosen)), ids(apply(shipped_sites, loosened))
        assert shipped_sites.loc[label, "id"] in shown_after
        assert shown_before <= shown_after  # nothing the reader saw is taken away
        if shipped_sites.loc[label, "id"] in shown_before:
            assert loosened == chosen

    check()


def test_loosening_keeps_the_readers_other_choices(shipped_sites):
    centre = shipped_sites.index[shipped_sites["name"].str.contains("卢沟桥街道养老服务中心")][0]
    memorial = shipped_sites.index[shipped_sites["name"] == "中国人民抗日战争纪念馆"][0]
    # 只看助餐 and a search: the memorial (a national united-front site, no meals) is hidden by both
    chosen = replace(DEFAULT_FILTERS, meal="yes", query="卢沟桥")
    assert filters.loosened_to_show(shipped_sites, centre, chosen) == chosen
    loosened = filters.loosened_to_show(shipped_sites, memorial, chosen)
    assert (loosened.meal, loosened.query) == ("all", "")
    # a level filter takes in the memorial's own level, not every level
    municipal = replace(DEFAULT_FILTERS, levels=frozenset({"municipal"}))
    assert filters.loosened_to_show(shipped_sites, memorial, municipal).levels == {"municipal", "national"}
