"""Whose map this is: the shipped 卢沟桥 edition, or another office's own registry.

The shipped registry comes with the January 2025 reports' figures (data/reported_stats.csv), the places a
reader can choose as "my location" (data/gazetteer.csv) and words naming 卢沟桥 and those reports. Another
registry, given with SERVICEMAP_DATA, is not 卢沟桥's: an adopter's street was shown "街道养老机构：报道 12 家，
收录 0 家" beside its own six sites, and a 卢沟桥 title on its page and files. It takes its figures and places
only from files of the same names beside it, its title from SERVICEMAP_TITLE, and neutral words otherwise.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from servicemap.registry import DEFAULT_DATA_PATH

TITLE_ENV = "SERVICEMAP_TITLE"
# Says a registry given with SERVICEMAP_DATA is 卢沟桥's own, updated: the office keeps its list in Excel, and
# pointing the app at that file turned its map into a stranger's (no 卢沟桥 title, no reports' figures, none
# of the "本图不完整" warnings, no 卢沟桥 places), with nothing to say why (data-clerk review).
EDITION_ENV = "SERVICEMAP_EDITION"
SHIPPED_EDITION_NAMES = ("卢沟桥", "lugouqiao")
REPORTED_FILE = "reported_stats.csv"  # the reports' figures, beside the registry (data/README.md)
GAZETTEER_FILE = "gazetteer.csv"  # communities and landmarks to choose as "my location", beside the registry
MAX_TITLE_LENGTH = 60
# Who keeps the registry and takes corrections, as the deployment names it ("卢沟桥街道民生保障办公室，电话 …"):
# staff were asked where to report a wrong or missing site, and the page did not say (staff review).
MAINTAINER_ENV = "SERVICEMAP_MAINTAINER"
MAX_MAINTAINER_LENGTH = 80


@dataclass(frozen=True)
class Edition:
    """The words and side files that belong to one registry."""

    title: str  # the page's heading and every file's title
    file_stem: str  # how every download's name starts
    intro: str  # the map page's first line: what is on the map and where it comes from
    contact: str  # whom a reader asks about care and meals (Markdown-free text)
    search_example: str  # the sidebar search box's example, from the registry's own streets
    # Over the map page's two groups of figures: whose care services, and whose united-front work. The street's
    # care figures stood in one row with the district's united-front ones, told apart only by small 全区 chips.
    care_figures_heading: str
    united_front_figures_heading: str
    sources: str  # where the facts come from, for the files' notes
    # What the files are, said on each: a handout headed 卢街颐养 was taken for the street's own published map, and
    # one with an administrative boundary for an authoritative map (briefing review).
    standing: str
    reported_path: Path | None  # the reports' figures set beside the registry's counts, if any
    gazetteer_path: Path | None  # places to choose as "my location" besides the registry's own sites
    shipped: bool  # the 卢沟桥 edition, whose pages tell of the January 2025 reports
    # What its beds are called: 卢沟桥's are the centre's 托老床位 (the report's word); an office's registry counts
    # the beds of nursing homes too, which are not 托老 (adopter review).
    beds_label: str = "托老床位"
    maintainer: str = ""  # who keeps the registry and takes corrections (MAINTAINER_ENV), if the server says

    def file_title(self, shipped_wording: str, suffix: str = "") -> str:
        """A file's title: `shipped_wording`, the file's own, under the shipped title (the offline map's
        卢街颐养 养老服务资源分布图); otherwise this edition's title and `suffix` (青石街道 · … · 资源清单)."""
        return shipped_wording if self.title == SHIPPED.title else self.title + suffix


SHIPPED = Edition(
    title="卢街颐养 · 养老服务资源分布图",
    file_stem="卢街颐养",
    # What the map is, as its files and 关于数据 say it: read under the street's own brand, with nothing said on
    # the page, a leader took it for the street's published map, which its print-outs say it is not (staff review).
    intro="卢沟桥街道养老服务资源与丰台区统战工作阵地。据2025年1月区报报道及公开资料整理的示意图，"
    "不是街道发布的资源分布图，以街道发布的为准；详见“关于数据”。",
    contact="卢沟桥街道养老服务中心（丰台区张仪村路227号院1号楼）",
    search_example="如：张仪村路",
    care_figures_heading="卢沟桥街道 · 养老服务",
    united_front_figures_heading="丰台区 · 统战工作阵地及平台（全区）",
    sources="区报2025年1月报道（数字为当时情况）及公开资料",
    standing="据公开报道整理的示意图，不是街道发布的“卢街颐养”资源分布图，以街道发布的为准",
    reported_path=DEFAULT_DATA_PATH.parent / REPORTED_FILE,
    gazetteer_path=DEFAULT_DATA_PATH.parent / GAZETTEER_FILE,
    shipped=True,
)
GENERIC_TITLE = "养老服务资源分布图"


