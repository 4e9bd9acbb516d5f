"""The pipeline runs end to end on one bundled article through the public API."""

from __future__ import annotations

import chronicle


def test_extract_text_gives_entities_with_raw_spans() -> None:
    text = "Police in Moscow arrested John Smith on Monday."
    doc = chronicle.extract(text)
    names = {e.name for e in doc.entities}
    assert "John Smith" in names
    for ent in doc.entities:
        for m in ent.mentions:
            assert text[m.start : m.end] == m.text


def test_extract_path(sample_dir) -> None:
    path = sorted(sample_dir.glob("*.txt"))[0]
    doc = chronicle.extract(path)
    assert doc.body
    assert len(doc.content_hash) == 64
