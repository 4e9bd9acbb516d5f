"""Block-level signals that tell site chrome from article text, shared by the text and HTML paths.

Every signal looks at one block (a line or paragraph) and, when it fires, names itself: that name
is the ``reason`` shown by ``chronicle clean --diff``. The wording lexicons live in
``data/chrome.json``; this module holds only the logic that weighs them (length, punctuation,
stop-word density, link-like text, hashtag rows, ad ids, second-person appeals).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_WS = re.compile(r"\s+")
_LABEL_STRIP = " \t:;,.!?»›>|•·-–—…*#()[]"
_AD_ID = re.compile(r"\b(?:ca-)?pub-\d{8,}\b|\bad[-_ ]?(?:slot|unit|id)\b", re.I)
_URLISH = re.compile(
    r"^(?:https?://|www\.)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$|^https?://\S+$", re.I
)
# Values leaked from page metadata: ISO timestamps, image URLs.
_MACHINE = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|(?:https?:)?//\S+\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?"
    r"|\[\w+[^\]]*\].*\[/\w+\])$",  # CMS shortcodes left in the text: [button ...]...[/button]
    re.I,
)
_TICKER = re.compile(r"^[•\-\s]*[A-Z]{3}(?:/[A-Z]{3})?\s*[=:]?\s*[\d.,]+\s*%?(?:\s+[\d.,]+%?)?$")
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july"
    "|august|september|october|november|december"
)
_DATEISH = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}:\d{2})\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“«][^\"”»]{0,400}[\"”»]")
_APPEAL_PRONOUN = re.compile(r"\b(?:you|your|we|our|us)\b", re.I)
_BIO = (
    r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){{1,3}} (?:is|was|has been) an? (?:[\w-]+ ){{0,4}}"
    r"(?:{roles})s?\b"
)
_BLURB = re.compile(
    r"^[A-Z][\w.&'’ /-]{1,40} is an? (?:[\w-]+,? ){0,4}(?:independent|non-profit|nonprofit|"
    r"international|leading|award-winning)\b.{0,80}\b(?:media|news|outlet|organi[sz]ation|agency|"
    r"publication|newspaper|website|magazine)\b",
    re.I,
)
# A sentence ends with . ! ? or … (maybe inside closing quotes/brackets); a headline rarely does.
_TERMINAL = re.compile(r"[.!?…][\"”’»)\]]*$")


@dataclass(frozen=True)
class Lexicon:
    """The compiled chrome lexicons of ``data/chrome.json`` plus the word lists."""

    labels: re.Pattern[str]
    tail_labels: re.Pattern[str]
    final_labels: re.Pattern[str]
    appeal: re.Pattern[str]
    notice: re.Pattern[str]
    credit: re.Pattern[str]
    byline: re.Pattern[str]
    bio: re.Pattern[str]
    inline_related: re.Pattern[str]
    stopwords: frozenset[str]
    continuation: tuple[str, ...]


def _read(name: str) -> str:
    return resources.files("chronicle.clean").joinpath("data", name).read_text("utf-8")


def read_word_list(name: str) -> list[str]:
    """A one-entry-per-line data file, without comments and blank lines."""
    return [ln.strip() for ln in _read(name).splitlines() if ln.strip() and not ln.startswith("#")]


def read_json(name: str) -> dict:
    """A JSON data file of this stage."""
    return json.loads(_read(name))


def _any(patterns: list[str], *, whole: bool = False, fold: bool = False) -> re.Pattern[str]:
    """One alternation of ``patterns``. ``fold``: compiled for lower-cased text (no ``re.I``),
    which makes the long alternations several times faster; the lexicons are all lower case."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(f"^(?:{body})$" if whole else body, 0 if fold else re.I)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicons, loaded and compiled once per process."""
    data = read_json("chrome.json")
    roles = "|".join(data["bio_role"])
    return Lexicon(
        labels=_any(data["labels"], whole=True),
        tail_labels=_any(data["tail_labels"], whole=True),
        final_labels=_any(data["final_labels"], whole=True),
        appeal=_any(data["appeal"], fold=True),
        notice=_any(data["notice"], fold=True),
        credit=_any(data["credit"], fold=True),
        byline=_any(data["byline"], fold=True),
        bio=re.compile(_BIO.format(roles=roles)),
        inline_related=re.compile(
            r"(?:^|(?<=[.!?”\"]\s))(?:" + "|".join(data["inline_related"]) + r")\s*[:\-–—]?\s*",
            re.I,
        ),
        stopwords=frozenset(read_word_list("stopwords.txt")),
        continuation=tuple(read_word_list("continuation.txt")),
    )


