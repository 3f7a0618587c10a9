"""Bytes a reader's browser downloads for a first view of a chapter and for each page after it.

Chromium's DevTools network log counts every response on the wire (``encodedDataLength`` of
``Network.loadingFinished``: headers and body; a response from the cache counts 0). The
local server sends files uncompressed, so these are upper bounds for a host that compresses.
The first view of each chapter's first section, with the cache cleared, is at most 2 MB;
each page the reader reaches from there by "next" within the chapter, with what the pages
before it left in the cache, is at most 300 kB; every request stays on the site itself.
``-s`` prints the numbers.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from headless import chromium
from test_browser import sample_pages, server  # noqa: F401
from test_phone import load

FIRST_VIEW_LIMIT = 2_000_000
NEXT_PAGE_LIMIT = 300_000


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


def next_page(driver) -> str | None:
    """The URL of the page after the open one (the theme's "next" link), if any."""
    links = driver.find_elements("css selector", ".prev-next-area a.right-next")
    return links[0].get_attribute("href") if links else None


def test_next_pages_of_a_chapter(server, network_browser):
    sizes = {}
    for first in sample_pages():
        chapter = first.rsplit("/", 1)[0]
        first_view(network_browser, f"{server}/{first}.html")
        url = next_page(network_browser)
        while url and urlsplit(url).path.startswith(f"/{chapter}/"):
            name = urlsplit(url).path.removeprefix("/").removesuffix(".html")
            sizes[name], hosts = transferred(network_browser, url)
            assert hosts <= {urlsplit(server).netloc}, hosts
            url = next_page(network_browser)
    assert len(sizes) >= 20, sizes
    print("\nnext pages: " + ", ".join(f"{name.rsplit('/', 1)[1]} {size / 1e3:.0f} kB" for name, size in sizes.items()))
    assert max(sizes.values()) <= NEXT_PAGE_LIMIT, sizes
