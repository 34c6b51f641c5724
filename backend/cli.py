"""The `spio` command. Process starters plus admin verbs that use the services directly
(the same code the API calls), so they work on the server without the web process."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import typer

from backend.core.errors import SpioError

app = typer.Typer(help="SPIO Agent: automation for online sellers.", no_args_is_help=True)
jobs_app = typer.Typer(help="Create, list and run jobs.", no_args_is_help=True)
runs_app = typer.Typer(help="Inspect runs.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
user_app = typer.Typer(help="People who log in to the web UI.", no_args_is_help=True)
keys_app = typer.Typer(help="The install secret: generate, rotate, webhook secret.",
                       no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
app.add_typer(keys_app, name="keys")
app.add_typer(runs_app, name="runs")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")


def _print(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def _fail(exc: SpioError) -> None:
    typer.echo(json.dumps(exc.body(), indent=2, ensure_ascii=False), err=True)
    raise typer.Exit(code=2)


@app.command()
def api(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the REST API alone (headless; the web process also serves it with the UI)."""
    import uvicorn

    uvicorn.run("backend.api.app:create_app", factory=True, host=host, port=port,
                log_level="info")


@app.command()
def scheduler() -> None:
    """Run the scheduler loop (safe to run on several hosts: one leads)."""
    from backend.scheduler.__main__ import main

    main()


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(ctx: typer.Context) -> None:
    """Run Dramatiq workers (extra arguments go to dramatiq, e.g. --processes 2)."""
    from backend.worker.__main__ import main

    raise typer.Exit(code=main(list(ctx.args)))


@app.command()
def sandbox() -> None:
    """Serve the platform sandbox (HTTP + SMTP) on loopback."""
    importlib.import_module("backend.sandbox.server").main()


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    from alembic import command
    from alembic.config import Config

    from backend.core.config import PROJECT_ROOT

    command.upgrade(Config(str(PROJECT_ROOT / "alembic.ini")), "head")


@jobs_app.command("create")
def jobs_create(file: Path = typer.Option(..., "-f", "--file", exists=True, readable=True),
                actor: str = "cli") -> None:
    """Create a job from a JSON spec file."""
    from backend.core.db import session_scope
    from backend.jobs import service
    from backend.jobs.validation import parse_spec

    try:
        parsed = parse_spec(json.loads(file.read_text()))
        with session_scope() as session:
            job = service.create_job(session=session, parsed=parsed, actor=actor)
            _print({"job_id": job.job_id, "workflow": job.workflow,
                    "inference_reason": parsed.inference_reason, "next_run_at": job.next_run_at})
    except SpioError as exc:
        _fail(exc)
    except json.JSONDecodeError as exc:
        typer.echo(f"{file}: malformed JSON: {exc}", err=True)
        raise typer.Exit(code=2) from None


@jobs_app.command("list")
def jobs_list() -> None:
    """List jobs with their next run."""
    from backend.core.db import session_scope
    from backend.jobs import service

    with session_scope() as session:
        rows, total = service.list_jobs(session=session, limit=500)
        for job in rows:
            state = "paused" if job.paused else ("disabled" if not job.enabled else "active")
            typer.echo(f"{job.job_id:40} {job.workflow:20} {state:8} next {job.next_run_at}")
        typer.echo(f"{total} jobs")


@jobs_app.command("run")
def jobs_run(job_id: str) -> None:
    """Queue a run of the job now."""
    from backend.core.db import session_scope
    from backend.jobs import service

    try:
        with session_scope() as session:
            run = service.run_now(session=session, job_id=job_id)
            _print({"run_id": run.id, "job_id": job_id, "status": run.status})
    except SpioError as exc:
        _fail(exc)


@runs_app.command("show")
def runs_show(run_id: int) -> None:
    """Show a run with its attempts, steps, logs and artifacts."""
    from backend.api.schemas import run_detail_public
    from backend.core.db import session_scope
    from backend.jobs.runs import get_run_detail

    try:
        with session_scope() as session:
            _print(run_detail_public(get_run_detail(session=session, run_id=run_id)).model_dump(
                mode="json"))
    except SpioError as exc:
        _fail(exc)


@token_app.command("create")
def token_create(
    role: str = typer.Option("admin", help="viewer | operator | admin"),
    name: str = typer.Option("cli", help="A label to tell tokens apart."),
    if_none: bool = typer.Option(False, "--if-none", help="Only if no admin token exists yet."),
) -> None:
    """Create an API token and print it once."""
    from backend.auth.tokens import create_token, has_admin_token
    from backend.core.db import session_scope

    try:
        with session_scope() as session:
            if if_none and has_admin_token(session=session):
                typer.echo("an admin token already exists (use 'spio token create' for another)")
                return
            _, plaintext = create_token(session=session, name=name, role=role)
    except SpioError as exc:
        _fail(exc)
    typer.echo(f"{role} token (shown once, store it now): {plaintext}")


@user_app.command("create")
def user_create(
    username: str,
    role: str = typer.Option("admin", help="viewer | operator | admin"),
    password: str = typer.Option("", help="Leave empty to generate one (printed once)."),
    if_none: bool = typer.Option(False, "--if-none", help="Only if no user exists yet."),
) -> None:
    """Create a UI user."""
    from backend.auth import users
    from backend.core.db import session_scope

    generated = not password
    password = password or users.new_password()
    try:
        with session_scope() as session:
            if if_none and users.list_users(session=session):
                typer.echo("a user already exists (use 'spio user create NAME' for another)")
                return
            users.create_user(session=session, username=username, password=password,
                              role=role)
    except SpioError as exc:
        _fail(exc)
    shown = f" with password {password} (shown once)" if generated else ""
    typer.echo(f"{role} user {username!r} created{shown}")


def _register_optional() -> None:
    """Commands that other parts of the product add (planner, sentiment, ...)."""
    for name in ("backend.ai.cli",):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)


def main() -> None:
    _register_optional()
    app(prog_name="spio")


if __name__ == "__main__":
    main()


@keys_app.command("generate")
def keys_generate() -> None:
    """Print a new key for SECRET_KEY (hosts sharing one database share one key)."""
    from cryptography.fernet import Fernet

    typer.echo(Fernet.generate_key().decode())


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Replace the generated install key and re-encrypt every stored secret under it
    (docs/security.md); restart every process afterwards."""
    from backend.auth.keys import rotate_install_key

    try:
        count = rotate_install_key()
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2) from None
    typer.echo(f"new install key in place; {count} accounts re-encrypted. Restart every "
               "process; delete secret.key.previous once all is well.")


@keys_app.command("reencrypt")
def keys_reencrypt() -> None:
    """Re-encrypt every stored secret under SECRET_KEY (after setting the old key as
    SECRET_KEY_PREVIOUS)."""
    from backend.auth.keys import reencrypt_all
    from backend.core.db import session_scope

    with session_scope() as session:
        count = reencrypt_all(session=session)
    typer.echo(f"{count} accounts re-encrypted under the current SECRET_KEY")


@keys_app.command("webhook")
def keys_webhook() -> None:
    """Print the tracking webhook's secret, for a provider's webhook settings."""
    from backend.core.security import tracking_webhook_secret

    typer.echo(tracking_webhook_secret())
