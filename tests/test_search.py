"""The site's own search (search.html?q=...) in headless Chromium, in Korean and in English.

For each term the expected pages are computed from the built pages' text at test time (the
wording changes, so nothing is stored): in Korean, every page where a word starts with the term
(the word itself or its stem with a particle or ending: 텐서, 텐서를, 텐서의); in English, every
page with a word of the same Porter stem. The search must find all of them and no other page,
and rank the pages whose headings hold the term first. ``-s`` prints the counts.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
import snowballstemmer
from bs4 import BeautifulSoup
from selenium.webdriver.support.ui import WebDriverWait

from test_browser import browser, server  # noqa: F401

KOREAN = ["텐서", "브로드캐스팅", "기울기", "역전파", "손실", "학습률", "미니배치", "과대적합", "소프트맥스",
          "가능도", "규제", "활성화", "함수", "에포크", "검증", "분포", "가중치", "확률", "행렬", "미분",
          "은닉층", "퍼셉트론", "엔트로피", "회귀", "분류", "일반화"]
KOREAN_PHRASES = ["학습률 에포크", "가중치 미니배치"]
# With a word of one or two letters, Sphinx's searchtools.js also lists a page that holds as many of
# the words as the query has longer ones (e.g. only 함수): for these, all pages with
# every word must be listed, and only pages with one of them.
SHORT_WORD_PHRASES = ["활성화 함수", "손실 함수"]
ENGLISH = ["tensor", "broadcasting", "gradient", "backpropagation", "loss", "minibatch", "overfitting",
           "softmax", "likelihood", "regularization", "activation", "epoch", "validation", "distribution",
           "PyTorch"]
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
PIECE = re.compile(r"[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+")
PORTER = snowballstemmer.stemmer("porter")


def words(text: str) -> list[str]:
    """Words as a reader sees them: letter runs, cut where Hangul meets other letters."""
    return [piece for word in re.findall(r"\w+", text) for piece in PIECE.findall(word)]


@cache
def pages(site: Path) -> dict[str, tuple[list[str], list[str]]]:
    """For each indexed page: the words of its article and the words of its headings."""
    index = json.loads((site / "searchindex.js").read_text(encoding="utf-8").removeprefix("Search.setIndex(")[:-1])
    out = {}
    for doc in index["docnames"]:
        article = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
        for tag in article.select("script, style, .headerlink"):
            tag.decompose()
        headings = " ".join(h.get_text(" ") for h in article.select("h1, h2, h3, h4, h5, h6"))
        out[doc] = (words(article.get_text(" ")), words(headings))
    return out


def matches(term: str, word: str) -> bool:
    if HANGUL.fullmatch(term):
        return word.startswith(term)
    return PORTER.stemWord(word.lower()) == PORTER.stemWord(term.lower())


def expected(site: Path, query: str) -> tuple[set[str], set[str]]:
    """Pages holding every word of the query, and those of them whose headings hold one."""
    terms = query.split()
    found = {doc for doc, (text, _) in pages(site).items() if all(any(matches(t, w) for w in text) for t in terms)}
    titled = {doc for doc in found if any(matches(t, w) for t in terms for w in pages(site)[doc][1])}
    return found, titled


def search(driver, server: str, query: str) -> list[str]:
    """The pages that the site's search lists for a query, best first (each page once)."""
    driver.get(f"{server}/search.html?q={quote(query)}")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "const s = document.querySelector('#search-results .search-summary'); return !!s && s.innerText !== '';"))
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('#search-results ul.search > li > a'), a => a.getAttribute('href'));")
    return list(dict.fromkeys(link.split("#")[0].removesuffix(".html") for link in links))


def check(site, server, driver, query):
    found, titled = expected(site, query)
    listed = search(driver, server, query)
    hits = found & set(listed)
    print(f"\nsearch {query!r}: {len(hits)}/{len(found)} pages found, {len(set(listed) - found)} without it")
    assert found, f"no page holds {query!r}: choose another term"
    assert hits == found, f"missed: {sorted(found - hits)}"
    assert set(listed) == found, f"listed without {query!r}: {sorted(set(listed) - found)}"
    ranks = [listed.index(doc) for doc in titled]
    assert not titled or max(ranks) < len(titled), f"pages with {query!r} in a heading are not listed first: {listed}"


@pytest.mark.parametrize("term", KOREAN + KOREAN_PHRASES)
def test_korean_search(site, server, browser, term):
    check(site, server, browser, term)


@pytest.mark.parametrize("query", SHORT_WORD_PHRASES)
def test_korean_phrase_with_a_short_word(site, server, browser, query):
    """Every page with all the words is listed; others only if they hold one of them (Sphinx's rule)."""
    found, _ = expected(site, query)
    listed = set(search(browser, server, query))
    some = set().union(*(expected(site, word)[0] for word in query.split()))
    print(f"\nsearch {query!r}: {len(found & listed)}/{len(found)} pages found, {len(listed - found)} with only some words")
    assert found and found <= listed <= some


@pytest.mark.parametrize("term", ENGLISH)
def test_english_search(site, server, browser, term):
    check(site, server, browser, term)


def test_query_is_split_like_the_text(server, browser):
    """The query side cuts words where Hangul meets Latin and stems only the Latin ones."""
    browser.get(f"{server}/search.html")
    split, stems = browser.execute_script(
        "const words = splitQuery('PyTorch의 텐서를 broadcasting'); const s = new Stemmer();"
        "return [words, words.map(w => s.stemWord(w.toLowerCase()))];")
    assert split == ["PyTorch", "의", "텐서를", "broadcasting"]
    assert stems == ["pytorch", "의", "텐서를", "broadcast"]


def test_index_has_no_word_of_mixed_scripts(site):
    index = json.loads((site / "searchindex.js").read_text(encoding="utf-8").removeprefix("Search.setIndex(")[:-1])
    mixed = [term for term in index["terms"] if HANGUL.search(term) and not HANGUL.fullmatch(term)]
    assert mixed == [], mixed[:10]
