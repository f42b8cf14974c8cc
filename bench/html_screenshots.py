"""The screenshots in docs/html.md and the README, from the built exports/ in headless Chromium.

    .venv/bin/kg build && .venv/bin/python bench/html_screenshots.py     # writes docs/screenshot*.png

Needs chromium and chromium-driver, like bench/html_bench.py.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.html_bench import start_chromium, wait_until_still  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EXPORTS = REPO / "exports"
DOCS = REPO / "docs"

#: (file in docs/, page under exports/, address fragment, window width, height)
SHOTS = [
    ("screenshot.png", "kazakhstan.html", "", 1600, 1000),
    ("screenshot-panel.png", "kazakhstan.html", "node=Russia", 1600, 1000),
    ("screenshot-link.png", "kazakhstan.html", "rel=memberOf,signed&from=1991&to=2000&undated=0&lang=kk", 1600, 1000),
    ("screenshot-phone.png", "kazakhstan.html", "node=China", 390, 844),
    ("screenshot-reading.png", "texts/001.html", "q-st-Kazakhstan-memberOf-UN-001", 1400, 1000),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        for name, page, fragment, width, height in SHOTS:
            driver = start_chromium(Path(work) / f"profile-{width}", width, height)
            try:
                if width < 500:  # narrower than a window can be: Chromium's device emulation
                    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
                driver.get((EXPORTS / page).as_uri() + (f"#{fragment}" if fragment else ""))
                if page.startswith("texts/"):
                    time.sleep(0.5)
                else:
                    wait_until_still(driver)
                driver.save_screenshot(str(DOCS / name))
                print(f"wrote docs/{name}")
            finally:
                driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
