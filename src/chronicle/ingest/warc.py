"""WARC reader (``.warc``, ``.warc.gz``): one Document per HTML response record.

Web archives such as Common Crawl's news crawl hold every fetched resource. Only ``response``
records with a 2xx status and an HTML content type become articles; redirects, errors, images,
scripts, request and metadata records are skipped (counted, not reported as errors). The record's
target URI and WARC-Date become the Document's ``url`` and ``meta['fetched']``: a fetch date is not
a publication date, so ``published`` is left to the clean stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from chronicle.ingest.decode import IngestFailure, decode_bytes
from chronicle.ingest.registry import IngestError, ReadOptions, register_reader
from chronicle.model import Document

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html_response(record) -> bool:  # warcio's ArcWarcRecord
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    return status.startswith("2") and any(t in ctype for t in _HTML_TYPES)


@register_reader(".warc", ".warc.gz", ".arc", ".arc.gz")
def read_warc_file(path: Path, options: ReadOptions) -> Iterator[Document | IngestError]:
    """Documents of every HTML response in a WARC file; a bad record does not lose the rest."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise IngestFailure(f"unreadable ({exc.strerror or exc})") from exc
    with stream:
        try:
            for index, record in enumerate(ArchiveIterator(stream, arc2warc=True)):
                if not _is_html_response(record):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{path}#{index}"
                try:
                    html = decode_bytes(record.content_stream().read(), html=True)
                except IngestFailure as exc:
                    yield IngestError(f"{where} ({uri})", str(exc))
                    continue
                yield Document(
                    source=uri or where,
                    raw_text=html,
                    url=uri or None,
                    format="html",
                    meta={"warc_file": str(path), "warc_record": index,
                          "fetched": record.rec_headers.get_header("WARC-Date")},
                )
        except ArchiveLoadFailed as exc:
            raise IngestFailure(f"not a readable WARC file ({exc})") from exc
        except Exception as exc:  # warcio raises assorted types (AttributeError...) on bad input
            raise IngestFailure(f"corrupt WARC record ({type(exc).__name__}: {exc})") from exc
