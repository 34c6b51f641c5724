"""A run's artifacts download from its page (the signed-in tab, no extra token)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from backend.core.config import get_settings
from backend.core.db import session_scope
from backend.models import Artifact
from tests.e2e.conftest import WebServer, create_job

pytestmark = pytest.mark.browser


def test_artifact_downloads(admin_page: Page, web_server: WebServer) -> None:
    run_id = create_job(
        {"job_id": "ui-artifacts", "workflow": "noop", "schedule": {"interval_sec": 3600}}, run=True
    )
    body = b"%PDF-1.4\n% laporan harian\n"
    folder = get_settings().artifacts_dir / "ui-artifacts" / str(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "laporan.pdf").write_bytes(body)
    with session_scope() as session:
        session.add(Artifact(run_id=run_id, job_id="ui-artifacts", name="laporan-harian.pdf",
                             path=f"ui-artifacts/{run_id}/laporan.pdf",
                             content_type="application/pdf", size=len(body)))  # fmt: skip

    page = admin_page
    page.goto(f"{web_server.url}/executions/{run_id}")
    link = page.get_by_test_id("artifact-link")
    expect(link).to_have_text("laporan-harian.pdf")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename == "laporan-harian.pdf"
    assert open(download.path(), "rb").read() == body
