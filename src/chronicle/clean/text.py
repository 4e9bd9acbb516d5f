"""Plain-text cleaning: which lines of a scraped page are the article, and which are chrome.

The text comes from a scraper that kept the whole page: menus and slogans above the headline,
bylines and photo credits around it, donation boxes, bios and teasers of other stories after it.
The classifier works in four passes over the lines (blocks):

1. every block gets its chrome signal, if any (``signals.chrome_reason``) and its repetition count
   across the outlet's other documents (``boilerplate``);
2. the article starts at the first prose paragraph; the headline is the nearest title-like line
   above it (so a site slogan or a donation call higher up is not taken for it);
3. after the article has begun, a *tail* marker ("Read more", "Related", a donation header, a bio,
   a share row...) ends it; prose after the end is kept again only when two consecutive paragraphs
   clearly belong to the headline's story (an inline box in the middle of an article);
4. teaser detection: trailing blocks whose words do not belong to the story told so far are cut,
   and inline "Related materials" runs inside a paragraph are cut out of it.
"""

from __future__ import annotations

import re

from chronicle.clean.assemble import Block, split_blocks
from chronicle.clean.signals import (
    Lexicon,
    chrome_reason,
    collapse,
    is_dateline,
    is_final_label,
    is_prose,
    is_tail_label,
    stopword_ratio,
    words,
)

# Teaser detection: share of a trailing block's content words that occur in the story so far.
TEASER_MIN_OVERLAP = 0.34
# Resuming after a tail marker needs two clean prose paragraphs this tied to the story (mean
# share of content words already used, and the least for either of them).
RESUME_MIN_OVERLAP = 0.3
RESUME_MIN_EACH = 0.2
# Above this share of recurring paragraphs a document is a near-duplicate, not chrome.
NEAR_DUPLICATE_SHARE = 0.5
# Never cut the body below this many prose paragraphs by teaser detection.
MIN_BODY_PARAGRAPHS = 2
# How many trailing groups the teaser pass examines.
MAX_TEASER_GROUPS = 3
# A trailing paragraph with no teaser headline must share fewer words than this to be cut.
ORPHAN_MAX_OVERLAP = 0.12
# Signals that may sit inside an article without ending it (captions, ad slots, ad labels).
INLINE_REASONS = (
    "photo-credit/credit-line", "ad-id", "dateline", "link-like", "empty", "related-link",
)

_TIMESTAMP = re.compile(r"\d{1,2}\s?:\s?\d{2}\s*[–—-]\s*\w+(?:\s\d{1,2})?")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»]?\s+")


def stem(word: str) -> str:
    """A crude stem: lower case, possessive dropped, cut to six letters (Ukraine ~ Ukrainian)."""
    w = word.lower().replace("’", "'").removesuffix("'s")
    return w[:6] if len(w) > 6 else w.rstrip("s")


def content_stems(text: str, lex: Lexicon) -> set[str]:
    """Content-word stems of ``text`` (function words and very short words removed)."""
    return {stem(w) for w in words(text) if len(w) > 2 and w.lower() not in lex.stopwords}


def overlap(text: str, story: set[str], lex: Lexicon) -> float:
    """Share of ``text``'s content stems that the story already used."""
    mine = content_stems(text, lex)
    if not mine:
        return 0.0
    return len(mine & story) / len(mine)


def _title_like(b: Block, lex: Lexicon) -> bool:
    tokens = words(b.text)
    return 3 <= len(tokens) <= 30 and len(b.text) <= 250 and not is_dateline(b.text)


def _dek_like(b: Block, lex: Lexicon) -> bool:
    tokens = words(b.text)
    return len(tokens) >= 12 and stopword_ratio(tokens, lex) >= 0.3


def find_headline(blocks: list[Block], body_start: int, lex: Lexicon) -> int | None:
    """Index of the headline: the nearest title-like, non-chrome line above the first paragraph.

    Captions sometimes sit between headline and text; a headline rarely ends with a full stop,
    so among the few nearest candidates the first one without a final "." wins.
    """
    candidates = [
        i for i in range(body_start - 1, -1, -1)
        if blocks[i].reason == "body" and _title_like(blocks[i], lex)
    ][:3]
    if len(candidates) >= 2 and candidates[1] == candidates[0] - 1:
        near, above = blocks[candidates[0]], blocks[candidates[1]]
        if _dek_like(near, lex) and len(words(above.text)) < len(words(near.text)):
            return candidates[1]  # the nearest line is a standfirst under a shorter headline
    for i in candidates:
        if not blocks[i].text.rstrip().endswith("."):
            return i
    return candidates[0] if candidates else None


