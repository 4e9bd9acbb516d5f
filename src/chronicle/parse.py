"""The spaCy parse of cleaned bodies, made safe for hostile text.

Between cleaning and extraction the pipeline parses every body with spaCy. Three things here keep
one strange document from hanging the parse or costing the other documents of its batch:

- **Caps before spaCy** (:func:`cap_body`). spaCy's tokenizer strips prefix and suffix characters
  one at a time, each time searching the rest of the string again, so a run of thousands of
  closing brackets, ``»`` or ``$`` costs it minutes. A whitespace-free run longer than
  ``MAX_TOKEN_CHARS`` (a base64 blob, a minified script, 10,000 brackets) becomes spaces; a
  shorter run of more than ``MAX_PUNCT_RUN`` punctuation characters keeps its first
  ``MAX_PUNCT_RUN``; then a line of at least ``MIN_DATA_LINE`` characters that is still mostly
  punctuation (a JSON record, code: data, not prose) becomes spaces. Characters are replaced one
  for one, never removed, so every body offset still maps to the same raw offset; each change is
  said in ``Document.warnings``.
- **A sentence cap inside spaCy** (:func:`cap_sentences`, added before the parser): a stretch of
  ``MAX_SENT_TOKENS`` tokens with no sentence-ending punctuation and no line break gets a
  sentence start, so that no "sentence" is thousands of tokens long (extraction reads each
  sentence's tree many times). Prose never has such a stretch, so ordinary parses do not change.
- **Chunks** (:func:`chunk_bounds`): a body longer than ``CHUNK_CHARS`` is parsed in pieces cut at
  paragraph or line breaks and joined with ``Doc.from_docs``. Nothing is inserted between the
  pieces, so the joined text is the body again and every offset is kept (the token vectors are
  dropped: nothing downstream reads them). spaCy's ``max_length`` (1,000,000 characters, error
  E088) is never reached, parser memory stays bounded, and reading more pieces stops when half
  of the document's time budget is spent (said in its warnings).

Ordinary bodies go through ``nlp.pipe`` in batches as before. If a batch fails, its documents
are parsed one by one and only the one that fails is left unparsed (``nlp_doc`` None, the
reason in its warnings); the rest of the stream goes on.
"""

from __future__ import annotations

import logging
import re
import time
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from chronicle.model import Document

log = logging.getLogger(__name__)

# A whitespace-free run longer than this is not a word: it becomes spaces.
MAX_TOKEN_CHARS = 256
# Punctuation characters in a row kept as they are; the rest of the run becomes spaces.
MAX_PUNCT_RUN = 16
# A line at least this long that is mostly punctuation (JSON, code, a table of symbols) is data,
# not prose: it becomes spaces. Prose lines are under 20% punctuation.
MIN_DATA_LINE = 1_000
DATA_SHARE = 0.4
# Tokens in a row without a sentence end or a line break before a sentence start is forced.
MAX_SENT_TOKENS = 256
# Bodies longer than this are parsed in chunks of at most this many characters.
CHUNK_CHARS = 20_000
# Where a chunk may end, best first: a blank line, a line break, a sentence end, any space.
_CUTS = (re.compile(r"\n[^\S\n]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"”’»)]*\s+"),
         re.compile(r"\s+"))  # fmt: skip
_TOKEN = re.compile(r"\S+")
_PUNCT_CHAR = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s")
_PUNCT = re.compile(rf"(?:[^\w\s]|_){{{MAX_PUNCT_RUN + 1},}}")
_BREAK_TEXT = {".", "!", "?", ";", "…", "•"}
CAP_COMPONENT = "chronicle_sentence_cap"
_FORCED = "chronicle.forced_sentence_starts"  # how many, in the parse's user_data


def cap_body(doc: Document) -> Document:
    """Blank over-long tokens, the tail of long punctuation runs and then data lines in
    ``doc.body`` (same length, so offsets stay), saying so in ``doc.warnings``."""
    if not doc.body:
        return doc
    cuts: list[tuple[int, int]] = []  # body ranges that become spaces, in order
    tokens = runs = 0
    first_token = first_run = None
    for m in _TOKEN.finditer(doc.body):
        start, end = m.span()
        if end - start <= MAX_PUNCT_RUN:
            continue
        if end - start > MAX_TOKEN_CHARS:
            cuts.append((start, end))
            tokens += 1
            first_token = first_token or (start, end - start)
            continue
        for run in _PUNCT.finditer(doc.body, start, end):
            cuts.append((run.start() + MAX_PUNCT_RUN, run.end()))
            runs += 1
            first_run = first_run or (run.start(), run.end() - run.start())
    doc.body = _blank(doc.body, cuts)
    data = _data_lines(doc.body)  # judged after the runs above are cut
    doc.body = _blank(doc.body, data)
    if tokens:
        at, length = first_token  # type: ignore[misc]
        doc.warn(f"body: {_count(tokens, 'whitespace-free run')} longer than {MAX_TOKEN_CHARS} "
                 f"characters blanked before parsing (first: {length:,} characters at {at:,})")
    if runs:
        at, length = first_run  # type: ignore[misc]
        doc.warn(f"body: {_count(runs, 'punctuation run')} cut to {MAX_PUNCT_RUN} characters "
                 f"before parsing, the rest blanked (first: {length:,} characters at {at:,})")
    if data:
        at, end = data[0]
        doc.warn(f"body: {_count(len(data), 'line')} of data, not prose (over "
                 f"{DATA_SHARE:.0%} punctuation), blanked before parsing (first: "
                 f"{end - at:,} characters at {at:,})")
    return doc


