"""DbFingerprintIndex: the cleaner's FingerprintIndex protocol over the database."""

from __future__ import annotations

from chronicle.clean.boilerplate import FingerprintIndex
from chronicle.model import Document
from chronicle.store import Store


def _doc(text: str) -> Document:
    return Document(source="x", raw_text=text, body=text)


def test_counts_buffer_until_the_document_is_stored(store_url: str) -> None:
    with Store(store_url) as store:
        index: FingerprintIndex = store.fingerprints
        one, two = _doc("first article"), _doc("second article")
        index.add("The Daily", one.content_hash, ["f-donate", "f-a"])
        index.add("the daily!", two.content_hash, ["f-donate", "f-b"])  # same outlet key
        # Pending documents count for the batch being cleaned ...
        assert index.document_count("The Daily", "f-donate") == 2
        assert index.document_count("Other", "f-donate") == 0
        assert store.fingerprints.count_rows() == 0  # ... but nothing is written yet
        store.add_documents([one])  # written in the document's own transaction
        assert store.fingerprints.count_rows() == 2
        assert index.document_count("THE DAILY", "f-donate") == 2
        store.fingerprints.forget(two.content_hash)  # e.g. the second document failed
        assert index.document_count("The Daily", "f-donate") == 1
        assert index.document_count("The Daily", "f-b") == 0
        # Adding the same document again adds no rows.
        index.add("The Daily", one.content_hash, ["f-donate", "f-c"])
        with store.engine.begin() as conn:
            assert store.fingerprints.flush(conn, one.content_hash) == 1
        assert store.fingerprints.count_rows() == 3