def split_inline_related(block: Block, lex: Lexicon) -> list[Block]:
    """Cut a "Related materials 00:01 – October 3 <headline>…" run out of a paragraph.

    The run starts at the marker, spans the time-stamped teaser items, and ends at the first
    sentence that continues the article (a pronoun or connective opener, ``continuation.txt``),
    or after at most two sentences past the last item.
    """
    m = lex.inline_related.search(block.text)
    if not m:
        return [block]
    after = block.text[m.end():]
    stamps = list(_TIMESTAMP.finditer(after))
    if not stamps and m.start() > 0:
        return [block]
    tail_from = stamps[-1].end() if stamps else 0
    cut = len(after)
    pos = tail_from
    for n_sent, sm in enumerate(_SENTENCE_END.finditer(after, tail_from)):
        nxt = after[sm.end():].lower()
        pos = sm.end()
        if any(nxt.startswith(c + " ") for c in lex.continuation) or n_sent >= 1:
            cut = pos
            break
    run_end = block.start + m.end() + cut
    pieces: list[Block] = []
    if m.start() > 0:
        pieces.append(Block(block.start, block.start + m.start(), block.text[: m.start()].rstrip()))
    run = Block(block.start + m.start(), run_end, block.text[m.start(): m.end() + cut])
    run.drop("inline-related-teasers")
    pieces.append(run)
    if run_end < block.end:
        rest = Block(run_end, block.end, block.text[m.end() + cut:])
        rest.joins_previous = bool(pieces and pieces[0].kept)
        pieces.append(rest)
    for p in pieces:  # keep offsets exact after stripping
        stripped = p.text.strip()
        lead = len(p.text) - len(p.text.lstrip())
        p.start += lead
        p.end = p.start + len(stripped)
        p.text = stripped
    return [p for p in pieces if p.text]


def classify(raw: str, lex: Lexicon, repeated: dict[int, int] | None = None,
             title_hint: str | None = None) -> tuple[list[Block], int | None]:
    """Classify the lines of ``raw``; returns the blocks and the index of the headline block."""
    blocks = split_blocks(raw)
    for b in blocks:
        reason = chrome_reason(b.text, lex)
        if reason:
            b.drop(reason)
    prose = [i for i, b in enumerate(blocks) if b.kept and is_prose(b.text, lex)]
    if not prose:
        return blocks, _hinted_title(blocks, title_hint)
    start = prose[0]
    head = _hinted_title(blocks, title_hint)
    if head is None or head > start:
        head = find_headline(blocks, start, lex)
    for i in range(start):
        if i == head:
            blocks[i].drop("headline")
        elif blocks[i].kept and not _standfirst(blocks[i], lex, head, i):
            blocks[i].drop("before-article" if head is None or i < head else "header-meta")
    story0 = _story(blocks, head, lex)
    _end_at_tail(blocks, start, lex, set(story0))
    _drop_repeated(blocks, repeated or {}, lex)
    blocks = [p for b in blocks for p in (split_inline_related(b, lex) if b.kept else [b])]
    _cut_teasers(blocks, story0, lex)
    return blocks, head


def _drop_repeated(blocks: list[Block], repeated: dict[int, int], lex: Lexicon) -> None:
    """Drop kept blocks that recur in other documents of the outlet (boilerplate).

    When most of the article's own paragraphs recur, the document is a near-duplicate of one
    already seen (a re-published or updated version), not chrome: then only non-sentence blocks
    are dropped, so a second copy keeps the same body as the first.
    """
    prose = [i for i, b in enumerate(blocks) if b.kept and is_prose(b.text, lex)]
    near_duplicate = len([i for i in prose if i in repeated]) > NEAR_DUPLICATE_SHARE * len(prose)
    for i, n in repeated.items():
        b = blocks[i]
        if b.kept and not (near_duplicate and is_prose(b.text, lex)):
            b.drop(f"repeated-in-{n}-other-documents-of-outlet")


def _hinted_title(blocks: list[Block], title: str | None) -> int | None:
    if not title:
        return None
    want = collapse(title).casefold()
    for i, b in enumerate(blocks[:40]):
        if collapse(b.text).casefold() == want:
            return i
    return None


def _standfirst(b: Block, lex: Lexicon, head: int | None, i: int) -> bool:
    """A sentence-like summary between headline and text is part of the article."""
    return head is not None and i > head and len(words(b.text)) >= 8 and (
        stopword_ratio(words(b.text), lex) >= 0.25
    )


