"""Readers and the directory walk: formats, JSONL records, errors that never stop a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle.ingest import (
    READERS,
    IngestError,
    IngestFailure,
    JsonlFields,
    ReadOptions,
    iter_documents,
    read_one,
    register_reader,
)
from chronicle.model import Document

ARTICLE = (
    "Officers detained a teacher in Tomsk on Tuesday after parents complained about a lesson, "
    "a local news site reported.\n\nShe was released the next morning.\n"
)


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_txt_html_and_unknown_suffix(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text(ARTICLE, encoding="utf-8")
    html = tmp_path / "b.html"
    html.write_text(f"<html><body><p>{ARTICLE}</p></body></html>", encoding="utf-8")
    other = tmp_path / "c.article"
    other.write_text("<!doctype html><html><body>x y z</body></html>", encoding="utf-8")
    assert read_one(txt).format == "txt"
    page = read_one(html)
    assert page.format == "html" and page.raw_text.startswith("<html><body><p>Officers")
    assert read_one(other).format == "html"  # named explicitly: read, sniffed as HTML
    assert read_one(txt, source="custom").source == "custom"


def test_read_one_text_and_bad_path_like_text() -> None:
    doc = read_one(ARTICLE)
    assert doc.source == "<text>" and doc.raw_text == ARTICLE and doc.format == "txt"
    assert read_one("no-such-file.txt").raw_text == "no-such-file.txt"  # not a file: text
    with pytest.raises(IngestFailure, match="empty"):
        read_one("   ")


def test_jsonl_records_fields_and_bad_lines(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "feed.jsonl",
        [
            json.dumps({"title": "One", "body": ARTICLE, "url": "https://x.test/1", "tag": 7}),
            "",
            "{not json",
            json.dumps({"title": "no text here"}),
            json.dumps(["a", "list"]),
            json.dumps({"html": "<html><body><p>Two</p></body></html>", "site": "X News"}),
            json.dumps({"text": "Three.", "authors": ["A. B.", "C. D."], "date": "2024-05-01"}),
        ],
    )
    errors: list[IngestError] = []
    docs = list(iter_documents([path], errors))
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:6", f"{path}:7"]
    first, second, third = docs
    assert (first.title, first.url, first.format, first.meta) == (
        "One", "https://x.test/1", "jsonl", {"tag": 7},
    )  # fmt: skip
    assert (second.format, second.outlet) == ("html", "X News")
    assert (third.author, third.published) == ("A. B., C. D.", "2024-05-01")
    assert [(e.path, e.reason.split(" (")[0]) for e in errors] == [
        (f"{path}:3", "bad JSON"),
        (f"{path}:4", "no text field"),
        (f"{path}:5", "not a JSON object"),
    ]
    assert str(errors[0]).startswith(f"{path}:3: bad JSON")


def test_jsonl_custom_field_names(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "x.jsonl", [json.dumps({"article_body": ARTICLE, "hed": "H"})])
    options = ReadOptions(jsonl=JsonlFields(text=("article_body",), title=("hed",)))
    (doc,) = iter_documents([path], [], options)
    assert (doc.raw_text, doc.title) == (ARTICLE, "H")
    with pytest.raises(IngestFailure, match="no text field"):
        read_one(path)  # read_one uses the default field names
    errors: list[IngestError] = []
    assert list(iter_documents([path], errors)) == []
    assert "no text field" in errors[0].reason


def test_jsonl_utf16_and_binary(tmp_path: Path) -> None:
    wide = tmp_path / "wide.jsonl"
    wide.write_bytes(json.dumps({"text": "Поиск"}, ensure_ascii=False).encode("utf-16"))
    (doc,) = iter_documents([wide], [])
    assert doc.raw_text == "Поиск"
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01" * 100)
    errors: list[IngestError] = []
    assert list(iter_documents([binary], errors)) == []
    assert errors == [IngestError(str(binary), "binary file (NUL bytes in a JSON Lines file)")]


def test_directory_walk_is_recursive_sorted_and_reports_bad_files(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.txt").write_text(ARTICLE + "b", encoding="utf-8")
    (tmp_path / "sub" / "a.htm").write_text("<html><body>a b c</body></html>", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "c.txt").write_bytes(ARTICLE.encode("cp1251"))
    (tmp_path / "sub" / "empty.txt").write_bytes(b"")
    (tmp_path / "sub" / "notes.md").write_text("skipped: no reader", encoding="utf-8")
    (tmp_path / ".hidden" / "h.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    errors: list[IngestError] = []
    docs = list(iter_documents([tmp_path, tmp_path / "missing.txt"], errors))
    names = [Path(d.source).name for d in docs]
    assert names == ["b.txt", "a.htm", "c.txt"]
    bad = {Path(e.path).name: e.reason for e in errors}
    assert set(bad) == {"image.txt", "empty.txt", "missing.txt"}
    assert "binary" in bad["image.txt"] and "empty" in bad["empty.txt"]
    assert bad["missing.txt"] == "no such file or directory"


def test_errors_can_go_to_a_callback(tmp_path: Path) -> None:
    seen: list[str] = []
    assert list(iter_documents([tmp_path / "nope"], lambda e: seen.append(str(e)))) == []
    assert seen == [f"{tmp_path / 'nope'}: no such file or directory"]


def test_registry_takes_new_formats(tmp_path: Path) -> None:
    @register_reader(".lines")
    def read_lines(path: Path, options: ReadOptions):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            yield Document(source=f"{path}#{n}", raw_text=line, format="lines")

    try:
        (tmp_path / "x.lines").write_text("first story\nsecond story\n")
        docs = list(iter_documents([tmp_path], []))
        assert [d.raw_text for d in docs] == ["first story", "second story"]
    finally:
        del READERS[".lines"]


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_LINES = st.one_of(
    st.text(max_size=60),  # mostly not JSON at all
    _JSON_VALUES.map(json.dumps),
    st.dictionaries(
        st.sampled_from(["text", "body", "title", "url", "date", "other"]), _JSON_VALUES, max_size=4
    ).map(json.dumps),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_LINES, max_size=6))
def test_jsonl_reader_never_raises(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "fuzz.jsonl"
    content = "\n".join(line.replace("\n", " ") for line in lines)
    path.write_text(content, encoding="utf-8")
    errors: list[IngestError] = []
    docs = list(iter_documents([path], errors))
    for doc in docs:
        assert doc.raw_text.strip()
    if "\x00" in content:  # a NUL byte: the whole file is refused as binary
        assert (docs, [e.reason.split(" (")[0] for e in errors]) == ([], ["binary file"])
        return
    # Every non-blank line is either a document or exactly one error (a blank file: one error).
    filled = [ln for ln in lines if ln.replace("\n", " ").strip()]
    assert len(docs) + len(errors) == max(len(filled), 1)
