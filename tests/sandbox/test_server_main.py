"""``python -m backend.sandbox`` serves HTTP and SMTP on the configured ports."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage

import httpx

from backend.core.config import PROJECT_ROOT
from backend.sandbox.credentials import CREDENTIALS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_module_main_serves_http_and_smtp(tmp_path) -> None:
    port, smtp_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "SANDBOX_PORT": str(port),
        "SANDBOX_SMTP_PORT": str(smtp_port),
        "SANDBOX_SEED": "7",
        "DATA_DIR": str(tmp_path),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.sandbox"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/_admin/health").json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert health["seed"] == 7
        index = httpx.get(f"{base}/").json()
        assert "/shopee/api/v2" in index["about"] and "/_admin/faults" in index["admin"]
        assert httpx.get(f"{base}/_admin/credentials").json() == CREDENTIALS
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "a@spio.local", "b@example.co.id", "Halo"
        msg.set_content("Tes")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.send_message(msg)
        assert httpx.get(f"{base}/_admin/mail").json()["count"] == 1
    finally:
        proc.terminate()
        proc.wait(10)