def collapse(text: str) -> str:
    """Whitespace collapsed to single spaces, stripped."""
    return _WS.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (letters first; numbers are not words here)."""
    return _WORD.findall(text)


def stopword_ratio(tokens: list[str], lex: Lexicon) -> float:
    """Share of function words: prose is full of them, menus and headline lists are not."""
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if t.lower() in lex.stopwords) / len(tokens)


def is_label(text: str, lex: Lexicon) -> bool:
    """The whole block is a navigation/widget label ("Read more", "Share", "Related Posts")."""
    core = text.strip(_LABEL_STRIP)
    return len(core) <= 60 and bool(lex.labels.match(core))


def is_tail_label(text: str, lex: Lexicon) -> bool:
    """A label that, after the article has begun, marks the end of the article proper."""
    core = text.strip(_LABEL_STRIP)
    return len(core) <= 60 and bool(lex.tail_labels.match(core))


def is_final_label(text: str, lex: Lexicon) -> bool:
    """A label opening the comment thread: after it, nothing belongs to the article."""
    core = text.strip(_LABEL_STRIP)
    return len(core) <= 60 and bool(lex.final_labels.match(core))


def is_prose(text: str, lex: Lexicon) -> bool:
    """A sentence-like paragraph: enough words, sentence punctuation, ordinary function words."""
    tokens = words(text)
    if len(tokens) < 10:
        return False
    if not (_TERMINAL.search(text.rstrip()) or len(text) >= 160):
        return False
    # News ledes are dense ("Russian missiles struck port infrastructure in Odesa ..."), so
    # the bar is low; menus and headline lists fail on punctuation before they get here.
    return stopword_ratio(tokens, lex) >= 0.12


def is_dateline(text: str) -> bool:
    """A short block that is mostly a date/time stamp ("18:35, 23 April 2025", "Tuesday, ...")."""
    if len(text) > 70 or not _DATEISH.search(text):
        return False
    rest = _DATEISH.sub(" ", text)
    return len(words(rest)) <= 5


def appeal_density(text: str) -> tuple[int, float]:
    """First/second-person pronouns outside quotes: appeals talk to "you" about "us"."""
    bare = _QUOTED.sub(" ", text)
    hits = len(_APPEAL_PRONOUN.findall(bare))
    n = max(len(words(bare)), 1)
    return hits, hits / n


def chrome_reason(text: str, lex: Lexicon | None = None) -> str | None:
    """The name of the chrome signal that fires on one block, or ``None`` for article text."""
    lex = lex or lexicon()
    t = collapse(text)
    if not t:
        return "empty"
    n = len(t)
    low = t.lower()  # the appeal/notice/credit/byline lexicons match lower-cased text
    tokens = words(t)
    if is_label(t, lex):
        return "nav-label"
    if _related_link(t, lex):
        return "related-link"
    if _AD_ID.search(t) and n < 120:
        return "ad-id"
    if t.count("#") >= 2 and sum(1 for w in t.split() if w.startswith("#")) >= 0.6 * len(t.split()):
        return "hashtag-row"
    if _MACHINE.match(t):
        return "machine-value"
    if _URLISH.match(t):
        return "link-like"
    if _TICKER.match(t):
        return "ticker"
    if n < 220 and lex.credit.search(low):
        return "photo-credit/credit-line"
    if n < 90 and lex.byline.search(low):
        return "byline/read-time"
    if is_dateline(t):
        return "dateline"
    if n < 260 and lex.notice.search(low):
        return "notice(cookie/copyright/legal)"
    if lex.bio.search(t):
        return "author-bio"
    if _BLURB.search(t) and n < 300:
        return "outlet-blurb"
    appeal_hits = len(lex.appeal.findall(low))
    _, pron_density = appeal_density(t)
    if appeal_hits and (n < 160 or appeal_hits >= 2 or pron_density >= 0.05):
        return "appeal(donation/newsletter/call-to-action)"
    letters = [c for c in t if c.isalpha()]
    if n >= 40 and letters and sum(c.isupper() for c in letters) / len(letters) > 0.85:
        return "all-caps-notice"
    if len(tokens) >= 4 and all(w[:1].isupper() for w in tokens) and n < 80 and _social_row(tokens):
        return "social-row"
    return None


def _related_link(t: str, lex: Lexicon) -> bool:
    """"Read more: <headline of another story>" (a link line, not a sentence of the article)."""
    t = t.lstrip("[(")
    m = lex.inline_related.match(t)
    if not m or m.end() == 0 or not re.match(r"[^\w]*\w+(?: \w+)*\s*[:\-–—]", t[: m.end()] + " "):
        return False
    rest = t[m.end():].strip("[]() ")
    return 0 < len(words(rest)) <= 20 and not _TERMINAL.search(rest)


_SOCIAL = {"facebook", "twitter", "telegram", "whatsapp", "pinterest", "linkedin", "reddit", "vk",
           "instagram", "youtube", "email", "x", "viber", "messenger", "threads", "bluesky"}


def _social_row(tokens: list[str]) -> bool:
    return sum(1 for w in tokens if w.lower() in _SOCIAL) >= 0.6 * len(tokens)
