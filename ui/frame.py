"""The frame every page runs inside: the pages, the sidebar filters, the page styles, notices and the
share-link box. What the widgets hold, and the link, are ui/state.py's."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Final, Literal

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from servicemap import basemaps, urlstate, vocab
from servicemap import filters as filtering
from servicemap.registry import LoadResult, data_path
from servicemap.textsafe import markdown_literal
from ui import data, newsave, publish, state


def pages() -> list[st.Page]:
    """The app's pages, built once per session: building one resolves and checks its file on disk, which
    cost a tenth of every rerun. Streamlit marks the page to run on the object at each navigation."""
    if state.PAGES_KEY not in st.session_state:
        st.session_state[state.PAGES_KEY] = [
            st.Page("app_pages/map.py", title="地图", icon=":material/map:", default=True),
            st.Page("app_pages/list.py", title="资源清单", icon=":material/table_view:", url_path="list"),
            st.Page("app_pages/about.py", title="关于数据", icon=":material/info:", url_path="about"),
        ]
    return st.session_state[state.PAGES_KEY]


def run_mark(key: str) -> None:
    """A hidden mark, which static/answer_scroll.js acts on once (DETAIL_ANEW, PICKER_ANEW), drawn while it stands
    (state.mark_stands). Not an empty container: Streamlit draws none."""
    with st.container(key=key):
        st.html('<span class="sm-run-mark"></span>')


def page_title(name: str) -> None:
    """The browser tab's title for a page other than the map: "资源清单 · <the map's title>". Every page had the
    map's title, so a screen reader heard no change of page, and two tabs could not be told apart
    (keyboard review). The router sets the map's title first on every run."""
    st.set_page_config(page_title=f"{name} · {data.current_edition().title}")


def large_mode_button() -> None:
    """大字模式 at the top of the page, beside the sidebar's switch: on a phone the sidebar is folded away, and
    the only pointer to it was a grey line an older reader could not read (phone review)."""
    large = state.large_mode()
    st.button(
        "恢复正常字号" if large else "字太小？点这里放大",
        key="large_mode_top",
        icon=":material/format_size:",
        type="tertiary",
        on_click=_flip_large_mode,
    )


def _flip_large_mode() -> None:
    st.session_state[state.LARGE_KEY] = not state.large_mode()


def sidebar_filters(streets: list[str], option_counts: Mapping[str, Mapping[str, int]]) -> filtering.Filters:
    """Draw the sidebar filters and return what they say; `streets` are the street filter's options.

    `option_counts` (facet -> option -> sites) are for the filters as the session state holds them when
    the run starts, which is what the widgets will return: a widget's new value is in the state already.
    """
    with st.sidebar:
        st.toggle("大字模式", key=state.LARGE_KEY, help="更大的字和标记、更高的对比度、更少的选项；方便老年朋友阅读")
        st.header("筛选")
        st.caption("图层")
        layer_counts = option_counts["layers"]
        registered = data.registered_layers()
        # A layer the registry has no site in (an office's care-only registry) is not offered.
        for layer, label in ((layer, label) for layer, label in vocab.LAYERS.items() if layer in registered):
            # The count beside the label, as every other filter option has it (it was only in the tooltip).
            count = layer_counts.get(layer, 0)
            st.checkbox(f"{label}（{count}）", key=state.LAYER_KEYS[layer], help=f"符合其他筛选条件的有 {count} 处")
        meal_counts = option_counts["meal"]
        # Without the 不适用 sites the options do not add up to 全部: say where the rest are, or
        # "不提供（0）" reads as "every site serves meals".
        not_applicable = meal_counts.get("not_applicable", 0)
        meal_help = "按来源登记的助餐情况筛选"
        if not_applicable:
            meal_help += f"；另有 {not_applicable} 处统战阵地及平台来源未说明助餐（不适用），只计入“全部”"

        def meal_option(choice: str) -> str:
            # Readers added 1 + 0 + 3 and asked where the rest of 全部（16） were: the label says.
            aside = f"，含不适用 {not_applicable}" if choice == "all" and not_applicable else ""
            return f"{filtering.MEAL_CHOICE_LABELS[choice]}（{meal_counts.get(choice, 0)}{aside}）"

        state.relabel_choice(state.MEAL_KEY, (meal_option(st.session_state.get(state.MEAL_KEY, "all")),))
        st.radio(
            filtering.FACET_LABELS["meal"],
            filtering.MEAL_CHOICES,
            key=state.MEAL_KEY,
            format_func=meal_option,
            horizontal=True,
            help=meal_help,
        )
        if state.large_mode():
            # 大字模式 keeps the filters older readers use (layers, meals, search); type, level and street
            # filters are not shown and do not apply, so nothing hidden narrows the map. The basemap stays:
            # where tiles do not load, another basemap (or 无底图) is chosen here. The paused filters are kept
            # (persist_state) and come back with the normal view: a staffer who showed a resident the large
            # print lost the briefing view she had built.
            paused = [label for label, key in PAUSED_IN_LARGE_MODE if st.session_state.get(key)]
            if paused:
                st.caption(f"{'、'.join(paused)}筛选在大字模式下暂不生效，关闭大字模式后恢复。")
            _search_box()
            _basemap_select()
            return state.filters_from_state()

        counts = option_counts
        facet_select(
            filtering.FACET_LABELS["types"], list(vocab.SITE_TYPES), state.TYPES_KEY, vocab.type_label,
            counts["types"], "全部类型",
        )  # fmt: skip
        if vocab.UNITED_FRONT_LAYER in registered:
            facet_select(
                filtering.FACET_LABELS["levels"],
                list(vocab.LEVELS),
                state.LEVELS_KEY,
                vocab.LEVELS.__getitem__,
                counts["levels"],
                "全部级别",
                help=f"只筛选{vocab.LAYERS[vocab.UNITED_FRONT_LAYER]}；养老服务资源不分级别",
            )
        facet_select(
            filtering.FACET_LABELS["streets"], streets, state.STREETS_KEY, str, counts["streets"], "全部街道",
            help="只列出登记表中填写了街道的站点",
        )  # fmt: skip
        _search_box()
        _basemap_select()
    return state.filters_from_state()


