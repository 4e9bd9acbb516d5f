"""CLI commands of the serve stage (registered on the root app by ``chronicle.cli``)."""

from __future__ import annotations

from typing import Annotated

import typer

WILDCARD_BINDS = ("0.0.0.0", "::", "")


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
            bool, typer.Option("--review", help="allow confirm/reject/correct (needs a token)")
        ] = False,
        allowed_host: Annotated[
            list[str] | None,
            typer.Option(
                "--allowed-host",
                help="a host name browsers may use to reach this server, besides localhost and "
                "the bound address (repeatable; also CHRONICLE_ALLOWED_HOSTS, comma-separated; "
                "'*' allows any)",
            ),
        ] = None,
        reviewers: Annotated[
            str | None,
            typer.Option(
                "--reviewers",
                help="file of reviewer accounts, one 'name:token' a line "
                "(CHRONICLE_REVIEWERS_FILE; or CHRONICLE_REVIEWERS='name:token,...')",
            ),
        ] = None,
        reviewer: Annotated[
            str | None,
            typer.Option(
                "--reviewer",
                help="the name that signs decisions made with the single token "
                "(CHRONICLE_REVIEWER; default 'analyst')",
            ),
        ] = None,
    ) -> None:
        """Browse events, people and sources in a web page and a JSON API (read-only by default)."""
        import uvicorn

        from chronicle.serve.app import create_app
        from chronicle.serve.security import AccountError

        hosts = [*(allowed_host or [])]
        if host not in WILDCARD_BINDS:
            hosts.append(host)
        try:
            web = create_app(
                db,
                review=review,
                reviewer=reviewer,
                reviewers_file=reviewers,
                hosts=hosts,
            )
        except (FileNotFoundError, AccountError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        state = web.state.chronicle
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(f"warning: listening on {host}: other machines can reach it", err=True)
            if host in WILDCARD_BINDS and "*" not in web.hosts:
                typer.echo(
                    "warning: only requests naming "
                    + ", ".join(sorted(web.hosts))
                    + " are answered; add the names others use with --allowed-host",
                    err=True,
                )
        if "*" in web.hosts:
            typer.echo("warning: any Host header is accepted (DNS rebinding is possible)", err=True)
        typer.echo(f"Chronicle on http://{host}:{port}/  (database: {state.url})")
        typer.echo(f"API docs: http://{host}:{port}/docs")
        if review:
            accounts = state.guard.accounts
            single = accounts.owner(accounts.token) if accounts.token else None
            if single is not None:
                typer.echo(f"Review mode. Token: {accounts.token}  (signs as {single!r})")
            named = [n for n in accounts.names if n != single]
            if named:
                typer.echo(f"Reviewers from {accounts.source}: " + ", ".join(named))
            typer.echo(f"Sign in at http://{host}:{port}/review/login")
        else:
            typer.echo("Read-only (start with --review to confirm, reject or correct).")
        uvicorn.run(web, host=host, port=port, log_level="warning")
