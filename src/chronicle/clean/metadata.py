"""Document metadata from a scraped page: outlet, author, publication date, language.

Nothing is invented: a date comes only from a date line in the page header (never from a file's
mtime), an author only from a byline or bio naming a person. The outlet comes, in this order, from
the URL's domain, from known outlet names in the page's chrome (site-name header, "Support X!",
copyright line, bio), or from chrome patterns naming an unknown site ("© 2022 - Name").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from urllib.parse import urlsplit

from chronicle.clean.assemble import Block
from chronicle.clean.signals import read_json

_MONTH_NUM = {
    m: i + 1
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")]
    )
    for m in names
}
_MON = "|".join(sorted(_MONTH_NUM, key=len, reverse=True))
_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_MON})\.?,?\s+(\d{{4}})\b", re.I)
_MDY = re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")  # 12.07.2024: day first
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*[-–,.]?\s*)?"
    r"(?P<n>[A-Z0-9][\w.&'’ /-]{1,50}?)\s*(?:\d{4}\b|[.,]|all rights|$)",
    re.I,
)
_PATTERNS = [
    re.compile(r"^Support (?P<n>[A-Z0-9][\w.&'’ /-]{1,50}?)\s*(?:!|$| or )"),
    re.compile(r"^A message from (?P<n>[A-Z0-9][\w.&'’ /-]{1,50}?)\s*:", re.I),
    re.compile(
        r"^(?P<n>[A-Z0-9][\w.&'’ /-]{1,40}?) is an? (?:[\w-]+,? ){0,4}(?:independent|non-profit)"
    ),
    re.compile(r"^Source:\s*(?P<n>[A-Z][\w.&'’ /-]{1,40})$"),
    re.compile(r"^More (?:stories |news |articles )?from (?P<n>[A-Z0-9][\w.&'’ /-]{1,40})$"),
]
_BYLINE = re.compile(r"^(?:by|author:|written by|posted by)\s+(?P<n>.{2,60})$", re.I)
_PERSON = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")
_PERSON_OR_NAME = re.compile(r"^[A-Z0-9][\w'’.&-]*(?:\s+[A-Z0-9][\w'’.&-]*){0,3}$")
_NOT_PERSON = re.compile(
    r"\b(?:agency|service|staff|news|desk|bureau|newsroom|editors?|team|correspondents?|wires?)\b",
    re.I,
)
_BIO_NAME = re.compile(r"^(?P<n>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}) (?:is|was) an? ")


@lru_cache(maxsize=1)
def _outlets() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    data = read_json("outlets.json")["outlets"]
    by_name: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    for o in data:
        for n in [o["name"], *o["aliases"]]:
            by_name[n.casefold()] = o["name"]
        for d in o["domains"]:
            by_domain[d] = o["name"]
    names = sorted({n for o in data for n in [o["name"], *o["aliases"]]}, key=len, reverse=True)
    # Known names match case-sensitively on word boundaries, so "AP" does not fire inside "apart".
    pattern = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w/])")
    return by_name, by_domain, pattern


def canonical_outlet(name: str) -> str:
    """The canonical spelling of a known outlet name; unknown names are returned tidied."""
    name = name.strip(" .,:;!-–")
    by_name, _, _ = _outlets()
    return by_name.get(name.casefold(), by_name.get(name.removeprefix("The ").casefold(), name))


def outlet_from_url(url: str | None) -> str | None:
    """The outlet of a URL's domain (``www.`` and sub-domains ignored); ``None`` if unknown."""
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return None
    _, by_domain, _ = _outlets()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        hit = by_domain.get(".".join(parts[i:]))
        if hit:
            return hit
    return None


def outlet_from_chrome(chrome: list[str]) -> str | None:
    """The outlet named by the page's chrome (header lines and dropped blocks)."""
    by_name, _, known = _outlets()
    counts: Counter[str] = Counter()
    for text in chrome:
        for m in known.finditer(text):
            counts[by_name[m.group().casefold()]] += 1
    if counts:
        return counts.most_common(1)[0][0]
    for text in chrome:
        for pat in (*_PATTERNS, _COPYRIGHT):
            m = pat.search(text.strip())
            if m and len(m.group("n").split()) <= 5:
                return canonical_outlet(m.group("n"))
    return _repeated_site_name(chrome)


def _repeated_site_name(chrome: list[str]) -> str | None:
    """A short capitalised chrome line (a site name in the header) named again in other chrome."""
    for i, text in enumerate(chrome[:8]):
        name = text.strip()
        if not (1 <= len(name.split()) <= 4 and _PERSON_OR_NAME.match(name)):
            continue
        if any(name in other for j, other in enumerate(chrome) if j != i):
            return canonical_outlet(name)
    return None


def date_from_header(blocks: list[Block]) -> str | None:
    """ISO date of the first full date stated in the page header blocks, else ``None``."""
    for b in blocks:
        text = b.text
        if len(text) > 120:
            continue
        m = _ISO.search(text)
        if m:
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DOTTED.search(text)
        if m:
            return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _DMY.search(text)
        if m:
            return _iso(int(m.group(3)), _MONTH_NUM[m.group(2).lower()], int(m.group(1)))
        m = _MDY.search(text)
        if m:
            return _iso(int(m.group(3)), _MONTH_NUM[m.group(1).lower()], int(m.group(2)))
    return None


def _iso(y: int, m: int, d: int) -> str | None:
    if 1 <= m <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def author_from_chrome(chrome: list[str], outlet: str | None) -> str | None:
    """A person named by a byline ("By Jane Roe", "Author: ...") or an author bio."""
    for text in chrome:
        m = _BYLINE.match(text.strip())
        if m:
            name = m.group("n").strip(" .,")
            if _is_person(name, outlet):
                return name
    for text in chrome:
        m = _BIO_NAME.match(text.strip())
        if m and _is_person(m.group("n"), outlet):
            return m.group("n")
    return None


def _is_person(name: str, outlet: str | None) -> bool:
    if not _PERSON.match(name) or _NOT_PERSON.search(name):
        return False
    if outlet and outlet.casefold() in name.casefold():
        return False
    _, _, known = _outlets()
    return not known.search(name)


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    """lingua detector, built once, restricted to languages this domain's news comes in."""
    from lingua import Language, LanguageDetectorBuilder

    langs = [
        Language.ENGLISH, Language.RUSSIAN, Language.UKRAINIAN, Language.KAZAKH, Language.GERMAN,
        Language.FRENCH, Language.SPANISH, Language.PORTUGUESE, Language.ITALIAN, Language.POLISH,
        Language.TURKISH, Language.ARABIC, Language.CHINESE, Language.KOREAN, Language.JAPANESE,
        Language.DUTCH, Language.ROMANIAN, Language.PERSIAN,
    ]
    # Low-accuracy mode (trigram models only) is several times faster and is reliable on the
    # paragraph-length samples given here; it is not meant for single words.
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None``.

    A 300-character sample (from the body's start) is enough for paragraph-length prose, and
    lingua's cost grows steeply with the sample's length.
    """
    sample = text[:300]
    if sum(c.isalpha() for c in sample) < 20:
        return None
    lang = _detector().detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang else None
