"""The files tool: where runs put their artifacts (reports, exports, processed images).

Files land under ``settings.artifacts_dir`` at ``{job_id}/{run_id}/{name}``; the tool
returns that relative path with size, content type and SHA-256, which the worker
records as an artifact row and the UI turns into a download link. Paths given back to
:meth:`FilesTool.resolve` are checked to stay inside the folder, so a stored name can
never read ``../../secret.key``. Writes go to a temporary file first and are renamed
into place, so a reader never sees half a report.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FilesTool", "StoredFile", "safe_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name reduced to safe characters (no folders, no leading dots)."""
    cleaned = _UNSAFE.sub("_", Path(name).name).lstrip(".")
    return cleaned[:150] or "file"


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An artifact as the database records it."""

    path: str  # relative to the artifacts folder, with forward slashes
    size: int
    content_type: str
    sha256: str


class FilesTool:
    """Artifact storage of one run on the local disk."""

    def __init__(self, *, root: Path, job_id: str, run_id: str) -> None:
        self.root = Path(root)
        self._folder = f"{safe_name(job_id)}/{safe_name(run_id)}"

    def _write(self, relative: str, data: bytes) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def save(
        self, name: str, data: bytes | str, *, content_type: str | None = None
    ) -> StoredFile:
        """Store ``data`` as ``name`` in this run's folder (replacing a file of that name)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        relative = f"{self._folder}/{safe_name(name)}"
        await asyncio.to_thread(self._write, relative, raw)
        guessed = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return StoredFile(
            path=relative,
            size=len(raw),
            content_type=content_type or guessed,
            sha256=hashlib.sha256(raw).hexdigest(),
        )

    def path_for(self, name: str) -> tuple[str, Path]:
        """Reserve a place for a file another component writes (e.g. WeasyPrint)."""
        relative = f"{self._folder}/{safe_name(name)}"
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return relative, target

    def describe(self, relative: str, *, content_type: str | None = None) -> StoredFile:
        """A :class:`StoredFile` for a file written in place via :meth:`path_for`."""
        target = self.resolve(relative)
        digest = hashlib.sha256()
        with target.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        guessed = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return StoredFile(
            path=relative,
            size=target.stat().st_size,
            content_type=content_type or guessed,
            sha256=digest.hexdigest(),
        )

    def resolve(self, relative: str) -> Path:
        """The absolute path of a stored artifact; refuses paths leaving the folder."""
        root = self.root.resolve()
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or target == root:
            raise ValueError(f"artifact path {relative!r} leaves the artifacts folder")
        return target

    async def read(self, relative: str) -> bytes:
        """The bytes of a stored artifact."""
        return await asyncio.to_thread(self.resolve(relative).read_bytes)
