"""Artifact downloads and previews for signed-in tabs, through the artifact service.

The browser holds no bearer token for ``GET /artifacts/{id}``: a download goes over the
tab's websocket instead, and a preview uses a short-lived signed link."""

from __future__ import annotations

__all__ = ["artifact_file", "artifact_preview"]


def artifact_file(artifact_id: int, *, run_id: int | None = None) -> tuple[str, bytes] | None:
    """``(file name, content)`` of an artifact; None when it does not exist, belongs to
    another run than ``run_id``, or has no file under the artifacts dir."""
    from backend.core.db import session_scope
    from backend.core.errors import NotFound
    from backend.jobs.artifacts import read_artifact

    try:
        with session_scope() as session:
            artifact, content = read_artifact(session=session, artifact_id=artifact_id,
                                              run_id=run_id)  # fmt: skip
            return artifact.name, content
    except NotFound:
        return None


def artifact_preview(artifact_id: int) -> tuple[str, str, str] | None:
    """``(file name, content type, signed inline link)`` of an artifact that has a file;
    None otherwise."""
    from backend.core.db import session_scope
    from backend.core.errors import NotFound
    from backend.jobs.artifacts import artifact_path, get_artifact, preview_link

    try:
        with session_scope() as session:
            artifact = get_artifact(session=session, artifact_id=artifact_id)
            artifact_path(artifact)
            return artifact.name, artifact.content_type, preview_link(artifact_id=artifact_id)
    except NotFound:
        return None
