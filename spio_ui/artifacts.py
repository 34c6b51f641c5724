"""Artifact downloads for signed-in tabs (the browser holds no bearer token for
``GET /artifacts/{id}``, so the file goes over the tab's websocket instead)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["artifact_file"]


def artifact_file(artifact_id: int, *, run_id: int | None = None) -> tuple[str, bytes] | None:
    """``(file name, content)`` of an artifact kept under the artifacts dir; None when it
    does not exist, belongs to another run than ``run_id``, or points outside the dir."""
    from backend.core.config import get_settings
    from backend.core.db import session_scope
    from backend.models import Artifact

    with session_scope() as session:
        artifact = session.get(Artifact, artifact_id)
    if artifact is None or (run_id is not None and artifact.run_id != run_id):
        return None
    root = get_settings().artifacts_dir.resolve()
    path = (root / artifact.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return artifact.name, Path(path).read_bytes()
