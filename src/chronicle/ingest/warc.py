"""WARC reader (``.warc``, ``.warc.gz``, ARC too): one Document per HTML response record.

Web archives such as Common Crawl's news crawl hold every fetched resource. Only ``response``
records with a 2xx status and an HTML content type become articles; redirects, errors, images,
scripts, request and metadata records are skipped (counted, not reported as errors). The record's
target URI and WARC-Date become the Document's ``url`` and ``meta['fetched']``: a fetch date is not
a publication date, so ``published`` is left to the clean stage.

Hostile archives are read with bounded memory and time:

- gzip is decompressed here, as a stream, whether each record is its own gzip member (the norm) or
  the whole file is one gzip stream; past :data:`MAX_RATIO` times the file's size (and
  :data:`MIN_BUDGET`) the file is refused as a decompression bomb;
- a record's size is checked against its declared ``Content-Length`` before its content is read,
  and its content is never read past :data:`~chronicle.ingest.decode.MAX_RECORD_BYTES`; skipped
  records are drained in small blocks;
- header lines are bounded (:data:`MAX_LINE`, :data:`MAX_HEADER_BYTES`), the HTTP head of a
  response too (:data:`MAX_HTTP_HEAD`), and the HTTP body's transfer and content encodings are
  undone here with the same bound;
- warcio's warnings (a record not followed by a blank line, a target URI with spaces) do not go to
  stderr: they come back as warnings naming the file and the record.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.utils import BUFF_SIZE

from chronicle.ingest.decode import MAX_FILE_BYTES, MAX_RECORD_BYTES, IngestFailure, decode_bytes
from chronicle.ingest.registry import IngestError, ReadOptions, register_reader
from chronicle.model import Document

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTTP = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"], verify=False)
_HEAD_END = re.compile(rb"\r?\n\r?\n")

# Longest header line (WARC, ARC), and most header bytes read line by line in a row.
MAX_LINE = 64 * 1024
MAX_HEADER_BYTES = 1024 * 1024
# Longest HTTP status line plus headers of a response record.
MAX_HTTP_HEAD = 64 * 1024
# A gzipped archive may decompress to this many times its size (plus MIN_BUDGET) and no more.
MAX_RATIO = 100
MIN_BUDGET = 64 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


def _cut(text: str, width: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _Budget:
    """A decompressed stream that refuses to give more than ``budget`` bytes in all."""

    def __init__(self, stream, budget: int, size: int) -> None:
        self.stream, self.budget, self.size, self.total = stream, budget, size, 0

    def read(self, n: int = -1) -> bytes:
        try:
            data = self.stream.read(n if n and n > 0 else BUFF_SIZE)
        except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
            raise IngestFailure(f"corrupt gzip ({_cut(exc) or type(exc).__name__})") from exc
        self.total += len(data)
        if self.total > self.budget:
            raise self.bomb()
        return data

    def tell(self) -> int:
        return self.total

    def bomb(self) -> IngestFailure:
        return IngestFailure(
            f"refused: decompresses to more than {self.budget:,} bytes from a {self.size:,}-byte"
            " file (a decompression bomb?)"
        )


class _LineBoundedReader(BufferedReader):
    """warcio's buffered reader with bounded header lines (a line is read whole otherwise)."""

    def __init__(self, stream) -> None:
        super().__init__(stream, block_size=BUFF_SIZE)
        self.line_bytes = 0  # read by readline since the record started

    def readline(self, length=None):
        cap = MAX_LINE if not length or length > MAX_LINE else length
        line = super().readline(cap)
        self.line_bytes += len(line)
        if len(line) >= MAX_LINE and not line.endswith(b"\n"):
            raise IngestFailure(f"corrupt archive (a header line over {MAX_LINE:,} bytes)")
        if self.line_bytes > MAX_HEADER_BYTES:
            raise IngestFailure(f"corrupt archive (over {MAX_HEADER_BYTES:,} bytes of headers)")
        return line


class _Loader(ArcWarcRecordLoader):
    """warcio's record loader, its target-URI warning kept instead of logged."""

    def __init__(self, warn) -> None:
        super().__init__(verify_http=False, arc2warc=True)
        self.warn = warn

    def _ensure_target_uri_format(self, rec_headers):
        uri = rec_headers.get_header("WARC-Target-URI")
        if uri is not None and uri.startswith("<") and uri.endswith(">"):
            uri = uri[1:-1]
            rec_headers.replace_header("WARC-Target-URI", uri)
        if uri is not None and " " in uri:
            self.warn(f"WARC-Target-URI with spaces ({_cut(uri, 80)}), read with %20 for them")
            uri = uri.replace(" ", "%20")
            rec_headers.replace_header("WARC-Target-URI", uri)
        return uri


