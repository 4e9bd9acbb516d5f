"""Numbers in article text: digits and words, scales, percentages and money, as values.

Used by the claim extractor (``chronicle.extract.claims``) and available to any stage that needs
to read a count from text:

- :func:`parse_number` reads one number expression: ``"48,759"`` -> 48759, ``"1.6 million"`` ->
  1600000, ``"twenty-five"`` -> 25, ``"a dozen"`` -> 12; ``None`` when the text is not a number.
- :func:`find_numbers` scans free text and returns every :class:`NumberMention` with its offsets,
  its kind (``cardinal``, ``percent`` or ``money`` with an ISO 4217 code) and whether it is vague
  ("hundreds", "several thousand": a rough size, no exact value).

Number words, scales and currency names live in ``data/claims/numbers.json`` and
``data/claims/currencies.tsv`` so an analyst can extend them. Nothing here raises on odd input.
Digits glued to letters ("pub-2601", "Su-25"), times ("09:05"), slashed forms ("12/05") and
phone-like runs ("123-45-67") are not numbers of anything and are skipped.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data" / "claims"


@dataclass(frozen=True)
class NumberMention:
    """One number found in text: ``text[start:end]`` reads ``value``."""

    start: int
    end: int
    text: str
    value: float
    kind: str = "cardinal"  # cardinal | percent | money
    currency: str | None = None
    vague: bool = False
    is_word: bool = False  # spelled out ("two") rather than digits ("2")


@dataclass(frozen=True)
class _Lexicon:
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    short_scales: frozenset[str]
    fixed: dict[str, float]
    vague: dict[str, float]
    prefix_currency: dict[str, str]
    suffix_currency: dict[str, str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = json.loads((_DATA / "numbers.json").read_text(encoding="utf-8"))
    prefix: dict[str, str] = {}
    suffix: dict[str, str] = {}
    for line in (_DATA / "currencies.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        surface, code, where = (part.strip() for part in line.split("\t")[:3])
        if where in ("prefix", "both"):
            prefix[surface] = code
        if where in ("suffix", "both"):
            suffix[surface.lower()] = code
    return _Lexicon(
        units=data["units"],
        tens=data["tens"],
        scales=data["scales"],
        short_scales=frozenset(data.get("short_scales", [])),
        fixed=data["fixed"],
        vague=data["vague"],
        prefix_currency=prefix,
        suffix_currency=suffix,
    )


# A word, a hyphenated word ("twenty-five", "year-old"), a digit group with thousands separators
# (comma or a non-breaking/thin space, never a plain space) and decimals, or one symbol.
_TOKEN = re.compile(
    r"\d+(?:[,\u00a0\u202f\u2009]\d{3})*(?:\.\d+)?(?=[^\d]|$)|[A-Za-z]+(?:-[A-Za-z]+)*|%|\S"
)
_DIGITS = re.compile(r"^\d+(?:[,\u00a0\u202f\u2009]\d{3})*(?:\.\d+)?$")
# A phone number is ``\+?\d[\d ()]*\d(?:[-.]\d+){2,}``, found by :func:`_phone_spans` in one
# pass (the pattern itself rescanned a long run of digits and spaces from every position).
_PHONE_RUN = re.compile(r"[\d ()]+")
_PHONE_TAIL = re.compile(r"(?:[-.]\d+){2,}")
_DIGIT = re.compile(r"\d")
_PERCENT_WORDS = (("per", "cent"), ("percent",), ("pct",), ("%",))


def _digits_value(text: str) -> float | None:
    if not _DIGITS.match(text):
        return None
    try:
        return float(re.sub(r"[,\u00a0\u202f\u2009]", "", text))
    except ValueError:
        return None


def _words_value(words: list[str]) -> float | None:
    """Value of spelled-out number words (already lower-cased, hyphens split); None if not one."""
    lex = _lexicon()
    if not words or words[0] == "and" or words[-1] == "and":
        return None
    total = current = 0.0
    seen = False
    for w in words:
        if w == "and":
            continue
        if w in lex.units or w in lex.tens:
            current += lex.units.get(w, lex.tens.get(w, 0))
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in lex.scales and w not in lex.short_scales:
            total += (current or 1) * lex.scales[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _is_number_word(w: str) -> bool:
    lex = _lexicon()
    if w in lex.units or w in lex.tens or w == "hundred":
        return True
    return w in lex.scales and w not in lex.short_scales


def parse_number(text: str) -> float | None:
    """The value of one number expression, or ``None`` when ``text`` is not exactly one.

    Digits with separators and decimals, an optional scale ("1.6 million", "$2bn" without the
    currency), spelled-out numbers ("two", "twenty-five", "one hundred and twenty"), fixed phrases
    ("a dozen"), and vague quantities ("hundreds" -> a rough 200; see :func:`find_numbers`).
    """
    if not isinstance(text, str):
        return None
    # Collapse ordinary whitespace only: a non-breaking space can be a thousands separator.
    key = re.sub(r"[ \t\r\n\f\v]+", " ", text.strip(" \t\r\n\f\v").lower())
    if not key:
        return None
    lex = _lexicon()
    if key in lex.fixed:
        return float(lex.fixed[key])
    if key in lex.vague:
        return float(lex.vague[key])
    value = _digits_value(key)
    if value is not None:
        return value
    m = re.match(r"^(\d[\d,.\u00a0\u202f\u2009]*?)\s*([a-z]+)$", key)
    if m:
        base, scale = _digits_value(m[1]), lex.scales.get(m[2])
        if base is not None and scale is not None:
            return base * scale
        return None
    return _words_value(re.split(r"[\s-]+", key))


def _glued_to_word(text: str, start: int, end: int) -> bool:
    """Digits that are part of an identifier, time, fraction or date rather than a count."""
    before = text[start - 1] if start > 0 else ""
    before2 = text[start - 2] if start > 1 else ""
    after = text[end] if end < len(text) else ""
    after2 = text[end + 1] if end + 1 < len(text) else ""
    if before and (before.isalnum() or before in "_/#+" or (before == "-" and before2.isalpha())):
        return True
    if before and before in ":." and before2.isdigit():
        return True
    return bool(after) and after in ":/" and after2.isdigit()


@dataclass
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _match_phrase(toks: list[_Tok], i: int, table: dict[str, float]) -> tuple[int, float] | None:
    """Longest phrase of ``table`` starting at token ``i``: (tokens used, value)."""
    best: tuple[int, float] | None = None
    for n in range(1, 5):
        if i + n > len(toks):
            break
        key = " ".join(t.low for t in toks[i : i + n])
        if key in table:
            best = (n, float(table[key]))
    return best


def _scan_number(text: str, toks: list[_Tok], i: int) -> tuple[int, float, bool, bool] | None:
    """A number starting at token ``i``: (tokens used, value, vague, is_word)."""
    lex = _lexicon()
    tok = toks[i]
    value = _digits_value(tok.text)
    if value is not None:
        if _glued_to_word(text, tok.start, tok.end):
            return None
        n = 1
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt and nxt.low in lex.scales:
            # "1.6 million", "$2bn" / "$2 bn"; a short scale must touch or follow one space
            gap = text[tok.end : nxt.start]
            if nxt.low not in lex.short_scales or gap in ("", " "):
                value *= lex.scales[nxt.low]
                n = 2
        elif tok.end < len(text) and text[tok.end : tok.end + 1].isalpha():
            return None  # "1990s", "2nd", "5x"
        return n, value, False, False
    phrase = _match_phrase(toks, i, lex.fixed)
    vague = _match_phrase(toks, i, lex.vague)
    if vague and (not phrase or vague[0] > phrase[0]):
        return vague[0], vague[1], True, True
    if phrase:
        return phrase[0], phrase[1], False, True
    # Spelled-out words: "two", "twenty-five", "one hundred and twenty thousand".
    words: list[str] = []
    used = 0
    j = i
    while j < len(toks):
        parts = toks[j].low.split("-")
        if parts[0] == "and" and words and j + 1 < len(toks) and _is_number_word(
            toks[j + 1].low.split("-")[0]
        ):
            words.append("and")
            j += 1
            continue
        if not all(_is_number_word(p) for p in parts):
            break
        words.extend(parts)
        j += 1
        used = j - i
    if not used:
        return None
    value = _words_value(words[: len(words)])
    if value is None:
        return None
    return used, value, False, True


def _percent_after(toks: list[_Tok], j: int) -> int:
    """How many tokens after index ``j`` spell "percent" (0 if none)."""
    for words in _PERCENT_WORDS:
        if j + len(words) <= len(toks) and all(
            toks[j + k].low == w for k, w in enumerate(words)
        ):
            return len(words)
    return 0


def _currency_after(toks: list[_Tok], j: int) -> tuple[int, str] | None:
    suffix = _lexicon().suffix_currency
    if j < len(toks) and toks[j].text == "-":  # "a 200,000-ruble bonus"
        found = _currency_after(toks, j + 1)
        return (found[0] + 1, found[1]) if found else None
    for n in (2, 1):
        if j + n <= len(toks):
            key = " ".join(t.low for t in toks[j : j + n])
            if key in suffix:
                return n, suffix[key]
    return None


def _currency_before(text: str, start: int) -> tuple[int, str] | None:
    """A currency sign or code right before ``start`` ("$2", "USD 86.99"): (new start, code)."""
    prefix = _lexicon().prefix_currency
    head = text[max(0, start - 5) : start]
    for surface in sorted(prefix, key=len, reverse=True):
        for gap in ("", " ", "\u00a0"):
            cand = surface + gap
            if head.endswith(cand):
                begin = start - len(cand)
                if surface.isalpha() and begin > 0 and text[begin - 1].isalnum():
                    continue  # "xUSD 5" is not a currency code
                return begin, prefix[surface]
    return None


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """What ``re.finditer(r"\\+?\\d[\\d ()]*\\d(?:[-.]\\d+){2,}", text)`` finds, in linear time.

    A match's digits-spaces-brackets part runs to the end of its maximal run of such characters
    (the tail starts with a dash or a dot, which the run cannot hold), so each run is tried once:
    from its first digit (with a "+" right before it) to its end, which must be a digit followed
    by two or more "-digits" / ".digits" groups."""
    out: list[tuple[int, int]] = []
    pos = 0  # where the next match may start (matches do not overlap)
    for run in _PHONE_RUN.finditer(text):
        start, end = max(run.start(), pos), run.end()
        first = _DIGIT.search(text, start, end)
        if first is None or first.start() >= end - 1 or not text[end - 1].isdecimal():
            continue
        tail = _PHONE_TAIL.match(text, end)
        if tail is None:
            continue
        begin = first.start()
        if begin == start and begin - 1 >= pos and text[begin - 1 : begin] == "+":
            begin -= 1
        out.append((begin, tail.end()))
        pos = tail.end()
    return out


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in ``text`` with its offsets, kind (cardinal/percent/money) and value."""
    if not isinstance(text, str) or not text:
        return []
    phones = _phone_spans(text)
    phone_starts = [s for s, _ in phones]
    toks = _tokens(text)
    out: list[NumberMention] = []
    i = 0
    while i < len(toks):
        found = _scan_number(text, toks, i)
        if found is None:
            i += 1
            continue
        used, value, vague, is_word = found
        start, end = toks[i].start, toks[i + used - 1].end
        j = i + used
        k = bisect.bisect_right(phone_starts, start) - 1  # phones are ordered and disjoint
        if k >= 0 and start < phones[k][1]:
            i = j
            continue
        kind, currency = "cardinal", None
        pct = _percent_after(toks, j)
        cur_after = _currency_after(toks, j)
        cur_before = _currency_before(text, start)
        if pct:
            kind, end, j = "percent", toks[j + pct - 1].end, j + pct
        elif cur_before:
            kind, currency, start = "money", cur_before[1], cur_before[0]
        elif cur_after:
            kind, currency = "money", cur_after[1]
            end, j = toks[j + cur_after[0] - 1].end, j + cur_after[0]
        out.append(
            NumberMention(start, end, text[start:end], value, kind, currency, vague, is_word)
        )
        i = j
    return out
