"""Dates in article text: absolute, partial and relative, as ISO strings.

Used by the event and claim extractors. Rules (see ``shared/gold/GUIDE.md``):

- absolute dates parse to ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` ("Sept. 11, 2023", "11 September
  2023", "April 2025", "in 2022");
- a month and day with no year stays partial (``--06-30``) unless a publication date anchors it;
- relative expressions ("on Saturday", "yesterday", "last year", "mid-August", "in September last
  year") are resolved only against the publication date; without one a weekday gives ``None`` and a
  bare month gives the partial ``--MM``, and callers keep the surface form.

The parser is regex-based (not ``dateparser``) so that it is fast, never guesses from numbers that
are not dates, and never raises on odd input.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

DateMention = tuple[int, int, str | None, str]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}  # fmt: skip

# "May" is also a modal verb: only treat it as a month next to a day number or a year.
_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_MON_NOMAY = _MON.replace("May|", "")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_PART = r"(?:(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|" \
        r"the\s+middle\s+of)[\s-]+)?"
_REL_YEAR = r"(?:,?\s+(?P<rel>last|this|next)\s+year)?"
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Ordered: the first pattern to claim a stretch of text wins (longest forms first).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_PART}{_MON}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_PART}{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b", re.I)),
    ("my", re.compile(rf"\b{_PART}{_MON},?\s+(?:of\s+)?{_YEAR}\b", re.I)),
    ("md", re.compile(rf"\b{_MON}\s+{_DAY}\b(?!\s*(?:%|percent|people|years?\b))", re.I)),
    ("dm", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b", re.I)),
    ("m_rel", re.compile(rf"\b(?:in\s+)?{_PART}{_MON_NOMAY}{_REL_YEAR}\b(?!\s+\d)", re.I)),
    ("wd", re.compile(rf"\b(?P<rel>last|this|next|on|early|late)?\s*{_WD}\b", re.I)),
    ("rel_day", re.compile(r"\b(?P<word>yesterday|today|tonight|the\s+day\s+before\s+yesterday|"
                           r"last\s+night|this\s+morning)\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|an?)\s+"
                       r"(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.I)),
    ("rel_unit", re.compile(r"\b(?P<rel>last|this|next|past)\s+(?P<unit>year|month)\b", re.I)),
    ("anaphoric", re.compile(r"\b(?:that|the\s+same)\s+(?P<unit>year|month)\b", re.I)),
    ("year", re.compile(rf"\b(?:in|since|of|during|until|by|from|early|late|mid-?)\s+{_YEAR}\b"
                        r"(?!\s*(?:%|people|soldiers))", re.I)),
]


def _anchor(published: str | None) -> date | None:
    """The publication date as a ``date`` (None when unknown or not a full date)."""
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _anchor_year(published: str | None) -> int | None:
    if not published:
        return None
    m = re.match(r"(\d{4})", published.strip())
    return int(m[1]) if m else None


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str | None:
    """ISO form of a (possibly partial) date; None for impossible days like February 31."""
    if m is not None and not 1 <= m <= 12:
        return None
    if d is not None:
        try:
            date(y or 2000, m or 1, d)  # leap-year-tolerant check when the year is unknown
        except ValueError:
            return None
    if y is None:
        if m is None:
            return None
        return f"--{m:02d}-{d:02d}" if d is not None else f"--{m:02d}"
    if m is None:
        return f"{y:04d}"
    return f"{y:04d}-{m:02d}-{d:02d}" if d is not None else f"{y:04d}-{m:02d}"


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _year_for(month: int, day: int | None, anchor: date | None, rel: str | None) -> int | None:
    """Year of a month(-day) with no year: from "last/this year", or the latest not after anchor."""
    if anchor is None:
        return None
    if rel:
        return anchor.year + {"last": -1, "this": 0, "next": 1}[rel.lower()]
    # A past-tense news report: the most recent such date on or before the publication date.
    if (month, day or 1) > (anchor.month, anchor.day):
        return anchor.year - 1
    return anchor.year


def _resolve(kind: str, m: re.Match[str], published: str | None) -> str | None:
    anchor = _anchor(published)
    g = m.groupdict()
    if kind == "iso":
        return _iso(int(g["year"]), int(g["m"]), int(g["day"]))
    if kind in ("mdy", "dmy"):
        return _iso(int(g["year"]), _month(g["mon"]), int(g["day"]))
    if kind == "my":
        return _iso(int(g["year"]), _month(g["mon"]))
    if kind in ("md", "dm"):
        mon, day = _month(g["mon"]), int(g["day"])
        if _iso(None, mon, day) is None:
            return None
        return _iso(_year_for(mon, day, anchor, None), mon, day)
    if kind == "m_rel":
        mon = _month(g["mon"])
        year = _year_for(mon, None, anchor, g.get("rel"))
        if year is None and g.get("rel"):
            return None  # "September last year" with no anchor: the year is unknown
        return _iso(year, mon)
    if kind == "year":
        return _iso(int(g["year"]))
    if kind == "rel_unit":
        return _rel_unit(g["rel"].lower(), g["unit"].lower(), published)
    if kind == "anaphoric":
        return None  # "that year": the caller resolves it against the text before
    if anchor is None:
        return None
    if kind == "wd":
        return _weekday(_WEEKDAYS[g["wd"].lower()], (g.get("rel") or "").lower(), anchor)
    if kind == "rel_day":
        word = " ".join(g["word"].lower().split())
        delta = {"yesterday": 1, "last night": 1, "the day before yesterday": 2}.get(word, 0)
        return (anchor - timedelta(days=delta)).isoformat()
    if kind == "ago":
        return _ago(g["n"].lower(), g["unit"].lower(), anchor)
    return None


def _weekday(wd: int, rel: str, anchor: date) -> str:
    """The weekday nearest the report: on or before the anchor, "next" after it."""
    back = (anchor.weekday() - wd) % 7
    if rel == "next":
        return (anchor + timedelta(days=(wd - anchor.weekday()) % 7 or 7)).isoformat()
    if rel == "last" and back == 0:
        back = 7
    return (anchor - timedelta(days=back)).isoformat()


def _rel_unit(rel: str, unit: str, published: str | None) -> str | None:
    year = _anchor_year(published)
    if year is None:
        return None
    shift = {"last": -1, "past": -1, "this": 0, "next": 1}[rel]
    if unit == "year":
        return _iso(year + shift)
    anchor = _anchor(published)
    if anchor is None:
        return None
    month_index = anchor.year * 12 + anchor.month - 1 + shift
    return _iso(month_index // 12, month_index % 12 + 1)


def _ago(n_text: str, unit: str, anchor: date) -> str | None:
    n = int(n_text) if n_text.isdigit() else _NUMBERS.get(n_text, 1)
    if unit.startswith("day"):
        return (anchor - timedelta(days=n)).isoformat()
    if unit.startswith("week"):
        return (anchor - timedelta(weeks=n)).isoformat()
    if unit.startswith("month"):
        idx = anchor.year * 12 + anchor.month - 1 - n
        return _iso(idx // 12, idx % 12 + 1)
    return _iso(anchor.year - n)


def find_dates(text: str, published: str | None = None) -> list[DateMention]:
    """Every date expression in ``text``: ``(start, end, iso_or_None, surface)``, in order."""
    if not isinstance(text, str) or not text:
        return []
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            surface = m.group(0).strip()
            start += len(m.group(0)) - len(m.group(0).lstrip())
            if kind == "wd" and not surface:
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            if kind == "m_rel" and surface.lower().startswith("in "):
                start, surface = start + 3, surface[3:].lstrip()
            if kind == "year" and m.group(0)[:1].lower() in "isodubf":  # drop the preposition
                start, surface = m.start("year"), m.group("year")
            taken.append((start, end))
            out.append((start, end, _resolve(kind, m, published), surface))
    out.sort()
    return out


def dates_in(span: Any, published: str | None = None) -> list[DateMention]:
    """Dates inside a spaCy ``Span``/``Doc`` (offsets in the Doc's text) or a plain string."""
    if isinstance(span, str):
        return find_dates(span, published)
    text = getattr(span, "text", "")
    base = getattr(span, "start_char", 0)
    return [(s + base, e + base, iso, surf) for s, e, iso, surf in find_dates(text, published)]


def parse_date(text: str, published: str | None = None) -> str | None:
    """The ISO (possibly partial) date of the first date expression in ``text``, else None."""
    for _, _, iso, _ in find_dates(text, published):
        if iso is not None:
            return iso
    return None


def resolve_anaphoric(surface: str, earlier: list[str | None]) -> str | None:
    """ "that year" / "the same month" from the latest earlier date that has that part."""
    m = re.fullmatch(r"(?:that|the\s+same)\s+(year|month)", surface.strip(), re.I)
    if not m:
        return None
    need = 4 if m.group(1).lower() == "year" else 7
    for iso in reversed(earlier):
        if iso and not iso.startswith("--") and len(iso) >= need:
            return iso[:need]
    return None


def is_relative(surface: str) -> bool:
    """True when the expression needs a publication date to be resolved ("on Saturday")."""
    return find_dates(surface, None) != find_dates(surface, "2000-06-15")
