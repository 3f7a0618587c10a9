"""Hangul in matplotlib figures: the Korean fallback font and no missing-glyph warnings."""
import warnings

import pytest
from matplotlib import font_manager, rcParams

import d2lkit
from d2lkit import fonts


def test_korean_font_is_an_installed_font_or_none():
    name = fonts.korean_font()
    assert name is None or name in {f.name for f in font_manager.fontManager.ttflist}


def test_fallback_is_appended_once_after_the_default_family(monkeypatch):
    monkeypatch.setitem(rcParams, "font.family", ["sans-serif"])
    monkeypatch.setattr(fonts, "korean_font", lambda: "NanumGothic")
    assert fonts.use_korean_fallback() == "NanumGothic"
    assert fonts.use_korean_fallback() == "NanumGothic"
    assert rcParams["font.family"] == ["sans-serif", "NanumGothic"]


def test_no_korean_font_leaves_the_families_alone(monkeypatch):
    monkeypatch.setitem(rcParams, "font.family", ["sans-serif"])
    monkeypatch.setattr(fonts, "korean_font", lambda: None)
    assert fonts.use_korean_fallback() is None
    assert rcParams["font.family"] == ["sans-serif"]


@pytest.mark.skipif(fonts.korean_font() is None, reason="no Korean font installed (Debian: fonts-nanum)")
def test_a_korean_label_draws_without_missing_glyph_warnings(tmp_path):
    assert fonts.korean_font() in rcParams["font.family"]  # importing d2lkit set the fallback
    fig, ax = d2lkit.plt.subplots()
    ax.set_title("학습 손실 (training loss)")
    ax.set_xlabel("에포크 epoch")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "korean.png")
    d2lkit.plt.close(fig)