# Lists of categories up to this long open without a search box: they are chosen by looking, and typing in one
# opened a phone's keyboard over half the list. Longer lists (an adopter's streets) keep typing to filter.
SCROLL_LIST_MAX = 30


def typing_filter(option_count: int) -> Literal["fuzzy"] | None:
    """The `filter_mode` for a select of `option_count` categories: none (no keyboard) for a short list."""
    return None if option_count <= SCROLL_LIST_MAX else "fuzzy"


# Lists of names (places for "my location", sites) always filter as the reader types, by the text typed: people
# type a name. Without filtering, a name that was not in the list stayed in the box and Enter chose the first
# place of the list, silently: "卢沟桥乡政府" typed and entered answered for 卢沟桥（古桥）, 2.4 km from a meal.
# By substring, not fuzzily: a fuzzy match finds "places" in any name sharing a few characters in order.
NAME_FILTER: Final = "contains"


# The filters 大字模式 sets aside, by the names the sidebar gives them (filters.FACET_LABELS, as every notice).
PAUSED_IN_LARGE_MODE = tuple(
    (filtering.FACET_LABELS[facet], key)
    for facet, key in (("types", state.TYPES_KEY), ("levels", state.LEVELS_KEY), ("streets", state.STREETS_KEY))
)


def _search_box() -> None:
    st.text_input(
        filtering.FACET_LABELS["query"],
        key=state.QUERY_KEY,
        max_chars=filtering.MAX_QUERY_LENGTH,
        placeholder=data.current_edition().search_example,
    )


def _basemap_select() -> None:
    # 内网瓦片服务 only where an office has set one up: offered everywhere, it led to a notice about
    # environment variables and secrets.toml (staff review). A link that names it still opens, with that notice.
    offered = [
        code
        for code in basemaps.BASEMAPS
        if code != "custom" or st.session_state.get(state.BASEMAP_KEY) == "custom" or data.custom_basemap()
    ]
    st.selectbox(
        "底图",
        offered,
        key=state.BASEMAP_KEY,
        format_func=lambda code: basemaps.BASEMAPS[code].label,
        filter_mode=typing_filter(len(basemaps.BASEMAPS)),
        help="高德底图使用 GCJ-02 坐标，站点会自动换算到正确位置；断网时可选“无底图”",
    )


def facet_select(
    label: str,
    options: list[str],
    key: str,
    name: Callable[[str], str],
    counts: Mapping[str, int],
    placeholder: str,
    help: str | None = None,
) -> None:
    """A multiselect whose options show how many sites each would give."""

    def labelled(code: str) -> str:
        return f"{name(code)}（{counts.get(code, 0)}）"

    state.relabel_choice(key, tuple(labelled(code) for code in st.session_state.get(key, []) if code in options))
    st.multiselect(
        label,
        options,
        key=key,
        format_func=labelled,
        filter_mode=typing_filter(len(options)),
        persist_state=state.KEEP_FOR_SESSION,
        placeholder=placeholder,
        help=help,
    )


