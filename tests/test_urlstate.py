"""The share link round-trips every filter, the selection and the view; bad input becomes a notice."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicemap import geo, vocab
from servicemap.filters import DEFAULT_FILTERS, Filters
from servicemap.mapview import View
from servicemap.urlstate import (
    DEFAULT_RADIUS_M,
    LIST_ORDERS,
    MAX_RADIUS_M,
    MIN_RADIUS_M,
    SECTIONS,
    AppState,
    decode,
    default_order,
    encode,
    parse_view,
    share_link,
)

SITE_IDS = {"lgq-care-center", "uf-kangzhan-museum"}
STREETS = {"卢沟桥街道", "东高地街道"}


def as_params(encoded: dict[str, str]) -> dict[str, list[str]]:
    return {key: [value] for key, value in encoded.items()}


def test_default_state_gives_an_empty_query_string():
    assert encode(AppState()) == {}
    assert decode({}).state == AppState()


def test_full_state_round_trips():
    state = AppState(
        Filters(
            layers=frozenset({"elderly_care"}),
            meal="yes",
            types=frozenset({"street_care_center", "care_station"}),
            levels=frozenset({"national"}),
            streets=frozenset({"卢沟桥街道"}),
            query="张仪村路",
        ),
        View(39.86378, 116.23397, 15),
        "lgq-care-center",
        section="stats",
    )
    decoded = decode(as_params(encode(state)), site_ids=SITE_IDS, streets=STREETS)
    assert decoded.state == state
    assert decoded.notices == ()


def test_unknown_keys_and_bad_values_are_ignored_with_notices():
    decoded = decode(
        {
            "foo": ["bar"],
            "meal": ["maybe"],
            "type": ["uf_site,bogus"],
            "view": ["abc"],
            "site": ["no-such-site"],
            "level": ["galactic"],
            "section": ["admin"],
        },
        site_ids=SITE_IDS,
    )
    state = decoded.state
    assert state.filters.meal == "all"
    assert state.filters.types == frozenset({"uf_site"})
    assert state.filters.levels == frozenset()
    assert state.view is None and state.selected is None
    assert state.section == "near"
    text = " ".join(decoded.notices)
    for fragment in ("foo", "maybe", "bogus", "abc", "no-such-site", "galactic", "admin"):
        assert fragment in text
    assert len(decoded.notices) == 7


def test_what_sharing_platforms_add_to_a_link_passes_without_a_word():
    """WeChat adds from=singlemessage&isappinstalled=0 to a shared link: a notice for them read as broken."""
    shared = {"near": ["39.84917,116.21306"], "from": ["singlemessage"], "isappinstalled": ["0"]}
    decoded = decode({**shared, "utm_source": ["wechat"], "share_token": ["x"]}, site_ids=SITE_IDS)
    assert decoded.notices == ()
    assert decoded.state.near == (39.84917, 116.21306)


def test_repeated_keys_use_the_first_value_and_say_so():
    decoded = decode({"meal": ["yes", "no"]})
    assert decoded.state.filters.meal == "yes"
    assert any("2 次" in notice for notice in decoded.notices)


def test_huge_values_are_refused_and_quoted_briefly():
    decoded = decode({"q": ["张" * 10_000], "x" * 5000: ["1"]})
    assert decoded.state.filters.query == ""
    assert all(len(notice) < 120 for notice in decoded.notices)


def test_empty_layer_value_means_no_layers():
    assert decode({"layer": [""]}).state.filters.layers == frozenset()


def test_view_is_validated():
    assert parse_view("39.86,116.23,14") == View(39.86, 116.23, 14)
    for bad in ("39.86,116.23", "nan,116,12", "39,116,99", "95,116,12", "39,116,12.5", "39,inf,12", ""):
        assert parse_view(bad) is None, bad


filters_strategy = st.builds(
    Filters,
    layers=st.frozensets(st.sampled_from(list(vocab.LAYERS))),
    meal=st.sampled_from(["all", "yes", "no", "unknown"]),
    types=st.frozensets(st.sampled_from(list(vocab.SITE_TYPES))),
    levels=st.frozensets(st.sampled_from(list(vocab.LEVELS))),
    streets=st.frozensets(st.sampled_from(sorted(STREETS))),
    query=st.text(min_size=0, max_size=20).map(str.strip),
)
view_strategy = st.none() | st.builds(
    View,
    lat=st.floats(-85, 85).map(lambda v: round(v, 5)),
    lon=st.floats(-180, 180).map(lambda v: round(v, 5)),
    zoom=st.integers(3, 19),
)


# Every walking circle the panel can set: whole minutes times whole metres a minute, within the link's range.
radius_strategy = st.builds(
    lambda minutes, speed: minutes * speed,
    st.integers(*geo.WALK_MINUTES_RANGE),
    st.integers(*geo.WALK_SPEED_RANGE),
).filter(lambda radius: MIN_RADIUS_M <= radius <= MAX_RADIUS_M)


@given(
    filters_strategy,
    view_strategy,
    st.none() | st.sampled_from(sorted(SITE_IDS)),
    st.sampled_from(SECTIONS),
    radius_strategy,
    st.none() | st.tuples(st.integers(-85_00000, 85_00000), st.integers(-180_00000, 180_00000)),
    st.sampled_from(["", *LIST_ORDERS]),
)
def test_any_valid_state_round_trips(filters, view, selected, section, radius, near, order):
    near_point = None if near is None else (near[0] / 100000, near[1] / 100000)
    if order == default_order(near_point) or (order, near_point is None) in (("near", True), ("registry", False)):
        order = ""  # the default is not written, and an order the list does not offer there is not a valid state
    state = AppState(filters, view, selected, section=section, radius_m=radius, near=near_point, order=order)
    decoded = decode(as_params(encode(state)), site_ids=SITE_IDS, streets=STREETS)
    assert decoded.state == state
    assert decoded.notices == ()


@given(st.dictionaries(st.text(max_size=30), st.lists(st.text(max_size=60), max_size=3), max_size=6))
def test_decode_never_crashes_on_arbitrary_params(params):
    decoded = decode(params, site_ids=SITE_IDS, streets=STREETS)
    assert isinstance(decoded.state, AppState)
    assert decoded.state.filters.meal in ("all", "yes", "no", "unknown")


def test_a_link_radius_opens_as_the_walking_time_and_speed_that_give_it_back():
    # A shared 3 km circle once opened as 300 m: the speed box cannot hold 3000 / 15 = 200 m/min.
    for radius, settings in {1005: (15, 67), 3000: (50, 60), 60: (1, 60), 1805: (19, 95), 800: (10, 80)}.items():
        assert geo.walk_settings_for_radius(radius) == settings
        decoded = decode({"radius": [str(radius)]})
        assert decoded.state.radius_m == radius and decoded.notices == ()


@given(st.integers(MIN_RADIUS_M, MAX_RADIUS_M))
def test_any_radius_in_range_opens_as_the_nearest_the_panel_can_show(radius):
    minutes, speed = geo.walk_settings_for_radius(radius)
    assert geo.WALK_MINUTES_RANGE[0] <= minutes <= geo.WALK_MINUTES_RANGE[1]
    assert geo.WALK_SPEED_RANGE[0] <= speed <= geo.WALK_SPEED_RANGE[1]
    assert abs(minutes * speed - radius) <= minutes / 2  # the nearest whole speed at that time
    decoded = decode({"radius": [str(radius)]})
    assert decoded.state.radius_m == minutes * speed
    # A radius the panel cannot show exactly (a hand-edited 4,993 m) is changed, and the reader told so.
    assert (decoded.notices == ()) == (minutes * speed == radius)


def test_default_filters_constant_is_all_layers():
    assert DEFAULT_FILTERS.layers == frozenset(vocab.LAYERS)


def test_share_link_is_the_page_address_with_the_state_as_its_query():
    assert share_link("http://127.0.0.1:8501", {"meal": "yes"}) == "http://127.0.0.1:8501/?meal=yes"
    assert share_link("https://gov.example/map/list?old=1", {"q": "卢沟桥 街"}) == (
        "https://gov.example/map/list?q=%E5%8D%A2%E6%B2%9F%E6%A1%A5+%E8%A1%97"
    )
    assert share_link("http://127.0.0.1:8501/?meal=yes", {}) == "http://127.0.0.1:8501/"


def test_near_me_state_round_trips_through_the_link():
    state = AppState(near=(39.86378, 116.23397), radius_m=800, coverage=True, large=True)
    decoded = decode({k: [v] for k, v in encode(state).items()})
    assert decoded.state == state and decoded.notices == ()
    bad = decode({"near": ["north pole"], "radius": ["99999"], "large": ["yes"]})
    assert bad.state.near is None and bad.state.radius_m == DEFAULT_RADIUS_M and not bad.state.large
    assert len(bad.notices) == 3


def test_the_lists_order_goes_with_the_link_and_a_default_or_an_order_not_offered_does_not():
    # A list put 提供助餐的在前 and shared opened on 登记顺序 (regression review).
    assert encode(AppState(order="meal")) == {"order": "meal"}
    assert decode({"order": ["meal"]}).state.order == "meal"
    assert encode(AppState(order="registry")) == {}
    near = (39.86378, 116.23397)
    assert "order" not in encode(AppState(near=near, order="near"))
    assert decode({"near": ["39.86378,116.23397"], "order": ["type"]}).state.order == "type"
    for params, words in (
        ({"order": ["distance"]}, "无法识别"),
        ({"order": ["near"]}, "要有“我的位置”"),
        ({"order": ["registry"], "near": ["39.86378,116.23397"]}, "由近到远"),
    ):
        decoded = decode(params)
        assert decoded.state.order == "" and len(decoded.notices) == 1 and words in decoded.notices[0]
