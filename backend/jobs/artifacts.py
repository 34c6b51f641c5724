"""Artifact service: the files runs produced (PDF, Excel, CSV, dashboard JSON ...).

The one place that finds an artifact, resolves its file under the artifacts dir (never
outside it), lists report runs with their files for the reports page, and signs the
short-lived links that let a page show a file inline: an ``<iframe>`` cannot send the
bearer token that ``GET /artifacts/{id}`` asks for, so the link carries an HMAC of the
artifact id and an expiry instead (``GET /artifacts/{id}/inline``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from backend.core.config import get_settings
from backend.core.errors import NotFound
from backend.core.security import signing_key
from backend.models import Artifact, Run

__all__ = [
    "ReportRun",
    "get_artifact",
    "artifact_path",
    "read_artifact",
    "list_artifacts",
    "preview_link",
    "check_preview",
    "PREVIEW_TTL_SEC",
]

PREVIEW_TTL_SEC = 300
MAX_PREVIEW_TTL_SEC = 3600


@dataclass
class ReportRun:
    """A succeeded run and the files it left."""

    run: Run
    artifacts: list[Artifact] = field(default_factory=list)


def get_artifact(*, session: Session, artifact_id: int, run_id: int | None = None) -> Artifact:
    """The artifact; NotFound when missing or (with ``run_id``) of another run."""
    artifact = session.get(Artifact, artifact_id)
    if artifact is None or (run_id is not None and artifact.run_id != run_id):
        raise NotFound(f"no artifact {artifact_id}")
    return artifact


def artifact_path(artifact: Artifact) -> Path:
    """The artifact's file; NotFound when it is gone or its path leaves the artifacts dir."""
    root = get_settings().artifacts_dir.resolve()
    path = (root / artifact.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound(f"artifact {artifact.id} has no file on this server")
    return path


def read_artifact(
    *, session: Session, artifact_id: int, run_id: int | None = None
) -> tuple[Artifact, bytes]:
    """The artifact and its content (for pages that send it over their websocket)."""
    artifact = get_artifact(session=session, artifact_id=artifact_id, run_id=run_id)
    return artifact, artifact_path(artifact).read_bytes()


def list_artifacts(
    *,
    session: Session,
    workflow: str | None = None,
    job_id: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[ReportRun], int]:
    """Succeeded runs (newest first) with their files, in two queries per page."""
    query = select(Run).where(col(Run.status) == "succeeded")
    if workflow:
        query = query.where(Run.workflow == workflow)
    if job_id:
        query = query.where(Run.job_id == job_id)
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    runs = session.exec(query.order_by(col(Run.id).desc()).offset(offset).limit(limit)).all()
    by_run: dict[int, ReportRun] = {int(run.id or 0): ReportRun(run) for run in runs}
    if by_run:
        files = session.exec(
            select(Artifact).where(col(Artifact.run_id).in_(list(by_run))).order_by(col(Artifact.id))
        ).all()
        for artifact in files:
            by_run[artifact.run_id].artifacts.append(artifact)
    return list(by_run.values()), total


def _signature(artifact_id: int, expires: int) -> str:
    key = signing_key("artifact-preview")
    return hmac.new(key, f"artifact:{artifact_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def preview_link(*, artifact_id: int, ttl_sec: int = PREVIEW_TTL_SEC,
                 now: float | None = None) -> str:  # fmt: skip
    """A path that shows the file inline to whoever holds it, until ``ttl_sec`` from now
    (at most MAX_PREVIEW_TTL_SEC)."""
    ttl_sec = min(ttl_sec, MAX_PREVIEW_TTL_SEC)
    expires = int((time.time() if now is None else now) + ttl_sec)
    return f"/artifacts/{artifact_id}/inline?exp={expires}&sig={_signature(artifact_id, expires)}"


def check_preview(*, artifact_id: int, exp: int, sig: str, now: float | None = None) -> bool:
    """Whether ``sig`` is this server's signature for the artifact and has not expired."""
    now = time.time() if now is None else now
    # A link never lives longer than the longest TTL this server hands out: one with a
    # far expiry (exp=2**62) was not made here, whatever its signature.
    if exp < now or exp > now + MAX_PREVIEW_TTL_SEC:
        return False
    # bytes: compare_digest refuses str with non-ASCII characters (a fuzzed link)
    return hmac.compare_digest(sig.encode(), _signature(artifact_id, exp).encode())