# Where a screen is laid out as a phone's: a phone, or a tablet held upright. At 768 px a tablet had the laptop's
# list, a grid 2,000 px wide whose 开放时间 and 价格 were off its edge, and no 大字模式 button at the top (tablet
# review). (The map inside folds its legend at mapview.NARROW_MAP_PX, by the map's own width.)
NARROW_SCREEN_PX = 820
# The live map's height on a laptop, a tablet and a phone; a tall meeting-room screen gives it more (static/page.css).
MAP_HEIGHT_PX = 560
# Keys (or the start of keys: "narrow_screen_only_shared_site") of containers the page's CSS shows only on a
# wide screen or only on a narrow one.
WIDE_SCREEN_ONLY = "wide_screen_only"
NARROW_SCREEN_ONLY = "narrow_screen_only"
# Key of the container the answer about the nearest meal point has right after a tap on the map chose
# "my location": static/answer_scroll.js brings it into view.
ANSWER_ANEW = "near_answer_anew"
# Key of the container of the site's details right after a row of 资源清单 chose it: static/answer_scroll.js
# brings them into view and gives them the keyboard's focus (following 在地图上查看, focus fell to the page's
# top, and a keyboard reader had to find 站点详情 again).
DETAIL_ANEW = "site_detail_anew"
# Key of the container of the site picker right after 清除选择 removed the details and the button itself: the
# keyboard's focus goes to the picker (it had fallen to the page's top; keyboard review).
PICKER_ANEW = "site_picker_anew"


def _page_css(name: str) -> str:
    """A stylesheet of static/ as a style element; as_sent fills in the words in capitals its first comment names."""
    return f"<style>\n{(publish.STATIC_DIR / name).read_text(encoding='utf-8')}</style>"


# Every page's CSS (the phone layout, Chinese for Streamlit's English words, a meeting room's wide screen…), and
# 大字模式's after it, which wins. Fixed files; no data goes in.
PAGE_CSS = _page_css("page.css")
LARGE_MODE_CSS = _page_css("large_mode.css")


# Scripts for the page itself (the map's run in its own frame): Streamlit's English words for screen readers
# said in Chinese, one history entry per page rather than per click, the answer brought into view after a
# tap on the map chose "my location", no typing in lists chosen by looking, the share box's 复制链接, and a change
# of page and a help text opened from the keyboard said to a screen reader.
# Fixed files; no data goes in.
# answer_scroll.js names the answer's container and the one-run marks by the keys the page gives them, filled in
# by as_sent.
# Nothing in them may read as a tag: a comment quoting "<title>" kept the script from running at all.
PAGE_SCRIPT_FILES = (
    "zh_labels.js",
    "history.js",
    "answer_scroll.js",
    "short_lists.js",
    "copy_link.js",
    "announce.js",
    "sidebar.js",
)
PAGE_SCRIPTS = "".join(
    f"<script>{(publish.STATIC_DIR / name).read_text(encoding='utf-8')}</script>" for name in PAGE_SCRIPT_FILES
)


# The words in capitals the page's CSS and scripts name, and what goes in their place: the page's widths and the keys
# of its containers and one-run marks (the CSS and answer_scroll.js name them).
PLACEHOLDERS = (
    ("NARROW_ONLY", NARROW_SCREEN_ONLY),
    ("WIDE_ONLY", WIDE_SCREEN_ONLY),
    ("NARROW_PX", str(NARROW_SCREEN_PX)),
    ("WIDE_FROM_PX", str(NARROW_SCREEN_PX + 1)),
    ("MAP_PX", str(MAP_HEIGHT_PX)),
    ("ANSWER_ANEW", ANSWER_ANEW),
    ("DETAIL_ANEW", DETAIL_ANEW),
    ("PICKER_ANEW", PICKER_ANEW),
)


def as_sent(text: str) -> str:
    """Page CSS or script as it goes to the browser: its PLACEHOLDERS filled in, without its comments and
    indentation. They go to the browser on every rerun, for every reader, and the comments were a third of them
    (a rerun at city scale had grown past 5 bytes a site). Block comments, and lines that are only a line
    comment; no string in these files holds "/*" or starts a line with "//"."""
    for placeholder, value in PLACEHOLDERS:
        text = text.replace(placeholder, value)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def apply_page_assets() -> None:
    """Headings that wrap evenly, the phone layout, 大字模式's larger, higher-contrast text, Chinese words for
    screen readers and one history entry per page. Static CSS and scripts only; no data goes in, so the
    scripts may run."""
    st.html(
        PAGE_CSS_SENT + (LARGE_MODE_CSS_SENT if state.large_mode() else "") + PAGE_SCRIPTS_SENT,
        unsafe_allow_javascript=True,
    )


PAGE_CSS_SENT, LARGE_MODE_CSS_SENT, PAGE_SCRIPTS_SENT = (
    as_sent(PAGE_CSS),
    as_sent(LARGE_MODE_CSS),
    as_sent(PAGE_SCRIPTS),
)


