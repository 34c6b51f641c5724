"""The artifact service: report runs with their files, safe file paths, and signed
inline links that expire and cannot be altered."""

from __future__ import annotations

import pytest

from backend.core.db import session_scope
from backend.core.errors import NotFound
from backend.jobs.artifacts import (
    artifact_path,
    check_preview,
    get_artifact,
    list_artifacts,
    preview_link,
    read_artifact,
)
from backend.models import Artifact, Run
from backend.models.types import utcnow


def _run_with_files(env, *, job_id: str, workflow: str, status: str, files: dict[str, bytes]):
    with session_scope() as session:
        run = Run(job_id=job_id, workflow=workflow, status=status, scheduled_for=utcnow())
        session.add(run)
        session.flush()
        ids = []
        for name, body in files.items():
            path = f"{job_id}/{run.id}/{name}"
            (env.artifacts_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (env.artifacts_dir / path).write_bytes(body)
            artifact = Artifact(run_id=run.id, job_id=job_id, name=name, path=path,
                                content_type="application/pdf", size=len(body))
            session.add(artifact)
            session.flush()
            ids.append(artifact.id)
        return run.id, ids


def test_report_runs_come_with_their_files_newest_first(env):
    first, _ = _run_with_files(env, job_id="bi", workflow="bi_report", status="succeeded",
                               files={"a.pdf": b"%PDF-1", "a.xlsx": b"PK"})
    second, _ = _run_with_files(env, job_id="bi", workflow="bi_report", status="succeeded",
                                files={"b.pdf": b"%PDF-2"})
    _run_with_files(env, job_id="bi", workflow="bi_report", status="failed",
                    files={"c.pdf": b"%PDF-3"})
    _run_with_files(env, job_id="px", workflow="price_intelligence", status="succeeded",
                    files={"d.pdf": b"%PDF-4"})
    with session_scope() as session:
        found, total = list_artifacts(session=session, workflow="bi_report", limit=10)
        assert total == 2
        assert [(r.run.id, [a.name for a in r.artifacts]) for r in found] == [
            (second, ["b.pdf"]), (first, ["a.pdf", "a.xlsx"])]
        page, _ = list_artifacts(session=session, workflow="bi_report", offset=1, limit=1)
        assert [r.run.id for r in page] == [first]


def test_files_are_read_only_inside_the_artifacts_dir(env):
    run_id, (artifact_id,) = _run_with_files(env, job_id="bi", workflow="bi_report",
                                             status="succeeded", files={"a.pdf": b"%PDF-1"})
    with session_scope() as session:
        artifact, body = read_artifact(session=session, artifact_id=artifact_id, run_id=run_id)
        assert (artifact.name, body) == ("a.pdf", b"%PDF-1")
        with pytest.raises(NotFound):
            get_artifact(session=session, artifact_id=artifact_id, run_id=run_id + 1)
        artifact.path = "../../etc/passwd"
        with pytest.raises(NotFound):
            artifact_path(artifact)


def test_preview_links_expire_and_cannot_be_altered(env, api):
    _, (artifact_id,) = _run_with_files(env, job_id="bi", workflow="bi_report",
                                        status="succeeded", files={"a.pdf": b"%PDF-1 body"})
    link = preview_link(artifact_id=artifact_id, ttl_sec=60, now=1_000_000)
    exp = int(link.split("exp=")[1].split("&")[0])
    sig = link.split("sig=")[1]
    assert check_preview(artifact_id=artifact_id, exp=exp, sig=sig, now=1_000_030)
    assert not check_preview(artifact_id=artifact_id, exp=exp, sig=sig, now=1_000_061)
    assert not check_preview(artifact_id=artifact_id + 1, exp=exp, sig=sig, now=1_000_030)
    assert not check_preview(artifact_id=artifact_id, exp=exp + 3600, sig=sig, now=1_000_030)

    fresh = preview_link(artifact_id=artifact_id)
    api.headers.pop("Authorization")  # an <iframe> sends no bearer token
    shown = api.get(fresh)
    assert shown.status_code == 200 and shown.content == b"%PDF-1 body"
    assert shown.headers["content-disposition"].startswith("inline")
    assert api.get(fresh.replace(f"/artifacts/{artifact_id}/", f"/artifacts/{artifact_id + 1}/")
                   ).status_code == 404
    assert api.get(link).status_code == 404  # expired long ago
    assert api.get(f"/artifacts/{artifact_id}").status_code == 401  # the download needs a token
