"""Validate the event corpus (``corpus/data/*.jsonl``) and print its counts.

Usage: ``python corpus/check.py [FILE ...]`` (default: every file under ``corpus/data``).
Prints one ``path:line: reason`` per problem and exits 1 when any record is invalid.
Stdlib only, so annotators can run it before the package is installed.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

TYPES_MODES: dict[str, set[str]] = {
    "AGREE": set(), "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(), "CONCEDE": set(), "COOPERATE": set(), "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia", "recruit"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
               "withhold", "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                "firearms", "explosives", "suicide-attack", "aerial", "drone",
                "heavy-weapons", "crowd-control", "unconventional"},
}  # fmt: skip
FACTUALITY = {"asserted", "negated", "possible", "future", "generic", "historical", "alleged"}
FORMS = {"active", "passive", "nominal", "relative", "headline", "lede", "dateline",
         "reported", "list", "adjectival"}  # fmt: skip
STYLES = {"wire", "local", "ngo", "court", "translated"}
ROOT = Path(__file__).resolve().parent


def _occurrence(text: str, needle: str, index: int) -> int:
    """Start of the ``index``-th occurrence of ``needle`` as a whole word, or -1."""
    start, seen = 0, -1
    while True:
        pos = text.find(needle, start)
        if pos < 0:
            return -1
        before = text[pos - 1] if pos else " "
        after = text[pos + len(needle)] if pos + len(needle) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            seen += 1
            if seen == index:
                return pos
        start = pos + 1


def check_event(sentence: str, ev: dict) -> list[str]:
    errs = []
    typ, mode = ev.get("type"), ev.get("mode", "")
    if typ not in TYPES_MODES:
        return [f"unknown type {typ!r}"]
    if mode and mode not in TYPES_MODES[typ]:
        errs.append(f"mode {mode!r} not allowed for {typ}")
    if TYPES_MODES[typ] and not mode:
        errs.append(f"{typ} needs a mode")
    if ev.get("factuality") not in FACTUALITY:
        errs.append(f"factuality {ev.get('factuality')!r} not in {sorted(FACTUALITY)}")
    if ev.get("form") not in FORMS:
        errs.append(f"form {ev.get('form')!r} not in {sorted(FORMS)}")
    trig = ev.get("trigger")
    if not isinstance(trig, str) or not trig or " " in trig.strip():
        errs.append(f"trigger {trig!r} must be one word")
    elif _occurrence(sentence, trig, int(ev.get("trigger_index", 0))) < 0:
        errs.append(f"trigger {trig!r} (index {ev.get('trigger_index', 0)}) not in sentence")
    for role in ("actor", "recipient"):
        val = ev.get(role)
        if val is not None and (not isinstance(val, str) or val not in sentence):
            errs.append(f"{role} {val!r} is not a substring of the sentence")
    return errs


def check_file(path: Path, counts: Counter) -> list[str]:
    problems = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            doc = json.loads(line)
        except ValueError as exc:
            problems.append(f"{where}: not JSON ({exc})")
            continue
        if not isinstance(doc.get("id"), str):
            problems.append(f"{where}: no id")
        if doc.get("style") not in STYLES:
            problems.append(f"{where}: style {doc.get('style')!r} not in {sorted(STYLES)}")
        paras = doc.get("paragraphs")
        if not isinstance(paras, list) or not paras:
            problems.append(f"{where}: paragraphs must be a non-empty list")
            continue
        counts["documents"] += 1
        for para in paras:
            for sent in para:
                text = sent.get("text", "")
                if not text.strip():
                    problems.append(f"{where}: empty sentence")
                    continue
                events = sent.get("events", [])
                counts["sentences"] += 1
                if not events:
                    counts["event_free_sentences"] += 1
                for ev in events:
                    for err in check_event(text, ev):
                        problems.append(f"{where}: {text[:50]!r}: {err}")
                    counts["mentions"] += 1
                    counts[f"type:{ev.get('type')}"] += 1
                    counts[f"mode:{ev.get('type')}/{ev.get('mode', '')}"] += 1
                    counts[f"factuality:{ev.get('factuality')}"] += 1
                    counts[f"form:{ev.get('form')}"] += 1
        counts[f"style:{doc.get('style')}"] += 1
    return problems


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted((ROOT / "data").glob("*.jsonl"))
    counts: Counter = Counter()
    problems = []
    for f in files:
        problems.extend(check_file(f, counts))
    for p in problems:
        print(p)
    for key in sorted(counts):
        print(f"{key}\t{counts[key]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
