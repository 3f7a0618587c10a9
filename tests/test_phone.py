"""The site on a phone: every built page at 360 × 740 and at 390 × 844 CSS pixels.

Chromium emulates a phone (``mobile``, touch, twice the pixel density). On every page the
document is no wider than the screen and nothing sticks out past its right edge except
inside a box that scrolls by itself (code, outputs, wide math); the page header is one
row; the language switch shows its compact labels, each on one line and a target of at
least 24 × 24 px. On a phone the switch still switches and its buttons keep their full
names. Screenshots of two pages at 360 × 740 are saved under test-artifacts/screenshots/.
``-s`` prints the widest page at each size.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from test_browser import SCREENSHOTS, browser, sample_pages, server  # noqa: F401

SIZES = [(360, 740), (390, 844)]

# Elements that end past the right edge of the screen with no scrolling box around them.
STICKING_OUT = """
const width = arguments[0], out = [];
const scrolls = e => getComputedStyle(e).overflowX !== 'visible' || getComputedStyle(e).position === 'fixed';
for (const e of document.body.querySelectorAll('*')) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.right <= width + 1 || getComputedStyle(e).position === 'fixed') continue;
  let a = e.parentElement;
  while (a !== document.body && !scrolls(a)) a = a.parentElement;
  if (a === document.body) out.push(`${e.tagName.toLowerCase()}.${e.classList[0] || ''} ends at ${Math.round(r.right)}`);
}
return [document.documentElement.scrollWidth, out.slice(0, 3)];
"""

# The header's rows: the spread of its items' tops, its right edge, and the switch's buttons.
HEADER = """
const items = Array.from(document.querySelectorAll('.header-article-items > div, .article-header-buttons > *'))
  .filter(e => e.getClientRects().length > 0).map(e => e.getBoundingClientRect());
const buttons = Array.from(document.querySelectorAll('.course-lang-switch button'), b => {
  const r = b.getBoundingClientRect(), label = b.querySelector('.course-lang-short') || b;
  return [label.textContent, label.getClientRects().length, Math.round(r.width), Math.round(r.height)];
});
return [Math.round(Math.max(...items.map(r => r.top)) - Math.min(...items.map(r => r.top))),
        Math.round(Math.max(...items.map(r => r.right))), buttons];
"""


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to it."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                  if path.relative_to(site).parts[0] not in ("_static", "_sources"))


def load(driver, url: str) -> None:
    """Open a page and wait until it has loaded and MathJax, where the page has it, is done."""
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && (!window.MathJax || !!(MathJax.startup && MathJax.startup.promise));"))
    driver.execute_async_script(
        "const done = arguments[0]; window.MathJax ? MathJax.startup.promise.then(() => done(1)) : done(1);")


@pytest.fixture
def phone(browser):
    """The browser with a phone's screen: ``phone(width, height)`` sets it and returns the driver."""
    def emulate(width: int, height: int):
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
        browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
        return browser

    yield emulate
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


def layout_problems(driver, width: int) -> tuple[int, list[str]]:
    """The document's width on this page and what is wrong with its layout at this screen width."""
    document_width, sticking_out = driver.execute_script(STICKING_OUT, width)
    spread, header_right, buttons = driver.execute_script(HEADER)
    problems = [f"document {document_width} px wide"] if document_width > width else []
    problems += sticking_out
    if spread > 4 or header_right > width:
        problems.append(f"header on {spread} px of rows, ends at {header_right}")
    for label, shown, button_width, button_height in buttons:
        if shown != 1 or button_height > 40 or min(button_width, button_height) < 24:
            problems.append(f"switch button {label!r}: {shown} line(s), {button_width} × {button_height} px")
    return document_width, problems


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_page_is_wider_than_a_phone(site, server, phone, width, height):
    driver, pages, problems, widths = phone(width, height), built_pages(site), {}, {}
    assert len(pages) > 30, pages
    for page in pages:
        load(driver, f"{server}/{page}?lang=both")
        widths[page], found = layout_problems(driver, width)
        if found:
            problems[page] = found
    widest = max(widths, key=widths.get)
    print(f"\n{width} × {height}: {sum(w > width for w in widths.values())} of {len(pages)} pages wider than"
          f" the screen, widest {widest} at {widths[widest]} px")
    assert problems == {}, problems


def test_language_switch_on_a_phone(server, phone):
    driver = phone(*SIZES[0])
    load(driver, f"{server}/{sample_pages()[0]}.html?lang=both")
    buttons = driver.find_elements("css selector", ".course-lang-switch button")
    shown = driver.execute_script(  # the labels drawn larger than the 1-px box of visually hidden text
        "return Array.from(document.querySelectorAll('.course-lang-switch button'), b => Array.from(b.children)"
        ".filter(s => s.getBoundingClientRect().width > 1).map(s => s.textContent).join(''));")
    assert shown == ["EN", "한", "EN·한"]  # what a phone shows
    assert [b.accessible_name for b in buttons] == ["English", "한국어", "EN · 한"]  # what a screen reader says
    buttons[1].click()
    assert driver.execute_script("return document.documentElement.dataset.courseLang;") == "ko"
    assert not driver.execute_script("return Array.from(document.querySelectorAll('div[lang=\"en\"]'))"
                                     ".some(e => e.getClientRects().length > 0);")
    buttons[2].click()
    assert buttons[2].get_attribute("aria-pressed") == "true"


def test_phone_screenshots(server, phone):
    """Screenshots of two pages at 360 × 740, saved as test artefacts."""
    driver = phone(*SIZES[0])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in sample_pages()[:2]:
        load(driver, f"{server}/{name}.html?lang=both")
        path = SCREENSHOTS / f"{Path(name).name}-phone-360x740.png"
        assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