class _Records(ArchiveIterator):
    """warcio's iterator over bounded readers; HTTP heads are parsed by the caller (bounded),
    and its warnings are kept, as ``(record index, message)``, instead of written to stderr."""

    def __init__(self, stream) -> None:
        super().__init__(stream, no_record_parse=True, arc2warc=True)
        self.reader = _LineBoundedReader(self.fh)
        self.parsed = 0  # records parsed so far (the index of the one being parsed)
        self.warnings: list[tuple[int, str]] = []
        self.loader = _Loader(lambda message: self.warnings.append((self.parsed, message)))

    def _next_record(self, next_line):
        record = super()._next_record(next_line)
        self.parsed += 1
        return record

    def _consume_blanklines(self):
        # warcio's own, with the warning kept (it would write three lines to stderr).
        empty_size = 0
        first_line = True
        while True:
            line = self.reader.readline()
            if len(line) == 0:
                return None, empty_size
            if len(line.rstrip()) == 0 or first_line:
                empty_size += len(line)
                if len(line.rstrip()) != 0:
                    self.warnings.append((self.parsed - 1, "record not followed by a blank line"
                                          " (its Content-Length may be wrong)"))
                first_line = False
                continue
            return line, empty_size


def _http_head(stream) -> tuple[object, bytes] | None:
    # The parsed HTTP head of a response record and the body bytes read past it; None when the
    # record holds no HTTP response (or one whose head is over MAX_HTTP_HEAD).
    buf = bytearray()
    head, rest = None, b""
    while len(buf) <= MAX_HTTP_HEAD:
        chunk = stream.read(4096)
        if not chunk:
            head = bytes(buf)  # headers only, no body
            break
        buf += chunk
        end = _HEAD_END.search(buf, max(0, len(buf) - len(chunk) - 4))
        if end:
            head, rest = bytes(buf[: end.end()]), bytes(buf[end.end() :])
            break
    if not head:
        return None
    try:
        return _HTTP.parse(io.BytesIO(head)), rest
    except Exception:  # not an HTTP response (dns:, whois:, garbage): not an article
        return None


def _is_html(http) -> bool:
    status = http.get_statuscode() or ""
    ctype = (http.get_header("Content-Type") or "").lower()
    return status.startswith("2") and any(t in ctype for t in _HTML_TYPES)


def _dechunk(data: bytes) -> bytes:
    # Undo chunked transfer encoding; data that is not well-formed chunks is kept as it is
    # (warcio does the same: servers announce chunking and then do not chunk).
    out = bytearray()
    pos = 0
    while True:
        eol = data.find(b"\n", pos)
        if eol < 0:
            return data
        size_text = data[pos:eol].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return data
        if size == 0:
            return bytes(out)
        start = eol + 1
        if size > len(data) - start:  # a truncated last chunk: keep what is there
            return bytes(out + data[start:])
        out += data[start : start + size]
        pos = start + size
        if data[pos : pos + 2] == b"\r\n":
            pos += 2
        elif data[pos : pos + 1] == b"\n":
            pos += 1


def _inflate(data: bytes, encoding: str) -> bytes:
    # Undo a gzip/deflate content encoding, never past MAX_FILE_BYTES of output. Data that does
    # not decompress from its first byte was not compressed after all and is kept as it is.
    attempts = {"gzip": (16 + zlib.MAX_WBITS,), "x-gzip": (16 + zlib.MAX_WBITS,),
                "deflate": (zlib.MAX_WBITS, -zlib.MAX_WBITS)}.get(encoding)
    if attempts is None:
        if encoding in ("", "identity"):
            return data
        raise IngestFailure(f"unsupported content encoding {_cut(encoding, 40)!r}")
    for wbits in attempts:
        try:
            out = zlib.decompressobj(wbits).decompress(data, MAX_FILE_BYTES + 1)
        except zlib.error:
            continue
        if len(out) > MAX_FILE_BYTES:
            raise IngestFailure(f"too large once decompressed (over {MAX_FILE_BYTES:,} bytes)")
        return out
    return data


