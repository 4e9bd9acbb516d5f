"""WARC and RSS/Atom inputs: exactly the HTML articles are read, stored once, and re-polls add
nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from chronicle.cli import app
from chronicle.ingest import Document, IngestError, read_file

ARTICLE = """<html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>{title}</h1>
<p>Police in the city of {city} detained a local activist on Tuesday on charges of spreading
false information about the army, her lawyer told reporters outside the court building.</p>
<p>The court placed the activist in pre-trial detention for two months. She faces up to ten
years in prison if found guilty, according to the prosecutor's office in {city}.</p>
<p>Rights groups condemned the arrest and called for her immediate release, saying the case
was part of a wider campaign against critics of the war.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


def _response(writer: WARCWriter, uri: str, status: str, ctype: str, body: bytes, **extra):
    headers = [("Content-Type", ctype), *extra.items()]
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                       http_headers=http)
    writer.write_record(record)


def write_warc(path: Path) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        req = writer.create_warc_record("https://news.example/a1", "request",
                                        payload=io.BytesIO(b"GET /a1 HTTP/1.1\r\n\r\n"))
        writer.write_record(req)
        _response(writer, "https://news.example/a1", "200 OK", "text/html; charset=utf-8",
                  ARTICLE.format(title="Activist detained in Penza", city="Penza").encode())
        _response(writer, "https://news.example/old", "301 Moved Permanently", "text/html",
                  b"<html>moved</html>", Location="https://news.example/a1")
        _response(writer, "https://news.example/logo.png", "200 OK", "image/png",
                  b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        _response(writer, "https://news.example/a2", "200 OK", "text/html",
                  ARTICLE.format(title="Blogger held in Samara", city="Samara").encode("cp1251"))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_reader_yields_only_html_responses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path)
    items = list(read_file(path))
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.url for d in docs] == ["https://news.example/a1", "https://news.example/a2"]
    assert all(d.format == "html" for d in docs)
    assert "Samara" in docs[1].raw_text  # cp1251 body decoded
    assert not [i for i in items if isinstance(i, IngestError)]


def test_warc_ingest_stores_exactly_the_articles(tmp_path: Path, store_url: str) -> None:
    from chronicle.store import Store

    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    with Store(store_url) as store:
        first = store.ingest([path], progress=False)
        assert (first.new, len(first.failed)) == (2, 0), first.failed
        again = store.ingest([path], progress=False)
        assert (again.new, again.duplicates) == (0, 2)
        urls = sorted(d.url for d in store.documents())
    assert urls == ["https://news.example/a1", "https://news.example/a2"]


def test_truncated_warc_is_one_clear_error(tmp_path: Path) -> None:
    from chronicle.ingest import IngestFailure

    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    with pytest.raises(IngestFailure):
        list(read_file(path))


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Steppe Herald</title><link>https://steppe.example</link>
<item><title>Court jails two over mercenary recruitment</title>
<link>https://steppe.example/n/1</link><pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate>
<description><![CDATA[<p>A district court in Almaty sentenced two men to six years in prison
for recruiting citizens to fight abroad, the prosecutor's office said on Tuesday.</p>
<p>The men were detained in March after a months-long investigation.</p>]]></description></item>
<item><title>Empty item</title><link>https://steppe.example/n/2</link><description></description></item>
<item><title>Journalist fined over post</title><link>https://steppe.example/n/3</link>
<description><![CDATA[<p>A journalist in Karaganda was fined 200,000 tenge for a social media
post criticising the war, his lawyer said.</p>]]></description></item>
</channel></rss>"""


def test_feed_items_become_documents_with_feed_metadata(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(RSS, encoding="utf-8")
    items = list(read_file(path))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [d.url for d in docs] == ["https://steppe.example/n/1", "https://steppe.example/n/3"]
    assert docs[0].outlet == "Steppe Herald"
    assert docs[0].published == "2025-06-03T09:00:00Z"
    assert docs[0].title == "Court jails two over mercenary recruitment"
    assert len(errors) == 1 and "no text" in errors[0].reason


def test_watch_once_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    feed = tmp_path / "news.rss"
    feed.write_text(RSS, encoding="utf-8")
    db = tmp_path / "watch.db"
    runner = CliRunner()
    first = runner.invoke(app, ["watch", str(feed), "--once", "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "2 new" in first.output
    second = runner.invoke(app, ["watch", str(feed), "--once", "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert "0 new, 2 already stored" in second.output


def test_parse_interval() -> None:
    from chronicle.ingest.watch import parse_interval

    assert parse_interval("15m") == 900
    assert parse_interval("30s") == 30
    assert parse_interval("2h") == 7200
    with pytest.raises(ValueError):
        parse_interval("soon")
