"""City-scale benchmark: `python -m bench [--sizes 1000 10000 100000] [--browser/--no-browser]`.

Generates deterministic synthetic registries (clearly labelled synthetic, in a temporary folder),
then measures in one process, this project against a naive per-Marker folium app:
  - the full script rerun after a filter change (AppTest), median of several;
  - map build time (folium objects to the HTML/JS the browser gets);
  - bytes sent to the browser per rerun (serialized elements);
  - peak Python memory during a rerun (tracemalloc);
and, in headless Chromium against `streamlit run`, the time from navigation until every site is drawn.
It prints medians and ratios to the baseline, as a Markdown table ready for the README.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from functools import partial
from pathlib import Path

import folium

from bench import browser
from bench.measure import NAIVE_APP, PROJECT_APP, median_time, time_filter_reruns
from bench.synthetic import write_registry
from servicemap import basemaps, mapview, sitedata, viewport
from servicemap.filters import Filters, apply
from servicemap.registry import load_registry

NAIVE_MAX_SITES = 10_000  # the naive app needs ~50 s a rerun at 100k; it is not run there


def naive_map_build(sites) -> str:  # noqa: ANN001 - a DataFrame
    fmap = folium.Map(location=[39.9, 116.4], zoom_start=11)
    for site in sites.itertuples():
        folium.Marker([site.lat, site.lon], tooltip=site.name, popup=f"{site.name}<br>{site.address}").add_to(fmap)
    return fmap.get_root().render()


def project_map_build(sites) -> str:  # noqa: ANN001 - a DataFrame
    """What a filter change costs the project's map: the site layers (dataset already published)."""
    shown = apply(sites, Filters(meal="yes"))
    fmap = mapview.build_base_map(viewport.DEFAULT_VIEW, boundary={"url": "/app/static/generated/boundary.json"})
    for group in mapview.build_site_layers(sites, shown, {"url": "/app/static/generated/sites.json"}):
        group.add_to(fmap)
    return fmap.get_root().render()


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_ratio(baseline: float | None, ours: float | None) -> str:
    return "—" if not baseline or not ours else f"{baseline / ours:.0f}×"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=7, help="reruns per measurement (median reported)")
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="skip the Chromium timing")
    args = parser.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="servicemap-bench-") as folder:
        for size in args.sizes:
            path = write_registry(size, Path(folder))
            sites = load_registry(path).sites
            print(f"[{size:,} synthetic sites] reruns…", file=sys.stderr, flush=True)
            ours = time_filter_reruns(PROJECT_APP, path, args.repeats)
            naive = None
            if size <= NAIVE_MAX_SITES:
                naive = time_filter_reruns(NAIVE_APP, path, max(3, args.repeats // 2))
            build_ours = median_time(partial(project_map_build, sites), 5)
            build_naive = median_time(partial(naive_map_build, sites), 3) if size <= NAIVE_MAX_SITES else None
            dataset_bytes = len(sitedata.dataset_json(basemaps.sites_for_display(sites, "WGS84")).encode("utf-8"))
            drawn = None
            if args.browser and size >= 10_000:
                print(f"[{size:,}] browser…", file=sys.stderr, flush=True)
                drawn = browser.time_to_draw(path, size)
            rows.append((size, ours, naive, build_ours, build_naive, dataset_bytes, drawn))

    print(
        "\n| sites | filter rerun: ours | naive | ratio | map build: ours | naive | bytes/rerun: ours | naive "
        "| site data (once) | peak memory/rerun: ours | naive | drawn in browser (cold / warm) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, ours, naive, build_ours, build_naive, dataset_bytes, drawn in rows:
        print(
            f"| {size:,} | {fmt_s(ours.median_s)} | {fmt_s(naive.median_s if naive else None)} "
            f"| {fmt_ratio(naive.median_s if naive else None, ours.median_s)} "
            f"| {fmt_s(build_ours)} | {fmt_s(build_naive)} "
            f"| {ours.bytes_per_rerun / 1024:,.0f} KB ({ours.bytes_per_rerun / size:.1f} B/site) "
            f"| {'—' if not naive else f'{naive.bytes_per_rerun / 1024:,.0f} KB'} "
            f"| {dataset_bytes / 1024:,.0f} KB ({dataset_bytes / size:.1f} B/site) "
            f"| {ours.peak_memory_bytes / 2**20:.1f} MB "
            f"| {'—' if not naive else f'{naive.peak_memory_bytes / 2**20:.0f} MB'} "
            f"| {'—' if drawn is None else f'{fmt_s(drawn[0])} / {fmt_s(drawn[1])}'} |"
        )
    print("\nReruns: median of", args.repeats, "(ours) in AppTest, warm caches; all runs:")
    for size, ours, naive, *_ in rows:
        spread = ", ".join(f"{r * 1000:.0f}" for r in ours.runs)
        print(
            f"  {size:,}: ours [{spread}] ms, median {statistics.median(ours.runs) * 1000:.0f} ms"
            + ("" if not naive else f"; naive median {naive.median_s:.2f} s")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
