"""Bytes a reader's browser downloads for a first view of a chapter, with an empty cache.

Chromium's DevTools network log counts every response on the wire (``encodedDataLength`` of
``Network.loadingFinished``: headers and body; a response from the cache counts 0). The
first view of each chapter's first section, with the cache cleared, is at most 2 MB, and
every request stays on the site itself. ``-s`` prints the numbers.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from test_browser import chromium, sample_pages, server  # noqa: F401
from test_phone import load

FIRST_VIEW_LIMIT = 2_000_000


@pytest.fixture(scope="module")
def network_browser():
    """Headless Chromium that logs its network traffic."""
    driver = chromium({"performance": "ALL"})
    yield driver
    driver.quit()


def transferred(driver, url: str) -> tuple[int, set[str]]:
    """Open a page; return the bytes received for it and the hosts it asked for."""
    driver.get_log("performance")  # drop what earlier pages logged
    load(driver, url)
    driver.execute_async_script("document.fonts.ready.then(arguments[0]);")
    total, hosts = 0, set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.loadingFinished":
            total += message["params"]["encodedDataLength"]
        elif message["method"] == "Network.requestWillBeSent":
            hosts.add(urlsplit(message["params"]["request"]["url"]).netloc)
    return int(total), hosts


def first_view(driver, url: str) -> tuple[int, set[str]]:
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    return transferred(driver, url)


def test_first_view_of_a_chapter(server, network_browser):
    sizes = {}
    for name in sample_pages():
        sizes[name], hosts = first_view(network_browser, f"{server}/{name}.html")
        assert hosts <= {urlsplit(server).netloc}, hosts
    print("\nfirst view: " + ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in sizes.items()))
    assert max(sizes.values()) <= FIRST_VIEW_LIMIT, sizes
