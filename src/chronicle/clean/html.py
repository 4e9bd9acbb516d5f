"""HTML cleaning: trafilatura's main text, then Chronicle's chrome filter over its paragraphs.

trafilatura (text output with its metadata header) gives the main content one paragraph, heading,
list item or table row per line, plus title, site name, author and date (via htmldate). Over that
output Chronicle drops what trafilatura let through: the headline repeated as first paragraph,
navigation labels, "Related"/"Read more" lists, newsletter and donation boxes, credits
and notices (``signals.chrome_reason``). When trafilatura returns too little, a recall-oriented
second pass and then a plain tag-stripping fallback take over. Bad or truncated HTML never raises.

Offsets (an approximation): the body is trafilatura's text, which is not a verbatim slice of the
markup (tags and entities sit between its words). Each paragraph is located in the raw HTML by
searching, from the end of the previous paragraph, for the paragraph itself, else for its first
words, else for its first word; a paragraph that cannot be found is placed at the previous
paragraph's end. Body offsets therefore map to the right region of the page, in document order,
and always inside the raw text, but not always to the exact character.
"""

from __future__ import annotations

import html as html_lib
import re
from configparser import ConfigParser
from dataclasses import dataclass
from functools import lru_cache

from chronicle.clean.assemble import Block, assemble
from chronicle.clean.signals import (
    Lexicon,
    chrome_reason,
    collapse,
    is_label,
    is_prose,
    is_tail_label,
    lexicon,
)
from chronicle.model import Document

# Chrome signals applied to trafilatura's output. Captions, credits, datelines, links and legal
# notices are left in: on real pages they are often inside the article (tweets, reprint notes),
# and trafilatura already removed the page's own header and footer.
HTML_REASONS = (
    "headline", "nav-label", "related-list", "related-link", "appeal", "byline", "hashtag",
    "ad-id", "social", "author-bio", "outlet-blurb", "machine-value",
)
# A list of at least this many non-sentence lines after the article is another story list.
MIN_TAIL_RUN = 3
# Below this many characters of kept text the extraction is considered to have failed.
MIN_BODY_CHARS = 250
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_BLOCK_END = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|section|article|blockquote)\b[^>]*>", re.I)


@dataclass
class Piece:
    """One paragraph-level element of trafilatura's output."""

    tag: str
    text: str


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    """trafilatura's default settings, but dates only from the page's markup and URL: the
    extensive search guesses from any date-like text, which could present a guess as fact."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


def _trafilatura(html: str, *, with_metadata: bool = True, **options: object) -> str | None:
    import trafilatura

    try:
        return trafilatura.extract(
            html, include_comments=False, with_metadata=with_metadata, config=_config(),
            **options,
        )
    except Exception:  # trafilatura/lxml on broken markup: fall back rather than fail the batch
        return None


def parse_pieces(output: str | None) -> tuple[list[Piece], dict[str, str]]:
    """Paragraph pieces and the metadata header of trafilatura's text output.

    With ``with_metadata`` the text starts with a ``---``-fenced ``key: value`` header. Every
    following line is one paragraph, heading, list item ("- ...") or table row ("| ... |").
    """
    if not output:
        return [], {}
    meta: dict[str, str] = {}
    text = output
    if output.startswith("---\n"):
        end = output.find("\n---\n", 4)
        if end > 0:
            for line in output[4:end].splitlines():
                key, sep, value = line.partition(": ")
                if sep and value.strip() and value.strip() != "None":
                    meta[key.strip()] = value.strip()
            text = output[end + 5:]
    pieces = []
    for line in text.splitlines():
        line = collapse(line)
        if line:
            tag = "row" if line.startswith("|") else "item" if line.startswith("- ") else "p"
            pieces.append(Piece(tag, line))
    return pieces, meta


def filter_pieces(
    pieces: list[Piece], title: str | None, lex: Lexicon, precise: set[str] | None = None
) -> list[tuple[Piece, str]]:
    """Chronicle's chrome filter over trafilatura's output: each piece with keep/drop reason.

    ``precise`` is the set of lines of trafilatura's ``favor_precision`` pass; lines outside its
    span that are not sentences (menus above the article, lists and comment threads below it) are
    dropped (see :func:`_outside_precise_core`).
    """
    out: list[tuple[Piece, str]] = []
    in_list = False  # inside a "Related"/"Read more" list of other stories
    want_title = collapse(title).casefold() if title else None
    for i, p in enumerate(pieces):
        reason = None
        if i < 3 and want_title and p.text.casefold() == want_title:
            reason = "headline"
        elif is_tail_label(p.text, lex) or is_label(p.text, lex):
            reason = "nav-label"
            in_list = is_tail_label(p.text, lex)
        else:
            reason = chrome_reason(p.text, lex)
            if reason and not reason.startswith(HTML_REASONS):
                reason = None
            prose = is_prose(p.text, lex)
            if in_list and not prose:
                reason = reason or "related-list"
            elif prose:
                in_list = False
        out.append((p, reason or "body"))
    if precise:
        _outside_precise_core(out, precise, lex)
    return out


def _outside_precise_core(out: list[tuple[Piece, str]], precise: set[str], lex: Lexicon) -> None:
    """Drop non-sentence lines that trafilatura's precision pass also left out, at the edges.

    Before the first line both passes agree on, such lines are menus, kickers and headlines; after
    the last one, a run of at least ``MIN_TAIL_RUN`` of them is a list of other stories or a
    comment thread. A lone trailing line (a copyright, a reprint note) is left alone.
    """
    common = [i for i, (p, _) in enumerate(out) if p.text in precise]
    if not common:
        return
    doubtful = [
        i for i, (p, r) in enumerate(out)
        if r == "body" and p.text not in precise and not is_prose(p.text, lex)
    ]
    head = [i for i in doubtful if i < common[0]]
    tail = [i for i in doubtful if i > common[-1]]
    if head:  # sentences above the last such line sit among the menus (teasers, kickers)
        head = sorted({*head, *(
            i for i, (p, r) in enumerate(out[: head[-1]]) if r == "body" and p.text not in precise
        )})
    for i in head:
        out[i] = (out[i][0], "outside-precise-core(before article)")
    if len(tail) >= MIN_TAIL_RUN:
        # The list's own blurbs (sentences between its headlines) go with it.
        blurbs = [
            i for i, (p, r) in enumerate(out)
            if i > tail[0] and r == "body" and p.text not in precise
        ]
        for i in sorted({*tail, *blurbs}):
            out[i] = (out[i][0], "outside-precise-core(list after article)")


def _fallback_text(html: str) -> list[Piece]:
    """Last resort: the page's text with tags stripped, one piece per block element."""
    text = _BLOCK_END.sub("\n", _SCRIPT.sub(" ", html))
    text = html_lib.unescape(_TAG.sub(" ", text))
    return [Piece("p", collapse(ln)) for ln in text.split("\n") if collapse(ln)]


