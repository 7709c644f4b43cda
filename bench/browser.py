"""Time from navigation until every site is drawn, in headless Chromium against `streamlit run`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SERVICEMAP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip
TIMEOUT_MS = 120_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy")


def time_to_draw(registry: Path, sites: int) -> tuple[float, float]:
    """(cold, warm) seconds from navigation until `sites` are drawn: cold is the server's first visit
    (registry read, dataset published), warm a new browser context on a running server."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "SERVICEMAP_DATA": str(registry)}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
               str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/?basemap=none"
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", time.monotonic() + 60)
        with sync_playwright() as playwright:
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
    finally:
        server.terminate()
        server.wait(timeout=20)
