"""Sphinx extension: a search language for pages that hold English and Korean prose.

Sphinx has no Korean search language, and its English one keeps Korean particles and
endings on the word (텐서를, 텐서의), so a query for 텐서 misses most pages that use it.
This language (``html_search_language: ko``) indexes words as follows:

- a word is cut wherever Hangul meets other letters (``PyTorch의`` → ``pytorch``, ``의``);
- other words are stemmed with Sphinx's English (Porter) stemmer, as before;
- a Hangul word is indexed with every leading part (``텐서를`` → 텐, 텐서, 텐서를): a query
  finds each page where a word starts with it, i.e. the word itself or its stem followed by
  any particle or ending. Korean morphological analysers were measured against this and
  not chosen (README, "The site").

The JavaScript side (``language_data.js``) splits a query the same way and leaves Hangul
words unstemmed, so a Hangul query word is looked up as it is typed.
"""
from __future__ import annotations

import re

from sphinx.search.en import SearchEnglish, js_porter_stemmer

# Hangul jamo, compatibility jamo, jamo extended A, syllables, jamo extended B.
HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_PIECE = re.compile(f"[{HANGUL}]+|[^{HANGUL}]+")
_IS_HANGUL = re.compile(f"[{HANGUL}]")
_JS_HANGUL = HANGUL.encode("unicode_escape").decode()  # the same ranges, as JavaScript escapes

JS_SPLITTER = """
/* Split a query as korean_search.py splits the text: at non-letters, and where Hangul meets other letters. */
var splitQuery = (query) => query
  .split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu)
  .flatMap((word) => word.match(/[%(h)s]+|[^%(h)s]+/gu) || [])
  .filter((term) => term);
""" % {"h": _JS_HANGUL}

JS_STEMMER = """
/* Porter for English words; a Hangul word is indexed with each of its leading parts, so it stays as typed. */
var Stemmer = (function () {
  %(porter)s
  const Porter = Stemmer;
  const hangul = /[%(h)s]/u;
  return function () {
    const porter = new Porter();
    this.stemWord = (word) => (hangul.test(word) ? word : porter.stemWord(word));
  };
})();
""" % {"porter": js_porter_stemmer, "h": _JS_HANGUL}


class SearchEnglishKorean(SearchEnglish):
    lang = "ko"
    language_name = "English and Korean"
    js_splitter_code = JS_SPLITTER
    js_stemmer_code = JS_STEMMER

    def split(self, input: str) -> list[str]:
        words = []
        for word in super().split(input):
            for piece in _PIECE.findall(word):
                if _IS_HANGUL.match(piece):
                    words.extend(piece[:end] for end in range(1, len(piece) + 1))
                else:
                    words.append(piece)
        return words

    def stem(self, word: str) -> str:
        return word if _IS_HANGUL.match(word) else super().stem(word)


def setup(app):
    app.add_search_language(SearchEnglishKorean)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
