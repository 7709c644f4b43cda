"""Deterministic synthetic registries over Beijing, for benchmarks only.

Every row says it is synthetic in its name and source; files go to a temporary folder and are never
shipped as data.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from servicemap import vocab
from servicemap.registry import COLUMNS

BEIJING_BOX = (39.70, 40.10, 116.10, 116.65)  # min lat, max lat, min lon, max lon: the urban districts
SEED = 20250122
SYNTHETIC_SOURCE = "合成数据：基准测试用，非真实站点"
STREETS = ("卢沟桥街道", "丰台街道", "新村街道", "东高地街道", "云岗街道", "马家堡街道", "方庄街道", "成寿寺街道")


def synthetic_rows(count: int, seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed + count)
    types = list(vocab.SITE_TYPES.values())
    min_lat, max_lat, min_lon, max_lon = BEIJING_BOX
    rows = []
    for i in range(count):
        site_type = rng.choice(types)
        level = rng.choice(["national", "municipal", "district", ""]) if site_type.layer == "united_front" else ""
        rows.append(
            {
                "id": f"syn-{i:06d}",
                "name": f"合成站点{i:06d}号",
                "layer": site_type.layer,
                "type": site_type.code,
                "level": level,
                "street": rng.choice(STREETS),
                "address": f"合成路{rng.randint(1, 999)}号",
                "lat": f"{rng.uniform(min_lat, max_lat):.6f}",
                "lon": f"{rng.uniform(min_lon, max_lon):.6f}",
                "crs": "WGS84",
                "precision": rng.choice(["exact", "exact", "street", "area"]),
                "meal_service": rng.choice(["yes", "no", "unknown"]),
                "beds": str(rng.randint(0, 300)) if site_type.layer == "elderly_care" and rng.random() < 0.5 else "",
                "phone": "",
                "hours": "",
                "description": "",
                "source": SYNTHETIC_SOURCE,
                "updated": "2026-01-01",
            }
        )
    return rows


def write_registry(count: int, folder: Path, seed: int = SEED) -> Path:
    path = Path(folder) / f"synthetic_{count}.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(synthetic_rows(count, seed))
    return path
