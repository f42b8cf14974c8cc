"""Chromium under Selenium, started one way for the browser tests and the benchmark."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No name resolves: nothing outside this machine can be reached.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def start_chromium(profile: Path, width: int = 1600, height: int = 1000, keep_console: bool = False):
    """Headless Debian Chromium under chromedriver, cut off from the network (the benchmark and
    tests/test_html_browser.py both start it here). ``keep_console``: keep the page's console
    messages for ``driver.get_log("browser")``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--force-device-scale-factor=1")
    if keep_console:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