def _blank(text: str, cuts: list[tuple[int, int]]) -> str:
    """``text`` with each ``[start, end)`` of ``cuts`` (in order, disjoint) made spaces."""
    if not cuts:
        return text
    parts, pos = [], 0
    for start, end in cuts:
        parts += [text[pos:start], " " * (end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _data_lines(body: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the lines of at least ``MIN_DATA_LINE`` characters that are at
    least ``DATA_SHARE`` punctuation (of their non-space characters)."""
    out = []
    pos = 0
    while pos < len(body):
        end = body.find("\n", pos)
        end = len(body) if end < 0 else end
        if end - pos >= MIN_DATA_LINE:
            solid = end - pos - len(_SPACE.findall(body, pos, end))
            if solid and len(_PUNCT_CHAR.findall(body, pos, end)) >= DATA_SHARE * solid:
                out.append((pos, end))
        pos = end + 1
    return out


def _count(n: int, what: str) -> str:
    return f"1 {what}" if n == 1 else f"{n:,} {what}s"


def _breaks_after(tok: Any) -> bool:
    text = tok.text
    return (text[-1] in _BREAK_TEXT if text else False) or "\n" in text or "\n" in tok.whitespace_


@Language.component(CAP_COMPONENT)
def cap_sentences(sdoc: Doc) -> Doc:
    """Force a sentence start after ``MAX_SENT_TOKENS`` tokens with no possible sentence end."""
    last = forced = 0
    for tok in sdoc:
        if tok.i - last >= MAX_SENT_TOKENS:
            tok.is_sent_start = True
            last = tok.i
            forced += 1
        if _breaks_after(tok):
            last = tok.i + 1
    if forced:
        sdoc.user_data[_FORCED] = forced
    return sdoc


def _warn_forced(doc: Document, parts: list[Doc]) -> None:
    forced = sum(p.user_data.get(_FORCED, 0) for p in parts)
    if forced:
        doc.warn(f"body: {_count(forced, 'sentence start')} forced after {MAX_SENT_TOKENS} "
                 f"tokens without a sentence end or line break")


def prepare_nlp(nlp: Language) -> Language:
    """Add the sentence cap before the parser (once)."""
    if CAP_COMPONENT not in nlp.pipe_names:
        where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe(CAP_COMPONENT, **where)
    return nlp


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` pieces of ``text`` of at most ``size`` characters, each ending after
    whitespace where there is any (a blank line if possible), together covering ``text``."""
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        end = 0
        for cut in _CUTS:
            # the last place to cut in the second half of the window
            for m in cut.finditer(text, start + size // 2, limit):
                end = m.end() if m.end() <= limit else m.start() + 1
            if end:
                break
        if end <= start:
            end = limit  # no whitespace at all in half a window: cut anywhere
        out.append((start, end))
        start = end
    out.append((start, len(text)))
    return out


def join_docs(parts: list[Doc]) -> Doc:
    """One ``Doc`` of consecutive chunk parses, its text their texts run together. Token and span
    annotations are joined by spaCy; per-token arrays kept on the ``Doc`` itself by components
    (``Doc._.x = (labels, array with a row per token)``, as the learned event reader keeps its
    probabilities) are joined here, since ``Doc.from_docs`` leaves ``Doc._`` values out."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W101\]")  # the Doc._ values: below
        # and the per-chunk counters kept in user_data: the document's warnings already say so
        warnings.filterwarnings("ignore", message=r"\[W102\]")
        joined = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])
    names = {k[1] for k in parts[0].user_data if _doc_extension(k)}
    for name in names:
        values = [p.user_data.get(("._.", name, None, None)) for p in parts]
        if all(_rows(v, len(p)) for v, p in zip(values, parts, strict=True)) and all(
            list(v[0]) == list(values[0][0]) for v in values
        ):
            rows = numpy.concatenate([numpy.asarray(v[1]) for v in values])
            joined.user_data[("._.", name, None, None)] = (values[0][0], rows)
    return joined


def _doc_extension(key: Any) -> bool:
    return isinstance(key, tuple) and len(key) == 4 and key[0] == "._." and key[2:] == (None, None)


def _rows(value: Any, n_tokens: int) -> bool:
    """A ``(labels, array)`` pair with one row per token."""
    return (isinstance(value, tuple) and len(value) == 2
            and getattr(value[1], "shape", (None,))[0] == n_tokens)  # fmt: skip


class Parser:
    """Parses the bodies of a stream of documents, in input order (see the module notes)."""

    def __init__(self, nlp: Language, batch_size: int = 32, n_process: int = 1,
                 budget: float | None = None) -> None:  # fmt: skip
        self.nlp = prepare_nlp(nlp)
        self.batch_size, self.n_process, self.budget = batch_size, n_process, budget
        self.failures: dict[int, str] = {}  # why a document's parse failed, by its number

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Yield each document of ``docs`` with ``nlp_doc`` set (None when its parse failed);
        ``deadline`` is set for long documents, whose parse counts against their budget."""
        waiting: deque[tuple[int, Document]] = deque()  # long bodies, parsed in their turn
        short: dict[int, Document] = {}  # in the parse stream (only numbers go to spaCy, so
        # worker processes never copy a document)

        def short_ones() -> Iterator[tuple[str, int]]:
            for seq, doc in enumerate(docs):
                cap_body(doc)
                if len(doc.body) > CHUNK_CHARS:
                    waiting.append((seq, doc))
                else:
                    short[seq] = doc
                    yield doc.body, seq

        for parsed, seq in self._safe_pipe(short_ones()):
            while waiting and waiting[0][0] < seq:
                yield self._parse_long(waiting.popleft()[1])
            doc = short.pop(seq)
            if parsed is None:
                doc.warn(f"parse failed ({self.failures.pop(seq, 'unknown error')}); "
                         f"nothing extracted")
            else:
                _warn_forced(doc, [parsed])
            doc.nlp_doc = parsed
            yield doc
        while waiting:
            yield self._parse_long(waiting.popleft()[1])

    def _safe_pipe(self, items: Iterator[tuple[str, int]]) -> Iterator[tuple[Doc | None, int]]:
        """``nlp.pipe`` over ``(text, number)`` items; when it fails (or leaves one out), the
        items it had taken and not returned are parsed one at a time, and the stream goes on."""
        in_flight: deque[tuple[str, int]] = deque()

        def tracked() -> Iterator[tuple[str, int]]:
            for item in items:
                in_flight.append(item)
                yield item

        while True:
            try:
                for parsed, seq in self.nlp.pipe(tracked(), as_tuples=True,
                                                 batch_size=self.batch_size,
                                                 n_process=self.n_process):  # fmt: skip
                    while in_flight and in_flight[0][1] != seq:  # left out by spaCy
                        text, skipped = in_flight.popleft()
                        yield self._parse_one(text, skipped), skipped
                    in_flight.popleft()
                    yield parsed, seq
                while in_flight:  # taken but never returned
                    text, skipped = in_flight.popleft()
                    yield self._parse_one(text, skipped), skipped
                return
            except Exception as exc:  # one document's failure must not cost the others
                log.warning("parse batch failed (%s: %s); parsing its documents one by one",
                            type(exc).__name__, exc)  # fmt: skip
                while in_flight:
                    text, seq = in_flight.popleft()
                    yield self._parse_one(text, seq), seq

    def _parse_one(self, text: str, seq: int) -> Doc | None:
        try:
            return self.nlp(text)
        except Exception as exc:
            self.failures[seq] = f"{type(exc).__name__}: {exc}"
            return None

    def _parse_long(self, doc: Document) -> Document:
        """Parse a long body chunk by chunk and join the chunks into one ``Doc``."""
        started = time.monotonic()
        if self.budget is not None:
            doc.deadline = started + self.budget
        bounds = chunk_bounds(doc.body)
        parts: list[Doc] = []
        for start, end in bounds:
            if parts and self.budget is not None and time.monotonic() - started > self.budget / 2:
                doc.warn(f"parse stopped at character {start:,} of {len(doc.body):,} after "
                         f"{time.monotonic() - started:.1f} s (half of the {self.budget:g} s time "
                         f"budget); the rest of the body was not read")
                break
            part = self._parse_one(doc.body[start:end], -1)
            if part is None:
                doc.warn(f"parse failed at character {start:,} ({self.failures.pop(-1)}); "
                         f"the rest of the body was not read")
                break
            parts.append(part)
        if not parts:
            doc.nlp_doc = None
            return doc
        _warn_forced(doc, parts)
        try:
            doc.nlp_doc = parts[0] if len(parts) == 1 else join_docs(parts)
        except Exception as exc:
            doc.warn(f"parse failed ({type(exc).__name__}: {exc}); nothing extracted")
            doc.nlp_doc = None
            return doc
        if len(parts) > 1 and not doc.body.startswith(doc.nlp_doc.text):
            doc.warn("parse failed (chunks did not join back into the body); nothing extracted")
            doc.nlp_doc = None
        return doc
