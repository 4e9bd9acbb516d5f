"""RSS/Atom reader (``.rss``, ``.atom``, ``.xml`` feeds): one Document per feed item.

A feed item carries a title, a link, a date and usually a summary or the full content. The item's
HTML content (or summary) becomes the Document's raw HTML; title, link, published date and the
feed's own title (the outlet) are kept as metadata, since feeds state them explicitly.
``chronicle watch`` polls a feed URL or file with the same code.
"""

from __future__ import annotations

import html as html_lib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from chronicle.ingest.decode import IngestFailure, check_text, repair_text
from chronicle.ingest.registry import IngestError, ReadOptions, read_bytes, register_reader
from chronicle.model import Document


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)


def documents_from_feed(data: bytes, source: str) -> Iterator[Document | IngestError]:
    """Documents of the items of a feed given as bytes (``source`` names the feed)."""
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise IngestFailure(f"not a readable RSS/Atom feed ({feed.get('bozo_exception')})")
    outlet = (feed.feed.get("title") or "").strip() or None
    for index, entry in enumerate(feed.entries):
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry.content), key=len)
        content = content or entry.get("summary", "")
        title = (entry.get("title") or "").strip() or None
        link = entry.get("link") or None
        if not content.strip():
            yield IngestError(f"{source}#{index}", f"feed item has no text ({link or title})")
            continue
        heading = f"<h1>{html_lib.escape(title)}</h1>\n" if title else ""
        page = f"<html><head><title>{html_lib.escape(title or '')}</title></head><body>" \
               f"<article>{heading}{content}</article></body></html>"
        try:
            raw = check_text(repair_text(page, html=True))
        except IngestFailure as exc:
            yield IngestError(f"{source}#{index}", str(exc))
            continue
        yield Document(
            source=link or f"{source}#{index}",
            raw_text=raw,
            url=link,
            format="html",
            title=title,
            outlet=outlet,
            author=entry.get("author") or None,
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            meta={"feed": source, "feed_item": entry.get("id") or link},
        )


@register_reader(".rss", ".atom", ".feed", ".xml")
def read_feed_file(path: Path, options: ReadOptions) -> Iterator[Document | IngestError]:
    """Documents of a feed file on disk."""
    yield from documents_from_feed(read_bytes(path), str(path))
