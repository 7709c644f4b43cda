"""How often an open page looks for a new save, and what the office is told of it (ui/newsave.py)."""

from __future__ import annotations

import pytest

from ui import newsave


@pytest.mark.parametrize(
    ("setting", "seconds"),
    [
        (None, 60.0),
        ("30", 30.0),
        ("0", 0.0),
        ("2.5", 2.5),
        ("abc", 60.0),
        ("-5", 60.0),
        ("nan", 60.0),
        ("inf", 60.0),
        ("", 60.0),
        ("0.01", 1.0),
    ],
)
def test_the_setting_is_a_number_of_seconds_or_the_default(monkeypatch, setting, seconds):
    if setting is None:
        monkeypatch.delenv(newsave.REFRESH_ENV, raising=False)
    else:
        monkeypatch.setenv(newsave.REFRESH_ENV, setting)
    assert newsave.refresh_seconds() == seconds


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (60.0, "打开着的页面 1 分钟内自动更新"),
        (90.0, "打开着的页面 1.5 分钟内自动更新"),
        (1.0, "打开着的页面 1 秒内自动更新"),
        (0.0, ""),
    ],
)
def test_the_office_is_told_how_soon_open_pages_follow(monkeypatch, seconds, said):
    monkeypatch.setattr(newsave, "REFRESH_S", seconds)
    assert newsave.when_pages_follow() == said
