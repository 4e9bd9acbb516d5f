"""Property tests of the clean stage: any input in, a string out, offsets always back in the raw."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle.clean import clean_document
from chronicle.model import Document

# Lines that look like article text and chrome, mixed at random with arbitrary text.
_LINES = st.sampled_from([
    "Support The Daily Example!",
    "Read more",
    "Police detained three men on Tuesday, the regional prosecutor's office said in a statement.",
    "A court later placed them under house arrest for two months, according to their lawyer.",
    "#news #politics #court",
    "pub-123456789012345",
    "Photo: press service",
    "© 2024 Example News. All rights reserved.",
    "Related materials 10:15 – May 3 Another story entirely? He said so.",
    "",
    "   ",
])
_TEXT = st.lists(st.one_of(_LINES, st.text(max_size=80)), max_size=30).map("\n".join)


def _check_offsets(doc: Document, *, exact: bool) -> None:
    assert isinstance(doc.body, str)
    raw = doc.raw_text
    prev_body_end = 0
    for seg in doc.body_map:
        assert 0 <= seg.raw_start <= len(raw)
        assert seg.raw_start + seg.length <= len(raw)
        assert seg.body_start >= prev_body_end
        prev_body_end = seg.body_start + seg.length
        if exact:
            body_slice = doc.body[seg.body_start: seg.body_start + seg.length]
            assert body_slice == raw[seg.raw_start: seg.raw_start + seg.length]
    for offset in range(0, len(doc.body) + 1, max(1, len(doc.body) // 7 or 1)):
        assert 0 <= doc.body_to_raw(offset) <= len(raw)
    for d in doc.decisions:
        assert 0 <= d.start <= d.end <= len(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_text_body_slices_equal_raw_slices(text: str) -> None:
    doc = clean_document(Document(source="t", raw_text=text))
    _check_offsets(doc, exact=True)
    for d in doc.decisions:
        assert d.text == text[d.start: d.end]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_as_text_or_html(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    _check_offsets(clean_document(Document(source="b", raw_text=text)), exact=True)
    _check_offsets(clean_document(Document(source="b", raw_text=text, format="html")), exact=False)


_TAGS = st.sampled_from(["<p>", "</p>", "<div class='x'>", "</div>", "<nav>", "<article>", "<h1>",
                         "<script>var a=1;</script>", "<!--", "-->", "&amp;", "<br>", "<ul><li>"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_TAGS, _LINES, st.text(max_size=40)), max_size=40).map("".join))
def test_broken_html_never_raises(markup: str) -> None:
    doc = clean_document(Document(source="h", raw_text="<html><body>" + markup, format="html"))
    _check_offsets(doc, exact=False)
