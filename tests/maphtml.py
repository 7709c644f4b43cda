"""Reading the generated Leaflet script back, as the browser would: which sites each layer draws."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from servicemap import sitedata

STATIC = Path(__file__).resolve().parent.parent / "static"
CALL = "servicemapShow("


@dataclass(frozen=True)
class DrawnLayer:
    data: dict
    visible: list[int]  # dataset indices the mask selects


def drawn_layers(script: str) -> list[DrawnLayer]:
    decoder = json.JSONDecoder()
    layers = []
    start = script.find(CALL)
    while start != -1:
        position = script.index(",", start) + 1
        source, end = decoder.raw_decode(script, _skip_space(script, position))
        mask, end = decoder.raw_decode(script, _skip_space(script, script.index(",", end) + 1))
        data = source["data"] if "data" in source else _published(source["url"])
        bits = sitedata.decode_mask(mask, data["n"])
        layers.append(DrawnLayer(data, [i for i, bit in enumerate(bits) if bit]))
        start = script.find(CALL, end)
    return layers


def drawn_sites(script: str) -> list[dict]:
    """Every drawn site: name, lat, lon and flags, as static/servicemap.js decodes them."""
    sites = []
    for layer in drawn_layers(script):
        positions = sitedata.decode_positions(layer.data)
        for i in layer.visible:
            lat, lon = positions[i]
            sites.append({"name": layer.data["name"][i], "lat": lat, "lon": lon, "flags": ord(layer.data["f"][i]) - 48})
    return sites


def _published(url: str) -> dict:
    relative = url.split("/app/static/", 1)[1]
    return json.loads((STATIC / relative).read_text(encoding="utf-8"))


def _skip_space(text: str, position: int) -> int:
    while text[position].isspace():
        position += 1
    return position
