"""Comparison primitives the scorer is built from: normalisation, fuzzy name matching, dates.

Every rule here is one sentence of ``shared/gold/GUIDE.md`` made precise:

- :func:`norm` is the form names, titles and outlets are compared in: Unicode NFKC, typographic
  quotes and dashes folded to ASCII, whitespace collapsed, case folded.
- :func:`forms_match` is the actor/recipient/claimant/role rule: case-insensitive RapidFuzz
  ``token_set_ratio`` of at least 85, or one form containing the other as whole words.
- :func:`date_matches` compares a gold date on the parts it has (``2023-09`` accepts any day of
  September 2023; ``--04-17`` accepts 17 April of any year).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

FUZZY_THRESHOLD = 85.0
PENALTY_TOLERANCE = 0.05

_WS = re.compile(r"\s+")
# Typographic punctuation that outlets use interchangeably with the ASCII forms.
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                       "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_EDGE_PUNCT = " \t\n\"'.,;:()[]«»"


def collapse_ws(text: str) -> str:
    """Whitespace runs (NBSP included) collapsed to one space, ends stripped: the GUIDE's rule
    for comparing ``body_keep``/``body_drop`` passages with the cleaned body."""
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Unicode NFKC with typographic quotes and dashes folded to their ASCII forms."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def norm(text: str | None) -> str:
    """The comparison form of a name or title (NFKC, folded punctuation, collapsed, casefolded)."""
    if not text:
        return ""
    return collapse_ws(fold(text)).casefold()


def norm_name(text: str | None) -> str:
    """:func:`norm` plus edge punctuation and a leading article removed, so that
    "the Investigative Committee" and "Investigative Committee." compare equal."""
    text = norm(text).strip(_EDGE_PUNCT)
    if text.startswith("the "):
        text = text[4:]
    return text


def as_forms(value: Any) -> list[str]:
    """A field that may be a string, a list of strings or empty, as a list of non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if v is not None and str(v).strip()]


def form_matches(a: str, b: str) -> bool:
    """True when two surface forms name the same thing: token-set ratio >= 85 or containment."""
    na, nb = norm_name(a), norm_name(b)
    if not na or not nb:
        return False
    if _contains(na, nb) or _contains(nb, na):
        return True
    return fuzz.token_set_ratio(na, nb) >= FUZZY_THRESHOLD


def _contains(outer: str, inner: str) -> bool:
    # Containment on word boundaries, so "Russian House" contains "Russian" but "he" is not
    # found inside "the court".
    return re.search(r"(?<!\w)" + re.escape(inner) + r"(?!\w)", outer) is not None


def forms_match(extracted: Any, gold_forms: Iterable[str]) -> bool:
    """True when any extracted form matches any accepted gold form."""
    golds = as_forms(list(gold_forms))
    return any(form_matches(x, g) for x in as_forms(extracted) for g in golds)


def _date_parts(value: str) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) of an ISO date that may be partial: ``2023``, ``2023-09``, ``--04-17``,
    or a datetime (the time part is ignored)."""
    value = value.strip()
    if value.startswith("--"):
        rest = value[2:].split("-")
        month = rest[0] if rest and rest[0] else None
        day = rest[1][:2] if len(rest) > 1 and rest[1] else None
        return None, month, day
    parts = value[:10].split("-")
    year = parts[0] or None
    month = parts[1] if len(parts) > 1 and parts[1] else None
    day = parts[2] if len(parts) > 2 and parts[2] else None
    return year, month, day


def date_matches(extracted: str | None, gold: str | None) -> bool:
    """Gold date vs extracted date, compared on the parts the gold date has.

    A gold ``null`` (the text fixes no date) is matched only by an extracted ``null``: inventing
    a date is an error. The extracted date must have every part the gold date has.
    """
    if not gold:
        return not extracted
    if not extracted:
        return False
    g, x = _date_parts(gold), _date_parts(extracted)
    return all(gp is None or gp == xp for gp, xp in zip(g, x, strict=True))


def number_matches(extracted: Any, gold: Any, tolerance: float = PENALTY_TOLERANCE) -> bool:
    """Numbers equal within ``tolerance`` (penalties in years: 4.667 vs 4.67 agree)."""
    try:
        return extracted is not None and abs(float(extracted) - float(gold)) <= tolerance
    except (TypeError, ValueError):
        return False


def split_type(value: str | None) -> tuple[str | None, str | None]:
    """``"ACCUSE/allege"`` -> ``("ACCUSE", "allege")``; ``"COERCE"`` -> ``("COERCE", None)``."""
    if not value:
        return None, None
    head, _, mode = value.partition("/")
    return head.strip().upper() or None, mode.strip() or None
