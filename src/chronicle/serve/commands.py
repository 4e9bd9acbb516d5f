"""CLI commands of the serve stage (registered on the root app by ``chronicle.cli``)."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""

    @app.command("serve")
    def serve(
        db: Annotated[
            str | None, typer.Option("--db", help="database URL or SQLite path (CHRONICLE_DB)")
        ] = None,
        host: Annotated[str, typer.Option(help="address to bind; keep 127.0.0.1 unless needed")] = (
            "127.0.0.1"
        ),
        port: Annotated[int, typer.Option(help="TCP port")] = 8000,
        review: Annotated[
            bool, typer.Option("--review", help="allow confirm/reject/correct (needs the token)")
        ] = False,
    ) -> None:
        """Browse events, people and sources in a web page and a JSON API (read-only by default)."""
        import uvicorn

        from chronicle.serve.app import create_app

        try:
            web = create_app(db, review=review)
        except FileNotFoundError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        state = web.state.chronicle
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(f"warning: listening on {host}: other machines can reach it", err=True)
        typer.echo(f"Chronicle on http://{host}:{port}/  (database: {state.url})")
        typer.echo(f"API docs: http://{host}:{port}/docs")
        if review:
            typer.echo(f"Review mode. Token: {state.guard.token}")
            typer.echo(f"Sign in at http://{host}:{port}/review/login")
        else:
            typer.echo("Read-only (start with --review to confirm, reject or correct).")
        uvicorn.run(web, host=host, port=port, log_level="warning")
