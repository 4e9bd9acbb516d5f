"""The annotated event corpus: schema, validation, the train/held-out split and spaCy documents.

One JSON line per document (schema in ``corpus/README.md``): paragraphs of sentences, each with
its event mentions (one-word trigger, PLOVER type and mode, factuality, actor/recipient spans,
syntactic form). ``check_file`` validates records; ``load`` reads them; ``to_docs`` turns them into
spaCy ``Doc`` objects whose tokens carry the gold labels in ``Token._.event_trigger`` (type),
``Token._.event_mode`` and ``Token._.event_factuality`` ("" = not annotated, so the mode and
factuality heads learn on trigger tokens only).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES_MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(), "SUPPORT": frozenset(), "CONCEDE": frozenset(),
    "COOPERATE": frozenset(), "AID": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct",
                          "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia", "recruit"}),
    "COERCE": frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest",
                         "deport", "withhold", "misinformation", "cyber"}),
    "ASSAULT": frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy",
                          "primitive", "firearms", "explosives", "suicide-attack", "aerial",
                          "drone", "heavy-weapons", "crowd-control", "unconventional"}),
}  # fmt: skip
FACTUALITY = ("asserted", "negated", "possible", "future", "generic", "historical", "alleged")
FORMS = frozenset({"active", "passive", "nominal", "relative", "headline", "lede", "dateline",
                   "reported", "list", "adjectival"})  # fmt: skip
STYLES = frozenset({"wire", "local", "ngo", "court", "translated"})
OUTSIDE = "O"  # the trigger label of a token that names no event
HELD_OUT_SHARE = 5  # one document in five (by a hash of its id) is never trained on


@dataclass
class Mention:
    """One annotated event mention, with character offsets into its document's text."""

    type: str
    mode: str
    factuality: str
    form: str
    trigger: tuple[int, int]
    actor: tuple[int, int] | None = None
    recipient: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        return f"{self.type}/{self.mode}" if self.mode else self.type


@dataclass
class CorpusDoc:
    """One corpus document: its text (paragraphs joined by blank lines) and its mentions."""

    id: str
    style: str
    text: str
    mentions: list[Mention] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) per sentence

    @property
    def held_out(self) -> bool:
        return is_held_out(self.id)


