"""``chronicle watch``: poll an RSS/Atom feed (URL or file) and ingest items not stored yet.

Each poll fetches the feed, writes it to a private temporary ``.rss`` file and hands it to
:meth:`chronicle.store.Store.ingest`, so feed items go through exactly the same reader, pipeline,
deduplication (by content hash: an item already stored is skipped before any NLP runs) and
linking as any other input.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import typer

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds in an interval such as ``90``, ``30s``, ``15m``, ``1h`` or ``1d``."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"not an interval: {text!r} (use e.g. 30s, 15m, 1h)")
    return float(match.group(1)) * _SECONDS[match.group(2).lower()]


def fetch_feed(feed: str, timeout: float = 30.0) -> bytes:
    """The feed's bytes, from an http(s) URL or a local file."""
    if re.match(r"^https?://", feed, re.I):
        import httpx

        response = httpx.get(feed, timeout=timeout, follow_redirects=True,
                             headers={"User-Agent": "chronicle-watch"})
        response.raise_for_status()
        return response.content
    return Path(feed).read_bytes()


def poll_once(store, feed: str, *, progress: bool = False, on_error: Callable | None = None):
    """Fetch ``feed`` once and ingest its new items into ``store``; returns the IngestReport."""
    data = fetch_feed(feed)
    with tempfile.TemporaryDirectory(prefix="chronicle-watch-") as tmp:
        path = Path(tmp) / "feed.rss"
        path.write_bytes(data)
        return store.ingest([path], progress=progress, on_error=on_error)


def watch_command(
    feed: str = typer.Argument(..., help="Feed URL (http/https) or a feed file."),
    every: str = typer.Option("15m", help="Interval between polls: 30s, 15m, 1h ..."),
    once: bool = typer.Option(False, "--once", help="Poll once and exit."),
    polls: int = typer.Option(0, help="Stop after this many polls (0: run until interrupted)."),
    db: str = typer.Option(None, "--db", envvar="CHRONICLE_DB", help="Database URL or path."),
) -> None:
    """Poll FEED every interval and ingest new items (items already stored are skipped)."""
    from chronicle.store import Store

    try:
        interval = parse_interval(every)
    except ValueError as exc:
        typer.echo(f"--every: {exc}", err=True)
        raise typer.Exit(2) from exc
    store = Store(db)
    limit = 1 if once else polls
    done = 0
    try:
        while True:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            try:
                report = poll_once(store, feed,
                                   on_error=lambda e: typer.echo(str(e), err=True))
                typer.echo(f"{stamp} {feed}: {report.summary()}")
            except Exception as exc:  # a failed poll (network, bad feed) must not end the watch
                typer.echo(f"{stamp} {feed}: poll failed: {exc}", err=True)
            done += 1
            if limit and done >= limit:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add ``chronicle watch`` to ``app``."""
    app.command("watch")(watch_command)
