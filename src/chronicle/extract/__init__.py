"""Extract stage: entities, events and claims from a cleaned, parsed document.

``EXTRACTORS`` is the ordered list of components the default pipeline runs; each takes a
:class:`~chronicle.model.Document` whose ``nlp_doc`` holds the spaCy parse of ``body``.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from chronicle.extract.claims import extract_claims
from chronicle.extract.entities import extract_entities
from chronicle.extract.events import extract_events

EXTRACTORS = [
    ("entities", extract_entities),
    ("events", extract_events),
    ("claims", extract_claims),
]


class _CallableModule(types.ModuleType):
    # ``chronicle.extract`` is both this sub-package and the API function ``chronicle.extract()``;
    # once the sub-package is imported it shadows the function on the parent package, so the
    # module itself forwards calls to the API.
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from chronicle.api import extract

        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
