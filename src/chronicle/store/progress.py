"""The ingest progress bar (Rich, on stderr): files done of total, rate, ETA, running counts."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _RateColumn(ProgressColumn):
    """Files per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} files/s" if speed else "– files/s", style="progress.data.speed")


class IngestProgress:
    """A context manager around a Rich progress bar; does nothing when disabled."""

    def __init__(self, total: int, *, enabled: bool = True, console: Console | None = None):
        self.console = console or Console(stderr=True)
        # A bar only makes sense on a terminal; in logs and pipes it would be noise.
        self.enabled = enabled and total > 0 and self.console.is_terminal
        self._progress: Progress | None = None
        self._task: Any = None
        self.total = total

    def __enter__(self) -> IngestProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("[bold]ingest[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                _RateColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=self.console,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("reading, loading the pipeline…", total=self.total)
        return self

    def update(self, files_done: int, report: Any) -> None:
        """Show ``files_done`` files finished and the report's running counts."""
        if self._progress is None:
            return
        status = f"{report.new} new · {report.duplicates} stored · {len(report.failed)} failed"
        self._progress.update(self._task, completed=files_done, description=status)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)
