"""Paragraph fingerprints in the database, for the cleaner's cross-document boilerplate signal.

Implements the clean stage's ``FingerprintIndex`` protocol (``chronicle.clean.boilerplate``):
``document_count(outlet, fingerprint)`` and ``add(outlet, document_hash, fingerprints)``.

The cleaner calls ``add`` while cleaning, before the document is stored. Writing then would leave
fingerprints of a document that a crash never stored, so ``add`` only buffers; the store writes a
document's fingerprints in that document's own transaction (:meth:`flush`). Counts include the
buffered ones, so documents cleaned in the same batch already see each other. Outlets compare as
the cleaner's ``outlet_key`` says (case and punctuation ignored).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, func, select

from chronicle.clean.boilerplate import outlet_key
from chronicle.store.schema import paragraph_fingerprints as fp


class DbFingerprintIndex:
    """FingerprintIndex over the ``paragraph_fingerprints`` table (plus a pending buffer)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # document_hash -> (outlet, fingerprints) not yet written.
        self._pending: dict[str, tuple[str, set[str]]] = {}
        # (outlet, fingerprint) -> document hashes pending.
        self._pending_docs: dict[tuple[str, str], set[str]] = defaultdict(set)

    def document_count(self, outlet: str, fingerprint: str) -> int:
        """Distinct documents of ``outlet`` containing ``fingerprint`` (stored or pending)."""
        outlet = outlet_key(outlet)
        with self.engine.connect() as conn:
            stored = set(
                conn.execute(
                    select(fp.c.document_hash).where(
                        fp.c.outlet == outlet, fp.c.fingerprint == fingerprint
                    )
                ).scalars()
            )
        return len(stored | self._pending_docs.get((outlet, fingerprint), set()))

    def add(self, outlet: str, document_hash: str, fingerprints: Iterable[str]) -> None:
        """Record that ``document_hash`` of ``outlet`` contains ``fingerprints`` (buffered)."""
        outlet = outlet_key(outlet)
        prints = set(fingerprints)
        _, old = self._pending.get(document_hash, (outlet, set()))
        self._pending[document_hash] = (outlet, old | prints)
        for f in prints:
            self._pending_docs[(outlet, f)].add(document_hash)

    def flush(self, conn: Connection, document_hash: str) -> int:
        """Write the buffered fingerprints of one document on ``conn`` (its transaction)."""
        outlet, prints = self._pending.get(document_hash, ("", set()))
        if not prints:
            return 0
        existing = set(
            conn.execute(
                select(fp.c.fingerprint).where(
                    fp.c.document_hash == document_hash,
                    fp.c.outlet == outlet,
                    fp.c.fingerprint.in_(sorted(prints)),
                )
            ).scalars()
        )
        rows = [
            {"outlet": outlet, "fingerprint": f, "document_hash": document_hash}
            for f in sorted(prints - existing)
        ]
        if rows:
            conn.execute(fp.insert(), rows)
        return len(rows)

    def forget(self, document_hash: str) -> None:
        """Drop a document's buffered fingerprints (after it was stored, or when it failed)."""
        outlet, prints = self._pending.pop(document_hash, ("", set()))
        for f in prints:
            docs = self._pending_docs.get((outlet, f))
            if docs is not None:
                docs.discard(document_hash)
                if not docs:
                    del self._pending_docs[(outlet, f)]

    def count_rows(self) -> int:
        """Number of stored fingerprint rows (for tests and stats)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(fp)).scalar_one())


__all__ = ["DbFingerprintIndex"]