def show_notices(registry: LoadResult) -> None:
    """Link problems and rejected registry rows, on every page, so nothing goes missing unseen. In a container drawn
    on every run, empty or not: a notice put in before the page's content moved every element after it, and a save
    with one bad row made an open page jump to the map and lose the keyboard's focus, with no one touching it
    (regression review)."""
    with st.container(key="notices"):
        _notices(registry)


def _notices(registry: LoadResult) -> None:
    notices = st.session_state.get(state.NOTICES_KEY, ())
    if notices:  # one box, not one per problem: a mangled link should not push the page down
        lines = "\n".join(f"- {markdown_literal(notice)}" for notice in notices)
        # Not "shown as the default": the rest of the link still holds (a location, a site).
        st.warning(
            f"链接中有 {len(notices)} 处无法使用，这几处已忽略，其余按链接显示：\n{lines}", icon=":material/link_off:"
        )
    for problem in data.deployment_notices():  # the server's settings: for whoever set it up
        st.warning(markdown_literal(problem), icon=":material/settings:")
    set_aside = data.newest_version_set_aside()
    if set_aside is not None:
        st.warning(
            f"登记表“{markdown_literal(data_path().name)}”最近保存的版本无法使用："
            f"{markdown_literal(set_aside.problem)}。地图和清单仍是 {set_aside.shown_saved_at} 保存的上一版；"
            "请用 `python -m servicemap validate` 检查文件，改好后保存即可" + _then_open_pages_follow(),
            icon=":material/history:",
        )
    if not registry.total_rows:  # a file of headers alone: the map and list were empty with no word why
        st.info(
            f"登记表“{markdown_literal(data_path().name)}”里还没有站点：只有表头，没有一行数据。"
            "在表中加上站点的行并保存" + _then_open_pages_follow(),
            icon=":material/info:",
        )
    if registry.rejected_rows:
        st.warning(
            f"登记表中有 {len(registry.rejected_rows)} 行有问题未读入，地图和清单里都没有；"
            f"其余 {len(registry.sites)} 行正常显示。详见“关于数据”页的“登记表检查”。",
            icon=":material/warning:",
        )


def share_link_box(filters: filtering.Filters, where: DeltaGenerator | None = None) -> None:
    """A 复制分享链接 popover (in the sidebar unless `where` says otherwise): the full link in a code box,
    whose copy button works without any CDN. Drawn where it reruns whenever the link can change."""
    # Without 大字模式, a reader's own setting: a daughter's link opened in large print on her brother's phone.
    shared = dataclasses.replace(state.app_state(filters), large=False)
    link = urlstate.share_link(st.context.url or "", urlstate.encode(shared, state.default_basemap()))
    with (where or st.sidebar).popover("复制分享链接", icon=":material/share:", use_container_width=True):
        # Not "the same map range": a phone shows less than the laptop the link was copied on, and keeps the
        # selected site in view, so a brother saw another range than his sister's and the box had promised it.
        st.caption(
            "把链接发给别人，对方打开后看到同样的筛选和选中站点，地图也在同一处（屏幕大小不同，范围会略有不同）。"
            + _near_point_in_link()
        )
        st.code(link, language=None, wrap_lines=True)
        # Fixed HTML, no data: static/copy_link.js copies the link from the box above and says so (Streamlit's
        # own copy icon shows on hover only; on a phone, after a tap on the box).
        st.html(COPY_LINK_BUTTON)


def _then_open_pages_follow() -> str:
    """The end of a notice asking the office to mend a save: the open pages follow it, where they do."""
    follow = newsave.when_pages_follow()
    return f"，{follow}。" if follow else "。"


COPY_LINK_BUTTON = '<button type="button" class="sm-copy-link">复制链接</button>'


def _near_point_in_link() -> str:
    """What the share box says when the link holds "my location": a place chosen from the list is named (a
    public place, kept exactly); a point put on the map or located is kept to about 100 m, and a daughter
    posting the link to a family group gave away where her mother lives, unknowingly."""
    near = state.near_point()
    if near is None:
        return ""
    origin = data.near_origin(state.context().shown, near)
    if origin is not None:
        return f"链接里有“我的位置”：{markdown_literal(origin.label)}。"
    return "**链接里有“我的位置”**（精确到约 100 米）：发到群里前，若不想让人知道住处，请先清除我的位置。"


def unreadable_registry(reason: str) -> None:
    """The page when the registry cannot be read at all: the reason, in the page's own Chinese and styles."""
    apply_page_assets()  # its scripts too: Streamlit's "Skip to main content" was read out in English here
    st.error(
        # The file's name, not its path: every reader sees this page, and the server's folders are not theirs.
        f"无法读取站点登记表“{markdown_literal(data_path().name)}”：{markdown_literal(reason)}。"
        "请用 `python -m servicemap validate` 检查文件，改好后保存即可" + _then_open_pages_follow(),
        icon=":material/error:",
    )
