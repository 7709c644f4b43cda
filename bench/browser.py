"""Time from navigation until every site is drawn, in headless Chromium against `streamlit run`."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.serve import streamlit_server

CHROMIUM = os.environ.get("SERVICEMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip
TIMEOUT_MS = 120_000


def time_to_draw(registry: Path, sites: int) -> tuple[float, float]:
    """(cold, warm) seconds from navigation until `sites` are drawn: cold is the server's first visit
    (registry read, dataset published), warm a new browser context on a running server."""
    from playwright.sync_api import sync_playwright

    with streamlit_server(env={"SERVICEMAP_DATA": str(registry)}) as server, sync_playwright() as playwright:
        url = f"{server.url}/?basemap=none"
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        timings = []
        for _ in range(2):
            context = chromium.new_context(viewport={"width": 1366, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
            frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT_MS)
            map_frame = page.locator('iframe[title="streamlit_folium.st_folium"]').element_handle().content_frame()
            assert map_frame is not None  # the locator above waited for the map inside it
            map_frame.wait_for_function(f"() => window.servicemapDrawn >= {sites}", timeout=TIMEOUT_MS, polling=50)
            timings.append(time.perf_counter() - start)
            context.close()
        chromium.close()
    return timings[0], timings[1]
