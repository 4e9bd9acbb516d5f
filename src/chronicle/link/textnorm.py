"""Name normalisation shared by the gazetteer and the linkers.

Two keys are computed from a surface form:

- :func:`fold` — accents removed, lower case, punctuation to spaces, whitespace collapsed, a
  leading "the" dropped. Two renderings of one string in different typography compare equal.
- :func:`translit_key` — :func:`fold` then the ordered rewrite rules of ``data/translit.tsv``, so
  that romanisations of one Cyrillic/Turkic name (Dzhamalov/Jamalov, Kadyrov/Kadirov,
  Natalya/Natalia) and British/American spellings (Defence/Defense) reach the same key.

The rules are data, not code: adding a romanisation convention is a line in the TSV file.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

_PUNCT = re.compile(r"[^\w\s'’ʼ`]+")
_WS = re.compile(r"\s+")


def data_lines(filename: str) -> list[list[str]]:
    """Non-comment, non-blank lines of a ``link/data`` file, split on tabs."""
    text = resources.files("chronicle.link").joinpath("data", filename).read_text("utf-8")
    rows: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.rstrip("\n").split("\t"))
    return rows


def strip_accents(text: str) -> str:
    """Remove combining marks (ü -> u, ё -> е); other scripts are left as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Typography-insensitive key: 'The Hague' -> 'hague', 'Mayor’s Office' -> "mayor's office"."""
    s = text if text.isascii() else strip_accents(text).replace("’", "'").replace("ʼ", "'")
    s = s.lower()
    s = _PUNCT.sub(" ", s)
    s = _WS.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


@cache
def _rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    rules = []
    for row in data_lines("translit.tsv"):
        pattern = row[0]
        repl = row[1] if len(row) > 1 else ""
        rules.append((re.compile(pattern), repl))
    return tuple(rules)


@lru_cache(maxsize=262144)
def translit_key(text: str) -> str:
    """Spelling-variant-insensitive key: 'Dzhamalov' and 'Jamalov' -> 'jamalov'."""
    s = fold(text).replace("'", "")
    for pattern, repl in _rules():
        s = pattern.sub(repl, s)
    return _WS.sub(" ", s).strip()
