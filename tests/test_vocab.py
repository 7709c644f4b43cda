"""The controlled vocabulary (servicemap/vocab.py): what the codes look like to a reader."""

from __future__ import annotations

import pytest

from servicemap import vocab


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@pytest.mark.parametrize("site_type", vocab.SITE_TYPES.values(), ids=lambda t: t.code)
def test_every_pins_white_glyph_reads_at_text_contrast(site_type: vocab.SiteType) -> None:
    """A pin's glyph (卫, 院, 驿…) is 11 px text in white on the type's colour: 4.5:1 at least (卫 was 3.3:1)."""
    contrast = 1.05 / (_luminance(site_type.colour) + 0.05)
    assert contrast >= 4.5, f"{site_type.glyph} {site_type.colour}: {contrast:.2f}:1"


def test_pins_of_the_same_glyph_keep_colours_apart() -> None:
    """公办 and 民办 homes share 院: their colours are what tells them apart on the map."""
    colours = [site_type.colour for site_type in vocab.SITE_TYPES.values()]
    assert len(set(colours)) == len(colours)


def test_a_rough_places_name_says_so_in_one_bracket():
    assert vocab.place_label("丰台区政府", "exact") == "丰台区政府"
    assert vocab.place_label("卢沟桥", "street") == "卢沟桥（近似）"
    # Not "张仪村路南口（G4出口）（近似）", which read as a typing slip (phone review).
    assert vocab.place_label("张仪村路南口（G4出口）", "street") == "张仪村路南口（G4出口，近似）"