def _body(record, http, rest: bytes) -> bytes:
    # The response body: declared size checked first, read bounded, encodings undone.
    length = record.length if isinstance(record.length, int) else None
    if length is not None and length > MAX_RECORD_BYTES:
        raise IngestFailure(f"record too large ({length:,} bytes; limit {MAX_RECORD_BYTES:,})")
    body = rest + record.raw_stream.read(max(0, MAX_RECORD_BYTES + 1 - len(rest)))
    if len(body) > MAX_RECORD_BYTES:
        raise IngestFailure(f"record too large (over {MAX_RECORD_BYTES:,} bytes)")
    missing = _missing(record)
    if missing:
        record.truncation_reported = True
        raise IngestFailure(f"truncated (ends after {length - missing:,} of its {length:,} bytes)")
    if "chunked" in (http.get_header("Transfer-Encoding") or "").lower():
        body = _dechunk(body)
    encoding = (http.get_header("Content-Encoding") or "").strip().lower()
    return _inflate(body, encoding) if encoding else body


def _open(path: Path):
    # The archive as an uncompressed stream (gzip undone here, bounded), and the raw file.
    try:
        raw = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        raise IngestFailure(f"unreadable ({exc.strerror or exc})") from exc
    if size == 0:
        raw.close()
        raise IngestFailure("empty file")
    if raw.read(2) != _GZIP_MAGIC:
        raw.seek(0)
        return raw, raw, None
    raw.seek(0)
    budget = _Budget(gzip.GzipFile(fileobj=raw, mode="rb"), max(MIN_BUDGET, MAX_RATIO * size), size)
    return budget, raw, budget


@register_reader(".warc", ".warc.gz", ".arc", ".arc.gz")
def read_warc_file(path: Path, options: ReadOptions) -> Iterator[Document | IngestError]:
    """Documents of every HTML response in a WARC file; a bad record does not lose the rest.

    Yields IngestError records for bad records and warnings; raises IngestFailure (after the
    documents read so far) when the rest of the file cannot be read.
    """
    stream, raw, budget = _open(path)
    index = -1
    with raw:
        records = _Records(stream)

        def warnings() -> Iterator[IngestError]:
            for number, message in records.warnings:
                yield IngestError(f"{path}#{number}", message, warning=True)
            records.warnings.clear()

        previous = None
        try:
            for index, record in enumerate(records):
                _check_whole(previous, index - 1)
                previous = record
                yield from warnings()
                records.reader.line_bytes = 0
                if budget is not None and isinstance(record.length, int) and (
                    budget.total + record.length > budget.budget
                ):  # refused before decompressing what it declares
                    raise IngestFailure(
                        f"refused: record {index} declares {record.length:,} bytes, over"
                        f" {MAX_RATIO}× the {budget.size:,}-byte gzip file (a decompression bomb?)"
                    )
                item = _document(path, index, record)
                if item is not None:
                    yield item
        except IngestFailure:
            raise
        except ArchiveLoadFailed as exc:
            raise IngestFailure(f"not a readable WARC file ({_cut(exc, 100)})") from exc
        except Exception as exc:  # warcio raises assorted types (AttributeError...) on bad input
            where = f"record {index + 1}" if index >= 0 else "first record"
            reason = f"{type(exc).__name__}: {_cut(exc)}"
            raise IngestFailure(f"corrupt WARC {where} ({reason})") from exc
        _check_whole(previous, index)
        yield from warnings()


def _missing(record) -> int:
    # Bytes of its declared length a record's stream has not given (after it was read to its
    # end: the file ended early).
    missing = getattr(record.raw_stream, "limit", 0)
    return missing if isinstance(missing, int) and isinstance(record.length, int) else 0


def _check_whole(record, index: int) -> None:
    # After warcio drained a record: did the file end before its declared length?
    if record is None or getattr(record, "truncation_reported", False):
        return
    missing = _missing(record)
    if missing > 0:
        got = record.length - missing
        raise IngestFailure(
            f"truncated: record {index} ends after {got:,} of its {record.length:,} bytes"
        )


def _document(path: Path, index: int, record) -> Document | IngestError | None:
    # The Document of one record, an IngestError when it is an article that cannot be read, or
    # None when it is not an article.
    if record.rec_type != "response":
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    parsed = _http_head(record.raw_stream)
    if parsed is None:
        return None
    http, rest = parsed
    if not _is_html(http):
        return None
    where = f"{path}#{index}"
    try:
        html = decode_bytes(_body(record, http, rest), html=True)
    except IngestFailure as exc:
        return IngestError(f"{where} ({uri})" if uri else where, str(exc))
    return Document(
        source=uri or where,
        raw_text=html,
        url=uri or None,
        format="html",
        meta={"warc_file": str(path), "warc_record": index,
              "fetched": record.rec_headers.get_header("WARC-Date")},
    )
