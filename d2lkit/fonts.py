"""Hangul in figures: fall back to an installed Korean font for glyphs the default font lacks."""
from __future__ import annotations

from matplotlib import font_manager, rcParams

# Fonts with Hangul, as named by common packages: Debian/Ubuntu (fonts-nanum, fonts-noto-cjk), Windows, macOS.
KOREAN_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
                "Apple SD Gothic Neo", "AppleGothic")


def korean_font() -> str | None:
    """Return the first installed font of KOREAN_FONTS, or None."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in KOREAN_FONTS if name in installed), None)


def use_korean_fallback() -> str | None:
    """Append an installed Korean font to matplotlib's font families; return its name (None if none).

    Latin text keeps the default font; only characters it lacks, such as Hangul, are drawn
    with the Korean font, so a Korean label raises no missing-glyph warning.
    """
    name = korean_font()
    families = list(rcParams["font.family"])
    if name is not None and name not in families:
        rcParams["font.family"] = families + [name]
    return name
