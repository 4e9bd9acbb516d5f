"""Hostile inputs: generated texts of the shapes that once hung or broke the pipeline.

Used by ``chronicle bench --hostile N`` (:mod:`chronicle.evaluate.bench_hostile`) and by the
fuzz test. Each generator takes a seeded ``random.Random`` and a size scale (1.0 for the bench;
the test passes less) and returns the text of one input file and its suffix. The shapes are the
ones of issue 14 and their relatives: runs of capitalised words (the dateline pattern), a huge
token before a count, runs of closing brackets, ``»`` or ``$``, nested JSON on one line, deep
brackets, very long "sentences" without punctuation, long runs of spaces, thousands of numbers,
dates, names, pronouns, legal sentences and events (quadratic merging), bodies far over spaCy's
``max_length``, markup nested thousands deep, and random Unicode and bytes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

Generated = tuple[str, str]  # (text, file suffix)

_CAPS = ["NATIONAL", "SECURITY", "COMMITTEE", "SPECIAL", "FORCES", "STATE", "BORDER", "GUARD",
         "INTERIOR", "MINISTRY", "POLICE", "DEPARTMENT", "A.", "B", "(KAZINFORM)", "U.S."]
_CITIES = ["Almaty", "Bishkek", "Osh", "Moscow", "Tashkent", "Dushanbe", "Astana", "Kazan"]
_NAMES = ["Ivan Petrov", "Natalia Sekerina", "Polat Dzhamalov", "Aliya Nurova", "Sergei Lapushkin",
          "Bakyt Osmonov", "Azat Peruashev", "Olga Ivanova"]  # fmt: skip
_VERBS = ["detained", "arrested", "sentenced", "fined", "charged", "attacked", "criticised",
          "released", "questioned", "searched"]  # fmt: skip
_PUNCT = [")", "]", "}", "»", "$", '"', "”", "(", "«", "#", "*", ".", "-", "!", "?", "'", "/"]


def _size(rng: random.Random, scale: float, lo: int, hi: int) -> int:
    return max(1, int(rng.randint(lo, hi) * scale))


def _sentence(rng: random.Random) -> str:
    name, city = rng.choice(_NAMES), rng.choice(_CITIES)
    return (f"Police {rng.choice(_VERBS)} {name} in {city} on Monday, and "
            f"{rng.randint(2, 900)} people were detained, the ministry said.")


def caps_run(rng: random.Random, scale: float) -> Generated:
    words = " ".join(rng.choice(_CAPS) for _ in range(_size(rng, scale, 5, 400)))
    return (f"Arrests\n\nOn Monday, {words} officers detained {rng.randint(2, 99)} protesters "
            f"in {rng.choice(_CITIES)}, police said.\n", ".txt")


def huge_token(rng: random.Random, scale: float) -> Generated:
    alphabet = rng.choice(["a", "abcdefghijklmnopqrstuvwxyz0123456789", "a.", "1", "x-", "Ab"])
    token = "".join(rng.choice(alphabet) for _ in range(_size(rng, scale, 1_000, 60_000)))
    return f"Clashes\n\nOn Monday {token} (5 people were killed) in the city.\n", ".txt"


def punct_run(rng: random.Random, scale: float) -> Generated:
    chars = rng.sample(_PUNCT, rng.randint(1, 4))
    n = _size(rng, scale, 1_000, 40_000)
    sep = rng.choice(["", "", " ", "\u00a0"])
    run = sep.join(rng.choice(chars) for _ in range(n))
    return f"Protest\n\nPolice detained 20 protesters in Almaty {run} on Monday.\n", ".txt"


def nested_json(rng: random.Random, scale: float) -> Generated:
    depth = _size(rng, scale, 50, 4_000)
    if rng.random() < 0.5:
        text = '{"a": ' * depth + json.dumps(_sentence(rng)) + "}" * depth
    else:  # {"k2": {"k1": {"k0": {...}, "l": [0, ...]}, "l": [1, ...]}, "l": [2, ...]}
        inner = json.dumps({"text": _sentence(rng), "n": [1, 2, 3]})
        heads = "".join(f'{{"k{i}": ' for i in reversed(range(depth)))
        tails = "".join(f', "l": [{i}, {{"x": null}}]}}' for i in range(depth))
        text = heads + inner + tails
    return text + "\n", ".txt"


def deep_brackets(rng: random.Random, scale: float) -> Generated:
    n = _size(rng, scale, 500, 20_000)
    open_, close = rng.choice([("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"), ("<b>", "</b>")])
    return f"Report\n\n{open_ * n}{_sentence(rng)}{close * n}\n", ".txt"


def no_punctuation(rng: random.Random, scale: float) -> Generated:
    words = [rng.choice(["police", "detained", "the", "court", "in", rng.choice(_CITIES),
                         rng.choice(_NAMES), "and", "said", str(rng.randint(1, 99))])
             for _ in range(_size(rng, scale, 1_000, 20_000))]  # fmt: skip
    return "Report\n\n" + " ".join(words) + "\n", ".txt"


def space_runs(rng: random.Random, scale: float) -> Generated:
    space = rng.choice([" ", "\u00a0", "\t", " \n", "\u2009", "\u3000"])
    gap = space * _size(rng, scale, 1_000, 30_000)
    parts = [_sentence(rng) for _ in range(3)]
    return "Report\n\n" + gap.join(parts) + gap + "(5 people were killed)\n", ".txt"


def many_numbers(rng: random.Random, scale: float) -> Generated:
    n = _size(rng, scale, 500, 8_000)
    shape = rng.choice(["spaced", "digits", "phone", "money"])
    if shape == "spaced":
        body = " ".join(str(rng.randint(0, 9)) for _ in range(n))
    elif shape == "digits":
        body = "".join(str(rng.randint(0, 9)) for _ in range(n)) + " people were detained"
    elif shape == "phone":
        body = " ".join(f"+7 ({rng.randint(100, 999)}) {rng.randint(100, 999)}-"
                        f"{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                        for _ in range(n // 10 + 1))  # fmt: skip
    else:
        body = " ".join(f"${rng.randint(1, 999)},{rng.randint(100, 999)} and "
                        f"{rng.randint(2, 99)}% of {rng.randint(2, 999)} people"
                        for _ in range(n // 10 + 1))  # fmt: skip
    return f"Figures\n\nThe ministry said {body}.\n", ".txt"


def many_dates(rng: random.Random, scale: float) -> Generated:
    forms = ["May {d}", "{d} June 2023", "on Monday", "last year", "in 2022", "that year",
             "Sept. {d}, 2023", "2023-05-{d:02d}", "two days ago", "mid-August"]
    n = _size(rng, scale, 200, 5_000)
    body = ", ".join(rng.choice(forms).format(d=rng.randint(1, 28)) for _ in range(n))
    return f"Dates\n\nPolice detained Ivan Petrov {body}.\n", ".txt"


def many_events(rng: random.Random, scale: float) -> Generated:
    n = _size(rng, scale, 100, 2_500)
    out = []
    for i in range(n):
        name = f"{rng.choice(_NAMES)}{rng.choice(['', str(i % 50)])}"
        out.append(rng.choice([
            f"Police {rng.choice(_VERBS)} {name} in {rng.choice(_CITIES)} on Monday.",
            f"He was {rng.choice(_VERBS)} by the court on charges of treason.",
            f"A criminal case was opened against {name}.",
            f"The court sentenced {name} to {rng.randint(2, 15)} years in prison.",
            f"{name} faces up to {rng.randint(2, 20)} years, his lawyer said.",
            "They were detained on the same charges.",
            f"Investigators detained an employee of the {rng.choice(_CITIES)} office.",
            f"The governor condemned the shelling of {rng.choice(_CITIES)}.",
        ]))  # fmt: skip
    sep = rng.choice([" ", "\n\n"])
    return "Crackdown\n\n" + sep.join(out) + "\n", ".txt"


def many_names(rng: random.Random, scale: float) -> Generated:
    n = _size(rng, scale, 200, 5_000)
    names = []
    for i in range(n):
        first, last = rng.choice(_NAMES).split()
        names.append(rng.choice([f"{first} {last}{i}", f"{last}{i}", f"the {last} Committee "
                                 f"({last[:2].upper()}{i % 7})", f"{last}ov{i} Region",
                                 f"“{last} Foundation”"]))  # fmt: skip
    return ("Names\n\nThe court in Bishkek named " + ", ".join(names)
            + ", better known as the Russian House.\n", ".txt")


def markup(rng: random.Random, scale: float) -> Generated:
    depth = _size(rng, scale, 500, 20_000)
    tag = rng.choice(["div", "span", "b", "p"])
    inner = f"<p>{_sentence(rng)}</p>"
    attr = "x" * _size(rng, scale, 10, 50_000)
    return (f"<html><head><title>Report</title></head><body><article data-x=\"{attr}\">"
            f"{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}</article></body></html>", ".html")


def long_article(rng: random.Random, scale: float) -> Generated:
    sample = Path(__file__).resolve().parent.parent / "sample"
    paras = [p for f in sorted(sample.glob("*.txt")) for p in f.read_text("utf-8").split("\n")
             if len(p) > 80]  # fmt: skip
    target = _size(rng, scale, 20_000, 1_300_000)
    out, size = [], 0
    while size < target and paras:
        p = rng.choice(paras)
        out.append(p)
        size += len(p) + 2
    return "Long report\n\n" + "\n\n".join(out) + "\n", ".txt"


def unicode_junk(rng: random.Random, scale: float) -> Generated:
    pools = [(0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x400, 0x4FF), (0x590, 0x6FF),
             (0x2000, 0x206F), (0x3000, 0x30FF), (0x1F300, 0x1F6FF), (0xFE00, 0xFE0F)]
    chars = []
    for _ in range(_size(rng, scale, 100, 30_000)):
        lo, hi = rng.choice(pools)
        chars.append(chr(rng.randint(lo, hi)))
    return "Report\n\n" + "".join(chars) + "\n", ".txt"


def mixed(rng: random.Random, scale: float) -> Generated:
    parts = [rng.choice(_PIECES)(rng, scale / 3)[0] for _ in range(rng.randint(2, 5))]
    return "\n\n".join(parts), ".txt"


_PIECES: list[Callable[[random.Random, float], Generated]] = [
    caps_run, huge_token, punct_run, nested_json, deep_brackets, no_punctuation, space_runs,
    many_numbers, many_dates, many_events, many_names, unicode_junk,
]
KINDS: dict[str, Callable[[random.Random, float], Generated]] = {
    f.__name__: f for f in [*_PIECES, markup, long_article, mixed]
}


def generate(n: int, seed: int = 0, scale: float = 1.0) -> Iterator[tuple[str, str, str]]:
    """``n`` hostile inputs, one at a time: ``(name, text, suffix)``, the same for the same
    seed. Every kind comes round in turn; sizes and details are drawn from the seed."""
    rng = random.Random(seed)
    kinds = list(KINDS)
    for i in range(n):
        kind = kinds[i % len(kinds)]
        text, suffix = KINDS[kind](rng, scale)
        yield f"{i:05d}_{kind}", text, suffix