def standing_text(standing: str) -> str:
    """What a file is, in a sentence: an edition's `standing`, and that its positions and boundary are not
    authoritative (a sheet with a district boundary handed out by an office reads as an official map)."""
    return f"本图为{standing}；站点位置和区界仅供参考，不作为权威地图或行政区划依据。"


def _file_stem(title: str, fallback: str = "本街道") -> str:
    """A title as the start of a file name: its words joined by _, nothing a file system refuses, and without
    the 养老服务资源分布图 every file name adds itself ("青石街道_养老服务资源分布图_养老服务资源分布图.html")."""
    words = [word for word in re.findall(r"[^\s·・/\\:*?\"<>|]+", title) if word != GENERIC_TITLE]
    return "_".join(words)[:40] or fallback


def edition_for(
    registry_path: str | os.PathLike[str], title: str = "", edition_name: str = "", maintainer: str = ""
) -> Edition:
    """The edition of the registry at `registry_path`, titled `title` (SERVICEMAP_TITLE) if given, kept by
    `maintainer` (SERVICEMAP_MAINTAINER) if given. A registry elsewhere is another office's, unless
    `edition_name` (SERVICEMAP_EDITION) says it is 卢沟桥's own."""
    found = _edition_for(registry_path, title, edition_name)
    keeper = " ".join(maintainer.split())[:MAX_MAINTAINER_LENGTH]
    if not keeper:
        return found
    # Said on every file too, through its standing: a sheet handed on is where a reader finds a mistake.
    return replace(found, maintainer=keeper, standing=f"{found.standing}（由{keeper}维护，发现错漏请告诉维护单位）")


def corrections_text(whose: Edition) -> str:
    """Where a wrong, missing or changed site is reported: the maintainer the server names, or, without one,
    whoever sent the map and the place to check with."""
    if whose.maintainer:
        return f"本图由{whose.maintainer}维护。发现站点信息有误、遗漏或已变化，请告诉{whose.maintainer}。"
    return f"发现站点信息有误、遗漏或已变化：请告诉发给您本图的单位，或向{whose.contact}核实。"


def _edition_for(registry_path: str | os.PathLike[str], title: str, edition_name: str) -> Edition:
    path = Path(registry_path).resolve()
    title = " ".join(title.split())[:MAX_TITLE_LENGTH]
    titled = replace(SHIPPED, title=title, file_stem=_file_stem(title)) if title else SHIPPED
    if path == DEFAULT_DATA_PATH.resolve():
        return titled
    folder = path.parent
    reported, gazetteer = folder / REPORTED_FILE, folder / GAZETTEER_FILE
    if edition_name.strip().lower() in SHIPPED_EDITION_NAMES:
        # The reports' figures and the places are the shipped ones, unless the office keeps its own beside
        # the file; the sources say the list is the office's, grown from the reports.
        return replace(
            titled,
            intro=f"卢沟桥街道养老服务资源与丰台区统战工作阵地。数据来源：街道登记表“{path.name}”"
            "（以2025年1月区报报道及公开资料为基础），每处的来源见“关于数据”。",
            sources=f"街道登记表“{path.name}”，以区报2025年1月报道（数字为当时情况）及公开资料为基础",
            reported_path=reported if reported.is_file() else SHIPPED.reported_path,
            gazetteer_path=gazetteer if gazetteer.is_file() else SHIPPED.gazetteer_path,
        )
    chosen_title = title or GENERIC_TITLE
    return Edition(
        title=chosen_title,
        file_stem=_file_stem(chosen_title, fallback=_file_stem(path.stem, fallback="登记表")),
        intro=f"登记表“{path.name}”中的养老服务资源与站点；每处的来源见“关于数据”。",
        contact="所在街道的养老服务中心",
        search_example="名称、地址或介绍中的字",
        care_figures_heading="养老服务",
        united_front_figures_heading="统战工作阵地及平台",
        sources=f"登记表“{path.name}”，每处的出处见其“来源”",
        standing="示意图",
        beds_label="床位",
        reported_path=reported if reported.is_file() else None,
        gazetteer_path=gazetteer if gazetteer.is_file() else None,
        shipped=False,
    )


def edition_notice(edition_name: str, shipped_registry: bool = False) -> str | None:
    """What to tell whoever set SERVICEMAP_EDITION to a name it does not know, or None. The shipped registry
    is 卢沟桥's whatever the setting says (`shipped_registry`)."""
    name = edition_name.strip()
    if not name or name.lower() in SHIPPED_EDITION_NAMES:
        return None
    outcome = "已忽略" if shipped_registry else "已按其他街道的登记表显示"
    return f"环境变量 {EDITION_ENV} 的值「{name[:40]}」无法识别（只可写：卢沟桥），{outcome}"
