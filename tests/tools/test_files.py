"""The files tool: artifacts on disk with size, type and hash; no path escapes."""

from __future__ import annotations

import hashlib

import pytest

from backend.tools.files import FilesTool, safe_name

pytestmark = pytest.mark.anyio


async def test_save_and_read_back(tmp_path) -> None:
    files = FilesTool(root=tmp_path, job_id="daily-bi", run_id="run-7")
    stored = await files.save("report.pdf", b"%PDF-1.7 ...")
    assert stored.path == "daily-bi/run-7/report.pdf"
    assert stored.size == 12
    assert stored.content_type == "application/pdf"
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.7 ...").hexdigest()
    assert await files.read(stored.path) == b"%PDF-1.7 ..."
    assert (tmp_path / "daily-bi/run-7/report.pdf").exists()
    assert not [p for p in (tmp_path / "daily-bi/run-7").iterdir() if p.name.startswith(".")]


async def test_written_in_place(tmp_path) -> None:
    files = FilesTool(root=tmp_path, job_id="j", run_id="r")
    relative, target = files.path_for("sales.xlsx")
    target.write_bytes(b"PK\x03\x04")
    stored = files.describe(relative)
    assert stored.size == 4
    assert stored.content_type.endswith("spreadsheetml.sheet")


async def test_names_cannot_escape(tmp_path) -> None:
    files = FilesTool(root=tmp_path, job_id="../..", run_id="r")
    stored = await files.save("../../etc/passwd", "x")
    assert stored.path.startswith("_/r/") or ".." not in stored.path
    assert (tmp_path / stored.path).is_file()
    with pytest.raises(ValueError, match="leaves"):
        files.resolve("../secret.key")
    assert safe_name("..hidden") == "hidden"
    assert safe_name("laporan harian.pdf") == "laporan_harian.pdf"
