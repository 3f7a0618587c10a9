"""Accessibility of the built site: axe-core on every page, the language switch by keyboard, figures.

axe-core is read from ``.tools/node_modules`` (``.ci/run`` installs it with npm) and
injected into each page, so nothing is fetched at test time. No page may have a serious or
critical violation; ``-s`` prints every violation found, by rule. The language switch is a
labelled group of buttons with ``aria-pressed``, reached with Tab and worked with Enter and
Space. Every image on every page has a text alternative that is not its file name.
"""
from __future__ import annotations

from collections import Counter

import pytest
from bs4 import BeautifulSoup
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from course import ROOT
from test_browser import browser, sample_pages, server  # noqa: F401
from test_phone import built_pages, load

AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(
  r => done(r.violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 3), v.nodes.length])),
  e => done(String(e)));
"""


def axe_violations(driver) -> list[list]:
    """axe-core's violations on the open page: [rule, impact, first targets, node count]."""
    assert AXE.is_file(), f"{AXE.relative_to(ROOT)} is missing: npm install --prefix .tools axe-core@4 (.ci/run does)"
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(120)
    violations = driver.execute_async_script(RUN_AXE)
    assert isinstance(violations, list), violations
    return violations


def test_axe_finds_nothing_serious(site, server, browser):
    serious, by_rule = {}, Counter()
    pages = built_pages(site)
    for page in pages:
        load(browser, f"{server}/{page}?lang=both")
        violations = axe_violations(browser)
        by_rule.update({f"{rule} ({impact})": count for rule, impact, _, count in violations})
        found = [v for v in violations if v[1] in ("serious", "critical")]
        if found:
            serious[page] = found
    print(f"\naxe on {len(pages)} pages, nodes per rule: {dict(by_rule) or 'none'}")
    assert serious == {}, serious


def test_language_switch_by_keyboard(server, browser):
    driver = browser
    load(driver, f"{server}/{sample_pages()[0]}.html?lang=both")
    group = driver.find_element("css selector", ".course-lang-switch")
    assert group.get_attribute("role") == "group" and group.accessible_name == "Language · 언어"
    buttons = group.find_elements("tag name", "button")
    assert [b.get_attribute("aria-pressed") for b in buttons] == ["false", "false", "true"]

    keys = ActionChains(driver)
    for _ in range(120):  # from the top of the page, past the sidebar's links, Tab reaches the switch
        keys.send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element == buttons[0]:
            break
    assert driver.switch_to.active_element == buttons[0], "Tab does not reach the language switch"
    outline = driver.execute_script("const s = getComputedStyle(document.activeElement);"
                                    " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;")
    assert outline, "the focused button shows no focus ring"

    keys.send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
    assert driver.switch_to.active_element == buttons[1]
    assert driver.execute_script("return document.documentElement.dataset.courseLang;") == "ko"
    assert [b.get_attribute("aria-pressed") for b in buttons] == ["false", "true", "false"]

    keys.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).send_keys(Keys.SPACE).perform()
    assert driver.execute_script("return document.documentElement.dataset.courseLang;") == "en"
    assert buttons[0].get_attribute("aria-pressed") == "true"
    buttons[2].click()


@pytest.mark.parametrize("kind", ["figures", "all images"])
def test_images_have_a_text_alternative(site, kind):
    missing, count = [], 0
    for page in built_pages(site):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        images = soup.select(".cell_output img" if kind == "figures" else "img")
        count += len(images)
        missing += [f"{page}: {img.get('src')} alt={img.get('alt')!r}" for img in images
                    if not (img.get("alt") or "").strip() or img["alt"].endswith((".png", ".svg", ".jpg"))]
    assert count > (40 if kind == "figures" else 60)
    assert missing == [], missing
