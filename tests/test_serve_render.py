"""Pure rendering helpers: text splitting for highlights, the time charts, the SVG map."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.serve.charts import TimelineItem, entity_timeline, parse_day, timeline_chart
from chronicle.serve.svgmap import MapPoint, Projection, country_rings, render_map
from chronicle.serve.textmarks import Mark, find_span, split_text

marks = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60), st.sampled_from(["evidence", "claim"])),
    max_size=6,
)


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(st.text(max_size=60), marks, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60))))
def test_pieces_cover_the_text_exactly_once(raw, spans, kept):
    ms = [Mark(a, b, k) for a, b, k in spans]
    ranges = [(min(a, b), max(a, b)) for a, b in kept]
    pieces = split_text(raw, ms, ranges)
    assert "".join(p.text for p in pieces) == raw
    # Every character inside a valid mark is in a piece carrying that mark's kind.
    pos = 0
    for p in pieces:
        for i in range(pos, pos + len(p.text)):
            for m in ms:
                if 0 <= m.start < m.end <= len(raw) and m.start <= i < m.end:
                    assert m.kind in p.kinds
            kept_here = any(a <= i < b for a, b in ranges)
            if kept_here:
                assert not p.boilerplate
            elif raw[i].strip():
                assert p.boilerplate
        pos += len(p.text)


def test_anchor_appears_once_and_marks_nest():
    raw = "Chrome. The court jailed him. More text."
    start = raw.index("The court")
    pieces = split_text(
        raw,
        [
            Mark(start, start + 22, "evidence", anchor="evidence"),
            Mark(start + 4, start + 9, "entity"),
        ],
        [(8, len(raw))],
    )
    assert [p.anchor for p in pieces].count("evidence") == 1
    assert pieces[0].boilerplate and pieces[0].text == "Chrome. "
    assert any(p.kinds == ["entity", "evidence"] and p.text == "court" for p in pieces)


def test_find_span_ignores_whitespace_and_picks_the_nearest():
    raw = "He was held.\nLater:  He  was\nheld."
    assert find_span(raw, "He was held.") == (0, 12)
    assert find_span(raw, "He was held.", near=20) == (raw.index("He  was"), len(raw))
    assert find_span(raw, "not there") is None and find_span(raw, "  ") is None


def test_parse_day_handles_partial_dates():
    assert str(parse_day("2025-04")) == "2025-04-01"
    assert str(parse_day("2023-09-11T10:00:00")) == "2023-09-11"
    assert parse_day("--06-17") is None and parse_day(None) is None and parse_day("soon") is None


def test_timeline_counts_by_type_and_period():
    svg = str(
        timeline_chart(
            [
                ("2024-01-05", "COERCE"),
                ("2024-01-20", "COERCE"),
                ("2024-03-02", "ACCUSE"),
                (None, "ASSAULT"),
                ("--05-01", "AID"),
            ]
        )
    )
    assert "per day" in svg  # under two months: daily bars
    svg = str(timeline_chart([("2023-01-05", "COERCE"), ("2024-03-02", "ACCUSE")]))
    assert "per month" in svg and ">2023-01<" in svg
    assert re.search(r"<title>2023-01: 1 COERCE</title>", svg)
    assert "No dated events" in str(timeline_chart([(None, "COERCE")]))
    xss = str(timeline_chart([("2024-01-01", "<b>x</b>")]))
    assert "<b>" not in xss and "&lt;B&gt;" in xss


def test_entity_timeline_links_each_event():
    items = [
        TimelineItem("2024-01-01", "COERCE", "arrest <i>", "/events/1"),
        TimelineItem("2024-02-01", "SANCTION", "convict", "/events/2"),
        TimelineItem(None, "ACCUSE", "undated", "/events/3"),
    ]
    svg = str(entity_timeline(items))
    assert svg.count("<circle") == 2 and 'href="/events/2"' in svg and "<i>" not in svg
    assert str(entity_timeline([])) == ""


def test_map_projection_and_outlines():
    assert len({r.iso2 for r in country_rings()}) > 200
    proj = Projection.fit([(55.75, 37.62), (42.87, 74.59)])
    for lat, lon in [(55.75, 37.62), (42.87, 74.59)]:
        x, y = proj.xy(lat, lon)
        assert 0 < x < proj.width and 0 < y < proj.height
    assert 0.45 <= proj.height / proj.width <= 1.25
    svg = str(
        render_map(
            [
                MapPoint(55.75, 37.62, 'Moscow "><script>', 3, "/events?a=1&b=2"),
                MapPoint(float("nan"), 1.0, "bad"),
                MapPoint(95.0, 0.0, "bad"),
            ]
        )
    )
    assert (
        svg.count("<circle") == 1 and "<script>" not in svg and 'href="/events?a=1&amp;b=2"' in svg
    )
    assert 'data-iso="RU"' in svg and 'data-iso="BR"' not in svg  # culled outside the view
    world = str(render_map([]))
    assert 'data-iso="BR"' in world and "No geocoded events yet" in world
