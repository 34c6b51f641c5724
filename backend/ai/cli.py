"""`spio plan` and `spio sentiment`: the AI layer on the command line (offline unless --ai)."""

from __future__ import annotations

import json
import sys

import typer

from backend.core.errors import SpioError

__all__ = ["register"]


def _fail(exc: SpioError) -> None:
    typer.echo(json.dumps(exc.body(), indent=2, ensure_ascii=False), err=True)
    raise typer.Exit(code=2)


def plan(
    prompt: str = typer.Argument(..., help="What the job should do, in Indonesian or English."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole plan as JSON."),
    ai: bool = typer.Option(False, "--ai", help="Plan with the configured LLM."),
) -> None:
    """Turn a prompt into a job spec with an explanation, assumptions and an estimate."""
    from backend.ai.planner import plan as make_plan

    try:
        result = make_plan(prompt, use_ai=ai)
    except SpioError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    est = result.estimate
    typer.echo(result.explanation)
    typer.echo(f"workflow: {result.spec['workflow']}   job_id: {result.spec['job_id']}   "
               f"engine: {result.engine}")  # fmt: skip
    if result.fallback_reason:
        typer.echo(f"fallback: {result.fallback_reason}")
    typer.echo(f"estimate: {est.api_calls} API calls, {est.messages} messages, "
               f"~{est.duration_sec} s per run")  # fmt: skip
    for fire in result.next_fires_text or est.next_fires:
        typer.echo(f"  next: {fire}")
    for assumption in result.assumptions:
        typer.echo(f"  assumed ({assumption.field}): {assumption.text}")


def sentiment(
    ai: bool = typer.Option(False, "--ai", help="Score with the configured LLM (batched)."),
) -> None:
    """Read one text per line on stdin; print one JSON object per line."""
    from backend.ai.sentiment import analyze

    def emit(result) -> None:
        row = {"label": result.label, "score": result.score, "emotions": result.emotions,
               "intent": result.intent}  # fmt: skip
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")

    if not ai:
        for line in sys.stdin:
            emit(analyze(line.rstrip("\n")))
            sys.stdout.flush()
        return
    from backend.ai.sentiment_llm import analyze_many_ai

    texts = [line.rstrip("\n") for line in sys.stdin]
    results, reason = analyze_many_ai(texts)
    if reason:
        typer.echo(reason, err=True)
    for result in results:
        emit(result)


def register(app: typer.Typer) -> None:
    """Add the AI commands to the `spio` app."""
    app.command(name="plan")(plan)
    app.command(name="sentiment")(sentiment)