def _story(blocks: list[Block], head: int | None, lex: Lexicon) -> set[str]:
    text = blocks[head].text if head is not None else ""
    return content_stems(text, lex)


def _end_at_tail(blocks: list[Block], start: int, lex: Lexicon, story: set[str]) -> None:
    """Drop everything after the first tail marker, unless the article clearly resumes."""
    ended = False
    final = False  # after a comment-thread heading the article never resumes
    kept_prose = 0
    for i in range(start, len(blocks)):
        b = blocks[i]
        if not b.kept:
            if kept_prose and _ends_article(b, lex):
                ended = True
                final = final or is_final_label(b.text, lex)
            continue
        if ended:
            if not final and _resumes(blocks, i, lex, story):
                ended = False
            else:
                b.drop("after-article-end")
                continue
        if is_prose(b.text, lex):
            kept_prose += 1
        story |= content_stems(b.text, lex)


def _ends_article(b: Block, lex: Lexicon) -> bool:
    """A dropped block after which the article is over (unless it clearly resumes).

    Navigation labels end it only when they head what follows an article ("Read more",
    "Related", "Comments"); "Advertisement", "Photo" or "Video" sit inside articles.
    """
    if b.reason == "nav-label":
        return is_tail_label(b.text, lex) or is_final_label(b.text, lex)
    return b.reason not in INLINE_REASONS


def _resumes(blocks: list[Block], i: int, lex: Lexicon, story: set[str]) -> bool:
    nxt = [b for b in blocks[i: i + 3] if b.kept]
    if len(nxt) < 2 or not all(is_prose(b.text, lex) for b in nxt[:2]):
        return False
    scores = [overlap(b.text, story, lex) for b in nxt[:2]]
    return min(scores) >= RESUME_MIN_EACH and sum(scores) / 2 >= RESUME_MIN_OVERLAP


def proper_stems(text: str) -> set[str]:
    """Stems of capitalised words that do not open a sentence: the names a paragraph is about."""
    out: set[str] = set()
    for m in _CAPITALISED.finditer(text):
        before = text[: m.start()].rstrip()
        if before and before[-1] not in ".!?:“\"«(—–-":
            out.add(stem(m.group()))
    return out


def _cut_teasers(blocks: list[Block], story0: set[str], lex: Lexicon) -> None:
    """Cut trailing groups that tell another story than the headline's.

    A teaser glued after an article is a title-like line followed by a blurb: such a trailing
    group is cut when few of its content words (< ``TEASER_MIN_OVERLAP``) were used by the story.
    A trailing paragraph without such a headline is cut only when it names at least two people or
    places the story never mentioned and shares almost no words with it (``ORPHAN_MAX_OVERLAP``).
    """
    for _ in range(MAX_TEASER_GROUPS):
        kept = [i for i, b in enumerate(blocks) if b.kept]
        if not kept:
            return
        last = kept[-1]
        if not is_prose(blocks[last].text, lex):
            text = blocks[last].text.rstrip()
            if (len(kept) > MIN_BODY_PARAGRAPHS and _title_like(blocks[last], lex)
                    and not text.endswith((".", "!", "?", "…", ".”", ".\"", ":"))):
                blocks[last].drop("trailing-heading")
                continue
            return
        group = [last]
        if len(kept) > 1 and kept[-2] == last - 1 and not is_prose(blocks[last - 1].text, lex):
            group.insert(0, last - 1)
        earlier = [i for i in kept if i < group[0]]
        if sum(1 for i in earlier if is_prose(blocks[i].text, lex)) < MIN_BODY_PARAGRAPHS:
            return
        story = set(story0)
        names: set[str] = set()
        for i in earlier:
            story |= content_stems(blocks[i].text, lex)
            names |= proper_stems(blocks[i].text)
        text = " ".join(blocks[i].text for i in group)
        score = overlap(text, story, lex)
        new_names = proper_stems(text) - names - story0
        headed = len(group) == 2
        if headed and score < TEASER_MIN_OVERLAP:
            why = f"teaser(headline + blurb of another story, overlap {score:.2f})"
        elif score < ORPHAN_MAX_OVERLAP and len(new_names) >= 2 and not (
            proper_stems(text) & (names | story0)
        ):
            why = f"teaser(unrelated names, overlap {score:.2f})"
        else:
            return
        for i in group:
            blocks[i].drop(why)