def locate(raw: str, texts: list[str]) -> list[int]:
    """Approximate raw offsets of ``texts`` (in order) in the markup; see the module docstring."""
    pos = 0
    out: list[int] = []
    for t in texts:
        hit = -1
        for probe in (t, " ".join(t.split()[:6]), t.split()[0] if t.split() else ""):
            if probe:
                hit = raw.find(probe, pos)
                if hit < 0:
                    hit = raw.find(html_lib.escape(probe, quote=False), pos)
            if hit >= 0:
                break
        start = hit if hit >= 0 else pos
        out.append(min(start, len(raw)))
        pos = min(start + 1, len(raw)) if hit >= 0 else pos
    return out


def extract_pieces(html: str) -> tuple[list[tuple[Piece, str]], dict[str, str]]:
    """trafilatura + chrome filter, with the recall pass and tag-stripping fallbacks."""
    lex = lexicon()
    pieces, meta = parse_pieces(_trafilatura(html))
    precise = _trafilatura(html, with_metadata=False, favor_precision=True) if pieces else None
    precise_lines = {p.text for p in parse_pieces(precise)[0]}
    judged = filter_pieces(pieces, meta.get("title"), lex, precise_lines)
    if sum(len(p.text) for p, r in judged if r == "body") < MIN_BODY_CHARS:
        more, meta2 = parse_pieces(_trafilatura(html, favor_recall=True))
        judged2 = filter_pieces(more, meta.get("title") or meta2.get("title"), lex)
        if _kept_len(judged2) > _kept_len(judged):
            judged, meta = judged2, {**meta2, **meta}
    if _kept_len(judged) < MIN_BODY_CHARS // 5:
        judged2 = [(p, chrome_reason(p.text, lex) or "fallback-text") for p in _fallback_text(html)]
        if _kept_len(judged2) > _kept_len(judged):
            judged = judged2
    return judged, meta


def _kept_len(judged: list[tuple[Piece, str]]) -> int:
    return sum(len(p.text) for p, r in judged if r in ("body", "fallback-text"))


def clean_html(doc: Document) -> Document:
    """Fill body, offsets, decisions and metadata of an HTML document."""
    judged, meta = extract_pieces(doc.raw_text)
    starts = locate(doc.raw_text, [p.text for p, _ in judged])
    blocks: list[Block] = []
    for (p, reason), start in zip(judged, starts, strict=True):
        b = Block(start, min(start + len(p.text), len(doc.raw_text)), p.text)
        if reason not in ("body", "fallback-text"):
            b.drop(reason)
        blocks.append(b)
    assemble(doc, blocks)
    doc.title = doc.title or meta.get("title")
    doc.outlet = doc.outlet or meta.get("sitename")
    doc.author = doc.author or meta.get("author")
    doc.url = doc.url or meta.get("url")
    if doc.published is None:
        doc.published = meta.get("date") or _htmldate(doc.raw_text)
    return doc


def _htmldate(html: str) -> str | None:
    """Publication date by htmldate from the page's markup only (no guessing from the clock)."""
    from htmldate import find_date

    try:
        return find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate on broken markup: the date is unknown, not an error
        return None
