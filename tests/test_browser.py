"""The built site in a real browser: Debian's headless Chromium, driven by Selenium.

For the first page of every chapter (and of the labs): no console errors, math typeset,
figures loaded, the Colab link, solutions that open, the language switch (also across
pages and from ``?lang=``), and Korean drawn with real glyphs. On every notebook page, the
Colab and download buttons give the edition of the chosen language and the Exercises
section links to both homework editions. Screenshots of two pages
in English and in Korean are saved under test-artifacts/screenshots/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from headless import chromium, serve
from course import ROOT, read, repository_url, toc_files

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def sample_pages() -> list[str]:
    """The first notebook of every chapter folder in the toc, as page names without extension."""
    chosen = {}
    for name in toc_files():
        if (ROOT / f"{name}.ipynb").is_file():
            chosen.setdefault(Path(name).parent, name)
    return list(chosen.values())


@pytest.fixture(scope="module")
def server(site):
    """Serve the built site on localhost; yield its base URL."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    driver = chromium({"browser": "ALL"})
    yield driver
    driver.quit()


def open_page(driver, url: str):
    """Load a page, wait until MathJax has finished, and return the console errors it logged."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && !!window.MathJax && !!MathJax.startup"
        " && !!MathJax.startup.promise"))
    driver.execute_async_script("const done = arguments[0]; MathJax.startup.promise.then(() => done(true));")
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def visible(driver, selector: str) -> list[bool]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), e => e.getClientRects().length > 0);", selector)


def choose(driver, lang: str) -> None:
    driver.find_element("css selector", f'.course-lang-switch button[value="{lang}"]').click()


@pytest.mark.parametrize("name", sample_pages())
def test_sample_page(server, browser, name):
    driver, nb = browser, read(ROOT / f"{name}.ipynb")
    errors = open_page(driver, f"{server}/{name}.html?lang=both")
    assert errors == [], errors

    # Math: every math element typeset by MathJax, none with a TeX error.
    math = driver.execute_script(
        "const m = document.querySelectorAll('.bd-article .math');"
        "return [m.length, Array.from(m).filter(e => e.querySelector('mjx-container')).length,"
        " document.querySelectorAll('mjx-merror').length];")
    assert math[0] > 0 and math[1] == math[0] and math[2] == 0, math

    # Figures: as many as the notebook stores, lazy (loaded when scrolled near), and each decodes.
    pngs = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    figures = driver.execute_async_script("""
        const done = arguments[0];
        const images = Array.from(document.querySelectorAll('.bd-article img')).filter(i => i.src.includes('/_images/'));
        const lazy = images.map(i => i.loading === 'lazy');
        images.forEach(i => { i.loading = 'eager'; });
        Promise.all(images.map(i => i.decode().then(() => true, () => false)))
          .then(() => done(images.map((i, k) => lazy[k] && i.complete && i.naturalWidth > 0)));""")
    assert figures == [True] * pngs

    # The Colab button opens this notebook from the main branch.
    colab = driver.find_element("css selector", 'a[href^="https://colab.research.google.com/"]')
    owner_repo = repository_url().removeprefix("https://github.com/")
    expected = f"https://colab.research.google.com/github/{owner_repo}/blob/main/{name}.ipynb"
    assert colab.get_attribute("href") == expected

    # A solution starts closed and opens on a click, with its hidden code cell.
    solution = driver.find_element("xpath", "//details[summary[normalize-space()='Solution · 풀이']]")
    assert solution.get_attribute("open") is None
    solution.find_element("tag name", "summary").click()
    assert solution.get_attribute("open") is not None
    assert all(visible(driver, "details[open] > div[lang]"))
    code_toggle = driver.find_element("css selector", ".tag_hide-cell details.hide summary")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", code_toggle)
    code_toggle.click()
    assert any(visible(driver, ".tag_hide-cell .cell_input"))

    # Language switch: Korean only hides English prose but keeps code and headings.
    choose(driver, "ko")
    assert not any(visible(driver, 'div[lang="en"]')) and all(visible(driver, '.section > div[lang="ko"]'))
    assert all(visible(driver, "div.cell_input")[:3]) and all(visible(driver, ".bd-article h1, .bd-article h2"))
    choose(driver, "both")
    assert all(visible(driver, '.section > div[lang="en"]')) and all(visible(driver, '.section > div[lang="ko"]'))


def test_language_choice_is_remembered_across_pages_and_set_by_url(server, browser):
    driver, (first, *_rest) = browser, sample_pages()
    open_page(driver, f"{server}/{first}.html?lang=ko")
    assert driver.execute_script("return localStorage.getItem('course-lang');") == "ko"
    pressed = driver.find_element("css selector", ".course-lang-switch button[aria-pressed='true']")
    assert pressed.get_attribute("value") == "ko"

    driver.find_element("css selector", "a.right-next").click()  # the next page, without ?lang=
    open_page(driver, driver.current_url)
    assert "lang=" not in driver.current_url
    assert not any(visible(driver, 'div[lang="en"]')) and any(visible(driver, 'div[lang="ko"]'))

    choose(driver, "en")
    open_page(driver, f"{server}/{first}.html")  # a later visit keeps the last choice
    assert any(visible(driver, 'div[lang="en"]')) and not any(visible(driver, 'div[lang="ko"]'))

    open_page(driver, f"{server}/{first}.html?lang=nonsense")  # an unknown value changes nothing
    assert driver.execute_script("return document.documentElement.dataset.courseLang;") == "en"
    choose(driver, "both")


def test_korean_is_drawn_with_real_glyphs(server, browser):
    """Tofu boxes look alike for every character: distinct syllables must draw distinct pixels."""
    driver = browser
    open_page(driver, f"{server}/{sample_pages()[0]}.html?lang=both")
    font = driver.execute_script("return getComputedStyle(document.querySelector('div[lang=\"ko\"]')).fontFamily;")
    assert font.startswith('"Noto Sans KR"'), font
    drawn = driver.execute_script("""
        const font = '32px ' + arguments[0];
        const pixels = text => {
          const c = document.createElement('canvas'); c.width = c.height = 48;
          const g = c.getContext('2d'); g.font = font; g.fillText(text, 4, 36);
          return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
        };
        return [pixels('가'), pixels('힣'), pixels('')];""", font)
    assert drawn[0] != drawn[2] and drawn[1] != drawn[2], "Hangul draws nothing"
    assert drawn[0] != drawn[1], "Hangul is drawn as identical boxes (no Korean font)"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_screenshots(server, browser, lang):
    """Screenshots of two pages in each language, saved as test artefacts."""
    driver = browser
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in sample_pages()[:2]:
        assert open_page(driver, f"{server}/{name}.html?lang={lang}") == []
        path = SCREENSHOTS / f"{Path(name).name}-{lang}.png"
        assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
    open_page(driver, f"{server}/{sample_pages()[0]}.html?lang=both")


def notebook_pages() -> list[str]:
    return [name for name in toc_files() if (ROOT / f"{name}.ipynb").is_file()]


def test_colab_and_download_buttons_follow_the_language_and_homework_is_linked(server, browser):
    """English or 한국어 chosen: Colab and download give that edition (tools/editions.py); both: book/."""
    from urllib.request import urlopen

    driver, owner_repo = browser, repository_url().removeprefix("https://github.com/")
    colab = f"https://colab.research.google.com/github/{owner_repo}/blob/main/"
    for name in notebook_pages():
        page = name.removeprefix("book/")
        open_page(driver, f"{server}/{name}.html?lang=ko")
        for lang, folder, download in [("ko", "editions/ko/", "editions/ko/"), ("en", "editions/en/", "editions/en/"),
                                       ("both", "book/", "_sources/book/")]:
            choose(driver, lang)
            hrefs = driver.execute_script(
                "return Array.from(document.querySelectorAll('.article-header-buttons a'), a => a.href);")
            assert f"{colab}{folder}{page}.ipynb" in hrefs, (name, lang)
            assert f"{server}/{download}{page}.ipynb" in hrefs, (name, lang)
            assert urlopen(f"{server}/{download}{page}.ipynb").status == 200
        homework = driver.execute_script(
            "return Array.from(document.querySelectorAll('section#exercises .course-homework a'), a => a.href);")
        assert homework == [f"{colab}editions/en-homework/{page}.ipynb", f"{server}/editions/en-homework/{page}.ipynb",
                            f"{colab}editions/ko-homework/{page}.ipynb", f"{server}/editions/ko-homework/{page}.ipynb"]
        for href in homework:
            path = href.removeprefix(colab).removeprefix(f"{server}/")
            assert (ROOT / path).is_file(), path
            if href.startswith(server):
                assert urlopen(href).status == 200
    choose(driver, "both")
