"""Fixtures for the workbench tests: a store to serve, a real server process, a headless Chromium.

``review_report()``: the hand-made demo report, with a second candidate passage given to the gap
"本省加强人口老龄化省情教育…" so a reviewer can accept one link and reject another on it.
``serve(store_path)``: starts ``python -m alignment serve`` on a free loopback port and returns
its base URL (stopped at the end of the test). ``browser``: headless Debian Chromium driven by
Selenium through /usr/bin/chromedriver; Selenium Manager is never asked to download anything.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from alignment.schema import Match, Report
from report.fixtures import demo_report

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: The gap the browser test reviews (a directive of the demo report with status missing).
GAP_TEXT = "本省加强人口老龄化省情教育"


def review_report() -> Report:
    report = demo_report()
    units = {p.unit.id: p.unit for p in report.plan_units}
    community = next(u for u in units.values() if u.text.startswith("市、县（市、区）人民政府应当积极培育发展社区居家"))
    directives = []
    for r in report.directives:
        if r.directive.unit.text.startswith(GAP_TEXT):
            r = replace(r, matches=r.matches + (Match(unit=community, score=0.18),))
        directives.append(r)
    return replace(report, directives=tuple(directives))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve():
    """A function that starts the workbench server on a store and returns its base URL."""
    procs: list[subprocess.Popen] = []

    def start(store_path: Path, *extra: str, token: str | None = None) -> str:
        port = free_port()
        env = {**os.environ, "POLICY_ALIGN_REVIEWER": ""}
        if token:
            env["POLICY_ALIGN_TOKEN"] = token
        proc = subprocess.Popen(
            [sys.executable, "-m", "alignment", "serve", "--store", str(store_path), "--port", str(port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError("the server stopped: " + proc.communicate()[1])
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("the server did not start in 60 s") from None
                time.sleep(0.1)
        return url

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def browser(tmp_path, monkeypatch):
    """Headless Chromium (Debian's) via /usr/bin/chromedriver; skipped with the reason when absent."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                    "(pip install 'policy-align[test]')")
    from selenium.webdriver.chrome.service import Service

    chromium = next((c for c in CHROMIUM_CANDIDATES if Path(c).exists()), None)
    if not Path(CHROMEDRIVER).exists() or chromium is None:
        pytest.skip(f"needs Debian chromium and {CHROMEDRIVER} (apt-get install chromium chromium-driver; "
                    "scripts/setup-test-env.sh installs them)")
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download a browser or driver
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()
