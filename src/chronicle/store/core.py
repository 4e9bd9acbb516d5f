"""``Store``: the database as a Python object (ingest, add, query, search, export).

Every document is written in its own transaction, identified by its content hash, so re-ingesting
adds nothing and a killed ingest leaves only whole documents. The pipeline's components run
guarded: one document that makes a stage fail is reported as a failure and the batch goes on.
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError

from chronicle.ingest import IngestError, ReadOptions, documents_of_file, iter_files
from chronicle.model import Document, content_hash
from chronicle.store import queries
from chronicle.store.db import make_engine, migrate, resolve_url, write_transaction
from chronicle.store.fingerprints import DbFingerprintIndex
from chronicle.store.fts import fulltext_for
from chronicle.store.progress import IngestProgress
from chronicle.store.records import (
    IngestReport,
    SearchHit,
    StoredClaim,
    StoredDocument,
    StoredEntity,
    StoredEvent,
)
from chronicle.store.schema import documents, metadata
from chronicle.store.writer import write_document

if TYPE_CHECKING:
    from chronicle.pipeline import Component, Pipeline

ErrorCallback = Callable[[IngestError], None]


class Store:
    """A Chronicle database (SQLite file by default, any SQLAlchemy URL such as PostgreSQL)."""

    def __init__(self, url: str | os.PathLike[str] | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = make_engine(self.url)
        migrate(self.engine)
        self.fulltext = fulltext_for(self.engine.dialect.name)
        self.fingerprints = DbFingerprintIndex(self.engine)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # --- writing -------------------------------------------------------------------------------

    def has_document(self, content_hash: str) -> bool:
        """True when a document with this content hash is stored."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(documents.c.id).where(documents.c.content_hash == content_hash)
            ).first()
        return found is not None

    def pipeline(self, failures: dict[int, str]) -> Pipeline:
        """The ingest pipeline: the cleaner fed by this database's fingerprints, every stage
        guarded so that a failing component marks its document in ``failures`` (by id)."""
        # Imported here: the pipeline pulls in spaCy, which query-only uses never need.
        from chronicle.clean import clean_document
        from chronicle.pipeline import Pipeline, default_extractors

        cleaner = functools.partial(clean_document, fingerprints=self.fingerprints)
        return Pipeline(
            cleaners=[("clean", _guard("clean", cleaner, failures))],
            extractors=[(n, _guard(n, c, failures)) for n, c in default_extractors()],
        )

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        n_process: int = 1,
        progress: bool = True,
        on_error: ErrorCallback | None = None,
        options: ReadOptions | None = None,
    ) -> IngestReport:
        """Read, process and store every document under ``paths`` (files or directories).

        Documents already stored (same content hash) are counted, not processed again. Bad files
        and records are counted in ``failed`` and passed to ``on_error`` as they happen.
        """
        started = time.monotonic()
        report = IngestReport()
        if isinstance(paths, str | os.PathLike):  # one path, not an iterable of characters
            paths = [paths]

        def fail(error: IngestError) -> None:
            report.failed.append((error.path, error.reason))
            if on_error:
                on_error(error)

        files = list(iter_files(paths, fail))
        report.files = len(files)
        failures: dict[int, str] = {}
        with IngestProgress(len(files), enabled=progress) as bar:
            fresh = _Fresh(self, files, fail, report, bar, options)
            stream = iter(fresh)
            first = next(stream, None)  # all stored already: skip loading the spaCy model
            done: Iterable[Document] = ()
            if first is not None:
                todo = itertools.chain([first], stream)
                done = self.pipeline(failures).pipe(todo, n_process=n_process)
            for doc in done:
                fresh.pending -= 1
                reason = failures.pop(id(doc), None)
                if reason is not None:
                    self.fingerprints.forget(content_hash(doc.raw_text))
                    fail(IngestError(doc.source, reason))
                elif (reason := self._store_one(doc, report)) is not None:
                    fail(IngestError(doc.source, reason))
                bar.update(fresh.file_of.pop(id(doc), 0), report)
            bar.update(len(files), report)
        if report.new:  # the link stage: new documents against what is stored (chronicle.link)
            from chronicle.link.relink import link_after_ingest

            link_after_ingest(self, report)
        report.seconds = time.monotonic() - started
        return report

    def add_documents(self, docs: Iterable[Document]) -> IngestReport:
        """Store already processed Documents (no pipeline run); duplicates are skipped."""
        report = IngestReport()
        started = time.monotonic()
        for doc in docs:
            if (reason := self._store_one(doc, report)) is not None:
                report.failed.append((doc.source, reason))
        report.seconds = time.monotonic() - started
        return report

    def _store_one(self, doc: Document, report: IngestReport) -> str | None:
        """Store one document in one transaction; the reason if it failed, else None."""
        digest = content_hash(doc.raw_text)
        try:
            with write_transaction(self.engine) as conn:  # the whole document or nothing
                write_document(conn, doc, digest, self.fulltext)
                self.fingerprints.flush(conn, digest)
        except IntegrityError:
            # Stored meanwhile (the same text twice in one batch, or a concurrent ingest).
            if not self.has_document(digest):
                raise
            report.duplicates += 1
        except DataError as exc:  # a value this database cannot hold: this document only
            return f"database rejected it ({str(exc.orig).splitlines()[0]})"
        else:
            report.new += 1
        finally:
            self.fingerprints.forget(digest)
        return None

    # --- reading -------------------------------------------------------------------------------

    def events(
        self,
        type: str | None = None,
        country: str | None = None,
        entity: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """Stored events, oldest first, each with the sources that reported it."""
        filters = {"type": type, "country": country, "entity": entity}
        with self.engine.connect() as conn:
            return queries.query_events(conn, limit, since=since, until=until, **filters)

    def event(self, event_id: int) -> StoredEvent | None:
        """One event by id (``None`` when there is none)."""
        with self.engine.connect() as conn:
            found = queries.query_events(conn, 1, id=event_id)
        return found[0] if found else None

    def entities(self, type: str | None = None) -> list[StoredEntity]:
        """Corpus entities (optionally of one type), most widely mentioned first."""
        with self.engine.connect() as conn:
            return queries.query_entities(conn, type)

    def claims(self, metric: str | None = None) -> list[StoredClaim]:
        """Stored claims (optionally of one metric)."""
        with self.engine.connect() as conn:
            return queries.query_claims(conn, metric)

    def documents(self, limit: int | None = None) -> list[StoredDocument]:
        """Stored documents, in ingest order."""
        with self.engine.connect() as conn:
            return queries.query_documents(conn, limit)

    def search(self, q: str, limit: int = 10) -> list[SearchHit]:
        """Full-text search over titles and bodies, best first, with snippets."""
        with self.engine.connect() as conn:
            return queries.query_search(conn, self.fulltext, q, limit)

    def counts(self) -> dict[str, int]:
        """Row count of every table of the 0001 schema."""
        with self.engine.connect() as conn:
            return {
                name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in metadata.tables.items()
            }

    def to_pandas(self, kind: str = "events") -> Any:
        """A pandas DataFrame of ``events``, ``entities``, ``claims`` or ``documents``."""
        from chronicle.store.export import frame

        return frame(self, kind)


def _guard(name: str, component: Component, failures: dict[int, str]) -> Component:
    # Runs one pipeline component; an exception marks the document as failed instead of ending
    # the whole batch (the generator of a pipeline cannot resume after an exception).
    def run(doc: Document) -> Document:
        if id(doc) in failures:
            return doc
        try:
            return component(doc)
        except Exception as exc:  # any bug in one stage must not stop the batch
            failures[id(doc)] = f"{name} failed ({type(exc).__name__}: {exc})"
            return doc

    return run


class _Fresh:
    """The documents of ``files`` not stored yet, in order; counts duplicates as it goes.

    Tracks which file each yielded document came from and how many are still inside the
    pipeline, so the progress bar can count a file done once its documents are stored.
    """

    def __init__(self, store: Store, files: list[Path], fail, report, bar, options) -> None:
        self.store, self.files, self.fail = store, files, fail
        self.report, self.bar, self.options = report, bar, options
        self.pending = 0
        self.file_of: dict[int, int] = {}

    def __iter__(self) -> Iterator[Document]:
        seen: set[str] = set()
        for index, path in enumerate(self.files):
            for doc in documents_of_file(path, self.fail, self.options):
                digest = content_hash(doc.raw_text)
                if digest in seen or self.store.has_document(digest):
                    self.report.duplicates += 1
                    continue
                seen.add(digest)
                self.pending += 1
                self.file_of[id(doc)] = index
                yield doc
            if self.pending == 0:  # nothing of earlier files is still in the pipeline
                self.bar.update(index + 1, self.report)