def is_held_out(doc_id: str) -> bool:
    """Whether a document belongs to the held-out 20 % (fixed by its id, never by chance)."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % HELD_OUT_SHARE == 0


def word_at(text: str, needle: str, index: int = 0) -> int:
    """Start of the ``index``-th whole-word occurrence of ``needle`` in ``text``, or -1."""
    start, seen = 0, -1
    while True:
        pos = text.find(needle, start)
        if pos < 0:
            return -1
        end = pos + len(needle)
        before_ok = pos == 0 or not text[pos - 1].isalnum()
        after_ok = end >= len(text) or not text[end].isalnum()
        if before_ok and after_ok:
            seen += 1
            if seen == index:
                return pos
        start = pos + 1


def check_event(sentence: str, ev: Any) -> list[str]:
    """Problems with one event annotation of ``sentence`` (empty when it is valid)."""
    if not isinstance(ev, dict):
        return ["an event must be an object"]
    typ, mode = ev.get("type"), ev.get("mode") or ""
    if typ not in TYPES_MODES:
        return [f"unknown type {typ!r}"]
    errs = []
    if mode and mode not in TYPES_MODES[typ]:
        errs.append(f"mode {mode!r} not allowed for {typ}")
    if TYPES_MODES[typ] and not mode:
        errs.append(f"{typ} needs a mode")
    if ev.get("factuality") not in FACTUALITY:
        errs.append(f"factuality {ev.get('factuality')!r} not in {list(FACTUALITY)}")
    if ev.get("form") not in FORMS:
        errs.append(f"form {ev.get('form')!r} not in {sorted(FORMS)}")
    trig = ev.get("trigger")
    index = ev.get("trigger_index", 0)
    if not isinstance(trig, str) or not trig.strip() or " " in trig.strip():
        errs.append(f"trigger {trig!r} must be one word")
    elif not isinstance(index, int) or word_at(sentence, trig, index) < 0:
        errs.append(f"trigger {trig!r} (occurrence {index}) is not a word of the sentence")
    for role in ("actor", "recipient"):
        val = ev.get(role)
        if val is not None and (not isinstance(val, str) or not val or val not in sentence):
            errs.append(f"{role} {val!r} is not a substring of the sentence")
    return errs


def check_record(doc: Any) -> list[str]:
    """Problems with one corpus record (a parsed JSON line)."""
    if not isinstance(doc, dict):
        return ["a record must be an object"]
    errs = []
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        errs.append("no id")
    if doc.get("style") not in STYLES:
        errs.append(f"style {doc.get('style')!r} not in {sorted(STYLES)}")
    paras = doc.get("paragraphs")
    if not isinstance(paras, list) or not paras:
        return [*errs, "paragraphs must be a non-empty list"]
    for para in paras:
        if not isinstance(para, list) or not para:
            errs.append("a paragraph must be a non-empty list of sentences")
            continue
        for sent in para:
            text = sent.get("text") if isinstance(sent, dict) else None
            if not isinstance(text, str) or not text.strip():
                errs.append("a sentence needs a non-empty text")
                continue
            events = sent.get("events", [])
            if not isinstance(events, list):
                errs.append(f"{text[:40]!r}: events must be a list")
                continue
            errs.extend(f"{text[:40]!r}: {e}" for ev in events for e in check_event(text, ev))
    return errs


def read_records(path: Path) -> Iterator[tuple[int, Any, list[str]]]:
    """``(line number, record, problems)`` for each non-empty line of a corpus file."""
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            yield n, None, [f"not JSON ({exc})"]
            continue
        yield n, rec, check_record(rec)


def build(rec: dict[str, Any]) -> CorpusDoc:
    """A validated record as one text with character offsets for every mention."""
    parts: list[str] = []
    mentions: list[Mention] = []
    sentences: list[tuple[int, int]] = []
    pos = 0
    for p, para in enumerate(rec["paragraphs"]):
        if p:
            parts.append("\n\n")
            pos += 2
        for s, sent in enumerate(para):
            if s:
                parts.append(" ")
                pos += 1
            text = sent["text"]
            sentences.append((pos, pos + len(text)))
            for ev in sent.get("events", []):
                start = word_at(text, ev["trigger"], ev.get("trigger_index", 0))
                mentions.append(Mention(
                    type=ev["type"], mode=ev.get("mode") or "", factuality=ev["factuality"],
                    form=ev["form"], trigger=(pos + start, pos + start + len(ev["trigger"])),
                    actor=_span(text, ev.get("actor"), pos),
                    recipient=_span(text, ev.get("recipient"), pos),
                ))  # fmt: skip
            parts.append(text)
            pos += len(text)
    return CorpusDoc(id=rec["id"], style=rec["style"], text="".join(parts), mentions=mentions,
                     sentences=sentences)  # fmt: skip


def _span(sentence: str, phrase: str | None, offset: int) -> tuple[int, int] | None:
    if not phrase:
        return None
    start = sentence.find(phrase)
    return (offset + start, offset + start + len(phrase)) if start >= 0 else None


def load(paths: Iterable[Path]) -> tuple[list[CorpusDoc], list[str]]:
    """Every valid document in ``paths`` (files or folders of ``*.jsonl``), and the problems."""
    docs, problems, seen = [], [], set()
    for path in _files(paths):
        for n, rec, errs in read_records(path):
            if not errs and rec["id"] in seen:
                errs = [f"duplicate id {rec['id']!r}"]
            if errs:
                problems.extend(f"{path}:{n}: {e}" for e in errs)
                continue
            seen.add(rec["id"])
            docs.append(build(rec))
    return docs, problems


def _files(paths: Iterable[Path]) -> list[Path]:
    out = []
    for p in paths:
        out.extend(sorted(p.glob("*.jsonl")) if p.is_dir() else [p])
    return out


def counts(docs: Iterable[CorpusDoc]) -> Counter:
    """Documents, sentences, mentions and their break-down by type, mode, factuality and form."""
    c: Counter = Counter()
    for d in docs:
        c["documents"] += 1
        c[f"style:{d.style}"] += 1
        c["sentences"] += len(d.sentences)
        busy = {i for m in d.mentions for i, (s, e) in enumerate(d.sentences)
                if s <= m.trigger[0] < e}  # fmt: skip
        c["event_free_sentences"] += len(d.sentences) - len(busy)
        for m in d.mentions:
            c["mentions"] += 1
            c[f"type:{m.type}"] += 1
            c[f"mode:{m.label}"] += 1
            c[f"factuality:{m.factuality}"] += 1
            c[f"form:{m.form}"] += 1
    return c


def to_docs(nlp: Any, docs: Iterable[CorpusDoc]) -> Iterator[Any]:
    """spaCy docs tokenised by ``nlp`` with the gold labels on ``Token._``: the PLOVER type
    (``O`` on every other token), and on trigger tokens only the type/mode and the factuality."""
    from chronicle.extract.learned.components import register_extensions

    register_extensions()
    for cd in docs:
        doc = nlp.make_doc(cd.text)
        for tok in doc:
            tok._.event_trigger = OUTSIDE
            tok._.event_mode = ""
            tok._.event_factuality = ""
        for m in cd.mentions:
            span = doc.char_span(*m.trigger, alignment_mode="expand")
            if span is None or not len(span):
                continue
            head = span[-1]  # "air-strike" split by the tokenizer: the last piece names it
            head._.event_trigger = m.type
            head._.event_mode = m.label
            head._.event_factuality = m.factuality
        yield doc
