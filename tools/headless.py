"""A built site served on localhost, and Debian's headless Chromium to open it.

Shared by the browser tests (tests/test_browser.py and the tests that use its fixtures) and by
tools/pdf.py, which prints the site. Needs Debian's ``chromium`` and ``chromium-driver``.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser left a request unread
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a folder on localhost while the block runs; yield its base URL."""
    httpd = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def chromium(logs: dict[str, str] | None = None, window: str = "1280,1000"):
    """Headless Chromium through Selenium, logging what ``logs`` asks for (goog:loggingPrefs)."""
    assert CHROMIUM and CHROMEDRIVER, "install Debian's chromium and chromium-driver (.ci/run does)"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", f"--window-size={window}", "--lang=en-US"):
        options.add_argument(flag)
    if logs:
        options.set_capability("goog:loggingPrefs", logs)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    return driver
