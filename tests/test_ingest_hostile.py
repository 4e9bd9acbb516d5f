"""Hostile input to the readers (issue 14): every reader streams and bounds what it reads, every
bad record, file or file name is one ``path: reason`` line, and the batch goes on.

The reader tests are fast (no NLP); ``test_cli_batch_of_reproductions`` runs the real
``chronicle ingest`` over the issue's reproductions mixed with good files.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from chronicle.ingest import (
    Document,
    IngestError,
    IngestFailure,
    documents_of_file,
    iter_documents,
    read_file,
)
from chronicle.ingest import jsonl as jsonl_reader
from chronicle.ingest import warc as warc_reader
from chronicle.ingest.decode import decode_bytes

ARTICLE = (
    "Police in Penza detained a local activist on Tuesday on charges of spreading false "
    "information about the army, her lawyer told reporters outside the court building.\n\n"
    "The court placed her in pre-trial detention for two months.\n"
)
CYRILLIC = (
    "Полиция задержала активиста во вторник по обвинению в распространении ложной информации "
    "об армии, сообщил его адвокат журналистам у здания суда.\n"
)


def _good(note: str) -> str:
    return ARTICLE + f"\nEditor's note: {note}.\n"


def _line(**fields) -> str:
    return json.dumps({"text": _good(fields.pop("note", "jsonl")), **fields})


def _read(path: Path) -> tuple[list[Document], list[IngestError]]:
    errors: list[IngestError] = []
    docs = list(documents_of_file(path, errors.append))
    return docs, errors


# --- JSON Lines -------------------------------------------------------------------------------

HOSTILE_LINES = {
    "nested 100,000 deep": ('{"text": "x", "m": ' + "[" * 100_000 + "]" * 100_000 + "}",
                            "nested deeper than"),
    "5,000-digit integer": (f'{{"text": {json.dumps(ARTICLE)}, "n": {"9" * 5000}}}',
                            "an integer of 5,000 digits"),
    "lone surrogate": (f'{{"text": {json.dumps(ARTICLE)}, "title": "bad \\ud800 title"}}',
                       "lone surrogate \\ud800 in 'title'"),
    "NaN": (f'{{"text": {json.dumps(ARTICLE)}, "score": NaN}}', "NaN is not a JSON value"),
    "Infinity": (f'{{"text": {json.dumps(ARTICLE)}, "score": -Infinity}}',
                 "-Infinity is not a JSON value"),
    "1e999": (f'{{"text": {json.dumps(ARTICLE)}, "score": 1e999}}', "1e999 is out of range"),
    "not JSON": ("{oops", "bad JSON (Expecting property name"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_LINES))
def test_a_hostile_jsonl_line_is_one_error_and_the_next_line_is_read(
    tmp_path: Path, case: str
) -> None:
    line, reason = HOSTILE_LINES[case]
    path = tmp_path / "feed.jsonl"
    path.write_text(line + "\n" + _line(title="after", note=case) + "\n", encoding="utf-8")
    started = time.monotonic()
    docs, errors = _read(path)
    assert time.monotonic() - started < 2
    assert [str(e) for e in errors] == [f"{path}:1: {errors[0].reason}"]
    assert reason in errors[0].reason
    assert [(d.source, d.title) for d in docs] == [(f"{path}:2", "after")]


def test_a_huge_jsonl_line_is_skipped_while_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl_reader, "MAX_RECORD_BYTES", 1 << 20)
    path = tmp_path / "dump.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"text": "' + "word " * (4 << 20) + '"}\n')  # a 20 MB line
        fh.write(_line(title="after") + "\n")
    tracemalloc.start()
    try:
        docs, errors = _read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # never the whole 20 MB line
    assert len(errors) == 1 and errors[0].path == f"{path}:1"
    assert errors[0].reason.startswith("line too long (20,971,5")
    assert [d.title for d in docs] == ["after"]


def test_jsonl_with_utf16_bom_is_streamed_and_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl_reader, "MAX_RECORD_BYTES", 4096)
    path = tmp_path / "wide.jsonl"
    lines = [_line(title="one"), json.dumps({"text": "x" * 5000}), _line(title="три")]
    path.write_bytes("\n".join(lines).encode("utf-16"))
    docs, errors = _read(path)
    assert [d.title for d in docs] == ["one", "три"]
    assert [(e.path, e.reason.split(" (")[0]) for e in errors] == [(f"{path}:2", "line too long")]


def test_nul_in_jsonl_metadata_is_valid_json_and_read(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_text(_line(title="a\u0000b") + "\n", encoding="utf-8")
    docs, errors = _read(path)
    assert not errors and docs[0].title == "a\x00b"  # the store's value policy cleans it


# --- file names, tiny files, encodings ---------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = os.fsencode(tmp_path) + b"/bad\xff name.txt"
    with open(bad, "wb") as fh:
        fh.write(_good("bad name").encode())
    (tmp_path / "z.txt").write_text(_good("after"), encoding="utf-8")
    errors: list[IngestError] = []
    docs = list(iter_documents([tmp_path], errors.append))
    assert [Path(d.source).name for d in docs] == ["z.txt"]
    assert [str(e) for e in errors] == [
        f"{tmp_path}/bad\\xff name.txt: file name is not valid UTF-8 (rename the file to ingest it)"
    ]
    str(errors[0]).encode("utf-8")  # printable and storable


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=7))
def test_one_to_seven_random_bytes_are_not_an_article(data: bytes) -> None:
    with pytest.raises(IngestFailure):
        decode_bytes(data)


@pytest.mark.parametrize("size", range(1, 8))
def test_short_files_are_refused_as_not_an_article(tmp_path: Path, size: int) -> None:
    path = tmp_path / "tiny.txt"
    path.write_bytes(b"abcdefg"[:size])
    docs, errors = _read(path)
    assert not docs
    assert [e.reason for e in errors] == [f"not an article (only {size} byte{'s' * (size > 1)})"]


def test_a_few_characters_in_more_bytes_are_not_an_article(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_bytes("Жжжж".encode("utf-16"))  # 10 bytes, 4 characters
    docs, errors = _read(path)
    assert not docs and [e.reason for e in errors] == ["not an article (only 4 characters of text)"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [CYRILLIC, "Жители Алматы вышли на улицы.", ARTICLE])
def test_utf16_and_utf32_without_bom_are_text(codec: str, text: str) -> None:
    assert decode_bytes(text.encode(codec)) == text


def test_error_lines_are_one_line_whatever_they_hold() -> None:
    error = IngestError("a\udcffb.txt", "first\nsecond\r\nthird \ud800")
    assert str(error) == "a\\xffb.txt: first second third \\ud800"
    assert str(IngestError("x.warc", "odd", warning=True)) == "x.warc: warning: odd"


# --- WARC -------------------------------------------------------------------------------------


def _page(title: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{_good(title)}</p></article></body></html>").encode()


def _warc_records(pages: list[tuple[str, bytes]], *, gzip_records: bool = False) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_records)
    for uri, body in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=http))
    return buf.getvalue()


PAGES = [("https://x.example/a", _page("First")), ("https://x.example/b", _page("Second"))]


@pytest.mark.parametrize("layout", ["plain", "per-record gzip", "whole-file gzip"])
def test_every_gzip_layout_of_a_warc_is_read(tmp_path: Path, layout: str, capfd) -> None:
    data = _warc_records(PAGES, gzip_records=layout == "per-record gzip")
    if layout == "whole-file gzip":  # warcio alone answers this with a 14-line error
        data = gzip.compress(data)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    docs, errors = _read(path)
    assert not errors
    assert [d.url for d in docs] == ["https://x.example/a", "https://x.example/b"]
    assert capfd.readouterr().err == ""


HTTP_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"


def _response_record(uri: str, payload: bytes, declared: int | None = None) -> bytes:
    length = len(HTTP_HEAD) + len(payload) if declared is None else declared
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2024-05-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{len(uri)}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    return head + HTTP_HEAD + payload + b"\r\n\r\n"


def test_a_warc_bomb_is_refused_before_it_is_decompressed(tmp_path: Path) -> None:
    # 100 MB of NULs declared by one HTML response, in a gzip of about 100 KB.
    size = 100 << 20
    head = _response_record("https://x.example/bomb", b"", declared=size + len(HTTP_HEAD))[:-4]
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(head)]
    parts += [packer.compress(b"\0" * (8 << 20)) for _ in range(size // (8 << 20))]
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(b"".join([*parts, packer.compress(b"\r\n\r\n"), packer.flush()]))
    tracemalloc.start()
    started = time.monotonic()
    try:
        docs, errors = _read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2 and peak < 16 << 20
    assert not docs and len(errors) == 1
    assert f"declares {size + len(HTTP_HEAD):,} bytes" in errors[0].reason
    assert "decompression bomb" in errors[0].reason


def test_a_gzip_of_nuls_named_warc_is_one_line_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "nuls.warc.gz"
    path.write_bytes(gzip.compress(b"\0" * (200 << 20), 9))
    tracemalloc.start()
    started = time.monotonic()
    try:
        docs, errors = _read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2 and peak < 16 << 20
    assert not docs and len(errors) == 1 and errors[0].path == str(path)
    assert "\n" not in str(errors[0]) and len(str(errors[0])) < 400


def test_an_oversized_record_is_refused_by_its_declared_size_and_the_next_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warc_reader, "MAX_RECORD_BYTES", 64 * 1024)
    big = _response_record("https://x.example/big", b"<html>" + b"x" * (200 * 1024))
    path = tmp_path / "crawl.warc"
    path.write_bytes(big + _warc_records(PAGES[:1]))
    docs, errors = _read(path)
    assert [d.url for d in docs] == ["https://x.example/a"]
    assert [(e.path, e.reason.split(" (")[0]) for e in errors] == [
        (f"{path}#0 (https://x.example/big)", "record too large")
    ]


def test_warcio_warnings_are_captured_with_the_file_name(tmp_path: Path, capfd) -> None:
    # The first record declares 10 bytes fewer than it holds; the second has spaces in its URI.
    page = _page("First")
    wrong = _response_record("https://x.example/a", page, len(HTTP_HEAD) + len(page) - 10)
    spaced = _response_record("https://x.example/with space", _page("Second"))
    path = tmp_path / "odd.warc"
    path.write_bytes(wrong + spaced)
    docs, errors = _read(path)
    assert capfd.readouterr().err == ""  # nothing from warcio on stderr
    assert [d.url for d in docs] == ["https://x.example/a", "https://x.example/with%20space"]
    assert all(e.warning for e in errors)
    assert [(e.path, e.reason.split(" (")[0]) for e in errors] == [
        (f"{path}#0", "record not followed by a blank line"),
        (f"{path}#1", "WARC-Target-URI with spaces"),
    ]


def test_a_truncated_warc_keeps_the_records_before_it(tmp_path: Path) -> None:
    data = _warc_records(PAGES)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 200])
    docs, errors = _read(path)
    assert [d.url for d in docs] == ["https://x.example/a"]  # not the cut one
    assert [(e.path, e.reason.split(" (")[0]) for e in errors] == [
        (f"{path}#1 (https://x.example/b)", "truncated")
    ]


def test_a_warc_cut_inside_a_skipped_record_is_one_line(tmp_path: Path) -> None:
    request = b"GET / HTTP/1.1\r\n\r\n" + b"x" * 500
    data = _warc_records(PAGES[:1]) + (
        b"WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: https://x.example/q\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(request) + 100)
    ) + request
    path = tmp_path / "cut.warc"
    path.write_bytes(data)
    docs, errors = _read(path)
    assert [d.url for d in docs] == ["https://x.example/a"]
    got, declared = len(request), len(request) + 100
    assert [str(e) for e in errors] == [
        f"{path}: truncated: record 1 ends after {got:,} of its {declared:,} bytes"
    ]


def test_corrupt_gzip_is_one_line(tmp_path: Path) -> None:
    data = gzip.compress(_warc_records(PAGES))
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(data[:40] + b"\xff" * 40 + data[80:])
    with pytest.raises(IngestFailure, match=r"corrupt|not a readable"):
        list(read_file(path))


# --- the real command over the reproductions ------------------------------------------


def _reproductions(root: Path) -> tuple[dict[str, str], int]:
    """Bad inputs, each followed (in walk order) by a good file; returns {bad name: reason
    fragment} and the number of good documents."""
    bad: dict[str, str] = {}
    good = 0

    def then_good(stem: str) -> None:
        nonlocal good
        (root / f"{stem}z_good.txt").write_text(_good(stem), encoding="utf-8")
        good += 1

    for i, (_case, (line, reason)) in enumerate(sorted(HOSTILE_LINES.items())):
        (root / f"1{i}_bad.jsonl").write_text(line + "\n", encoding="utf-8")
        bad[f"1{i}_bad.jsonl:1"] = reason
        then_good(f"1{i}")
    with open(os.fsencode(root) + b"/20_bad\xff.txt", "wb") as fh:
        fh.write(_good("bad name").encode())
    bad["20_bad\\xff.txt"] = "file name is not valid UTF-8"
    then_good("20")
    for n in range(1, 8):
        noise = random.Random(n).choices(range(0x21, 0x100), k=n)  # random, not blank
        (root / f"3{n}_tiny.txt").write_bytes(bytes(noise))
        bad[f"3{n}_tiny.txt"] = "not an article"
    then_good("3")
    (root / "40_whole.warc.gz").write_bytes(gzip.compress(_warc_records(PAGES)))
    good += 2
    then_good("40")
    (root / "41_nuls.warc.gz").write_bytes(gzip.compress(b"\0" * (20 << 20), 9))
    bad["41_nuls.warc.gz"] = "not a readable WARC file"
    then_good("41")
    for j, codec in enumerate(["utf-16-le", "utf-16-be", "utf-32-le"]):
        (root / f"5{j}_ru.txt").write_bytes((CYRILLIC + f"Заметка {j}.\n").encode(codec))
        good += 1
    then_good("5")
    with (root / "60_huge.jsonl").open("w", encoding="utf-8") as fh:  # a 32 MB line
        fh.write('{"text": "' + "word " * (32 << 18) + '"}\n')
        fh.write(_line(note="after the huge line") + "\n")
    bad["60_huge.jsonl:1"] = "line too long"
    good += 1
    then_good("60")
    return bad, good


def test_cli_batch_of_reproductions(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    root.mkdir()
    bad, good = _reproductions(root)
    db = tmp_path / "hostile.db"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "chronicle.cli", "ingest", "--no-progress", "--db", str(db),
         str(root)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert time.monotonic() - started < 600
    assert proc.returncode == 1, proc.stderr  # the batch went on; the status says what failed
    assert "Traceback" not in proc.stderr
    ours = [line for line in proc.stderr.splitlines() if line.startswith(str(root))]
    assert len(ours) == len(bad), ours  # one line per bad input, nothing else about them
    for name, reason in bad.items():
        [line] = [line for line in ours if line.startswith(f"{root}/{name}: ")]
        assert reason in line, line
    assert proc.stdout.startswith(f"{good} new, 0 already stored, {len(bad)} failed"), proc.stdout
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        sources = list(conn.execute(sa.text("SELECT source FROM documents")).scalars())
    engine.dispose()
    assert len(sources) == good
    assert {Path(s).name for s in sources if s.endswith("z_good.txt")} == {
        p.name for p in root.glob("*z_good.txt")
    }


def test_the_spark_reader_keeps_warnings_out_of_its_errors() -> None:
    # scale/ reads input bytes with ingest's own readers: an odd but readable record is a
    # document and a warning on the driver's log, not an error row.
    from chronicle.scale.spark_job import documents_from_bytes

    spaced = _response_record("https://x.example/with space", _page("Second"))
    docs, errors = documents_from_bytes("s3://bucket/odd.warc", spaced)
    assert [d.url for d in docs] == ["https://x.example/with%20space"]
    assert errors == []
