"""``Store``: the database as a Python object (ingest, add, query, search, export).

Every document is written in its own transaction, identified by its content hash, so re-ingesting
adds nothing and a killed ingest leaves only whole documents. The pipeline's components run
guarded: one document that makes a stage fail is reported as a failure and the batch goes on; so
does one that cannot be written (the reason is reported), and a write that lost a race with
another writer (a PostgreSQL deadlock, SQLite still busy) is retried.

After an ingest, linking runs over every stored document not linked yet (this ingest's, and any
an earlier run failed to link), one process at a time; a linking failure is reported with its
reason and the documents stay pending for the next ingest (or ``chronicle link``).
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, select
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)

from chronicle.ingest import IngestError, ReadOptions, documents_of_file, iter_files
from chronicle.model import Document, content_hash
from chronicle.store import queries
from chronicle.store.db import (
    exclusive,
    is_transient,
    make_engine,
    migrate,
    resolve_url,
    write_transaction,
)
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
from chronicle.store.schema import (
    documents,
    entities,
    entity_mentions,
    event_sources,
    metadata,
)
from chronicle.store.values import clean_text
from chronicle.store.writer import write_document

if TYPE_CHECKING:
    from chronicle.pipeline import Component, Pipeline

ErrorCallback = Callable[[IngestError], None]

# Attempts at one document's write transaction when it fails transiently (deadlock, busy).
WRITE_ATTEMPTS = 5


def document_hash(doc: Document) -> str:
    """The content hash the store files ``doc`` under: that of its raw text as stored (after the
    value policy, which only touches NUL characters and lone surrogates)."""
    return content_hash(clean_text(doc.raw_text))


def _document_error(exc: DBAPIError) -> bool:
    # An "operational" error about this document's values, not the database: PostgreSQL's data
    # exceptions (class 22) and program limits (class 54, e.g. a value too long to index).
    code = getattr(exc.orig, "sqlstate", None) or ""
    return code[:2] in ("22", "54")


def _reason(exc: BaseException) -> str:
    # One short line: the exception type and the first line of its message (a database error's
    # own message, without the SQL statement and parameters SQLAlchemy appends).
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(orig).strip().splitlines()
    text = lines[0] if lines else ""
    text = text if len(text) <= 200 else text[:199] + "…"
    return f"{type(orig).__name__}: {text}" if text else type(orig).__name__


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
            if error.warning:
                report.warnings.append((error.path, error.reason))
            else:
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
                    self.fingerprints.forget(document_hash(doc))
                    fail(IngestError(doc.source, reason))
                elif (reason := self._store_one(doc, report)) is not None:
                    fail(IngestError(doc.source, reason))
                bar.update(fresh.file_of.pop(id(doc), 0), report)
            bar.update(len(files), report)
        # The link stage (chronicle.link): new documents against what is stored, and documents
        # an earlier run stored but failed to link.
        self.link_pending(fail, new=report.new > 0)
        report.seconds = time.monotonic() - started
        return report

    def link_pending(self, on_error: ErrorCallback | None = None, *, new: bool = True) -> bool:
        """Link every stored document not linked yet, one process at a time; True when done.

        A failure goes to ``on_error`` with its reason, and the documents stay pending for the
        next call. With ``new`` false (nothing was stored just now) it only runs when a pending
        document has something to link (an event, a person or an organisation).
        """
        from chronicle.link.relink import link_pending, pending_documents

        if not new and not self._linkable_pending():
            return True
        try:
            with exclusive(self.engine, "link"):
                for attempt in range(3):
                    try:
                        link_pending(self)
                        return True
                    except (IntegrityError, OperationalError) as exc:
                        # Another linker (say `chronicle link`) took some documents meanwhile.
                        if attempt == 2 or not (
                            isinstance(exc, IntegrityError) or is_transient(exc)
                        ):
                            raise
                        time.sleep(0.2 * (attempt + 1))
        except Exception as exc:  # linking must never lose the documents just stored
            try:
                left = f"{len(pending_documents(self))} documents"
            except SQLAlchemyError:
                left = "the new documents"
            if on_error:
                on_error(IngestError("link", f"linking failed ({_reason(exc)}); {left} left"
                                             " unlinked for the next ingest or `chronicle link`"))
        return False

    def _linkable_pending(self) -> bool:
        # Is any unlinked document one with an event, a person or an organisation?
        from chronicle.link.entities import LINKED_TYPES
        from chronicle.link.tables import link_entity_refs, link_event_refs

        doc = documents.c.id
        has_event = exists().where(event_sources.c.document_id == doc)
        has_party = exists().where(
            entity_mentions.c.document_id == doc,
            entity_mentions.c.entity_id == entities.c.id,
            entities.c.type.in_(sorted(LINKED_TYPES)),
        )
        stmt = (
            select(doc)
            .where(
                ~exists().where(link_event_refs.c.document_id == doc),
                ~exists().where(link_entity_refs.c.document_id == doc),
                has_event | has_party,
            )
            .limit(1)
        )
        with self.engine.connect() as conn:
            return conn.execute(stmt).first() is not None

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
        """Store one document in one transaction; the reason if it failed, else None.

        A transient failure (deadlock, database busy) is retried; a value the database refuses,
        or any other error about this document alone, is returned as the reason. Losing the
        database itself (connection gone) raises.
        """
        digest = document_hash(doc)
        try:
            for attempt in range(WRITE_ATTEMPTS):
                try:
                    with write_transaction(self.engine) as conn:  # the whole document or nothing
                        write_document(conn, doc, digest, self.fulltext)
                        self.fingerprints.flush(conn, digest)
                    break
                except OperationalError as exc:
                    if _document_error(exc):
                        return f"database rejected it ({_reason(exc)})"
                    if attempt + 1 == WRITE_ATTEMPTS or not is_transient(exc):
                        raise
                    time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
        except IntegrityError as exc:
            # Stored meanwhile (the same text twice in one batch, or a concurrent ingest).
            if not self.has_document(digest):
                return f"database rejected it ({_reason(exc)})"
            report.duplicates += 1
        except DataError as exc:  # a value this database cannot hold: this document only
            return f"database rejected it ({_reason(exc)})"
        except (OperationalError, InterfaceError):
            raise  # the database is unreachable or still locked: the run cannot go on
        except Exception as exc:  # anything else about this one document
            return f"could not be stored ({_reason(exc)})"
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

    def linking(self) -> Any:
        """The store-wide linking lock: one linker at a time, whatever process it runs in."""
        return exclusive(self.engine, "link")

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
                digest = document_hash(doc)
                if digest in seen or self.store.has_document(digest):
                    self.report.duplicates += 1
                    continue
                seen.add(digest)
                self.pending += 1
                self.file_of[id(doc)] = index
                yield doc
            if self.pending == 0:  # nothing of earlier files is still in the pipeline
                self.bar.update(index + 1, self.report)
