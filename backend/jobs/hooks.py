"""Signed webhooks: anything that can POST starts a run of a webhook-triggered job.

    POST /hooks/{job_id}
    hmac   (default)  X-Spio-Timestamp: <unix seconds>
                      X-Spio-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
    bearer            Authorization: Bearer <secret>   (X-Spio-Timestamp optional)
    either            X-Spio-Event-Id: <the sender's id>  (else a hash of timestamp + body)

Each job has its own secret (``whsec_...``), generated when its trigger becomes a
webhook, stored encrypted like connector secrets and shown once. A timestamp outside
the job's ``replay_window_sec`` (default 300 s, either way) is refused, so a captured
request cannot be played again later; within the window the event id makes a repeat
start nothing (the events table's unique (source, event_id)).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlmodel import Session

from backend.core.db import session_scope
from backend.core.errors import ErrorItem, InvalidInput, NotFound, SpioError, Unavailable
from backend.core.security import decrypt_secret, encrypt_secret
from backend.domain.triggers import DEFAULT_REPLAY_WINDOW_SEC
from backend.jobs.events import Intake, ingest_event
from backend.jobs.service import get_job, spec_of
from backend.models import Job
from backend.models.types import utcnow

__all__ = ["HookRefused", "HookSecret", "issue_secret", "rotate_secret", "receive",
           "sign", "SECRET_PREFIX"]  # fmt: skip

SECRET_PREFIX = "whsec_"
_EVENT_ID = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces


class HookRefused(SpioError):
    """The request is not from whoever holds the job's secret (or is too old)."""

    status_code = 401
    code = "unauthorized"


@dataclass(frozen=True, slots=True)
class HookSecret:
    """A secret as shown once: where to post and how to sign."""

    url_path: str
    secret: str
    secret_mode: str


def sign(*, secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-Spio-Signature value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _shown(job: Job, secret: str) -> HookSecret:
    trigger = spec_of(job).trigger
    mode = trigger.secret_mode if trigger and trigger.secret_mode else "hmac"
    return HookSecret(url_path=f"/hooks/{job.job_id}", secret=secret, secret_mode=mode)


def issue_secret(*, job: Job) -> HookSecret | None:
    """A new secret for a webhook-triggered job that has none (None otherwise)."""
    if job.trigger_event != "webhook" or job.hook_secret_encrypted:
        return None
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    job.hook_secret_encrypted = encrypt_secret(secret)
    return _shown(job, secret)


def rotate_secret(*, session: Session, job_id: str) -> HookSecret:
    """Replace the job's secret (the old one stops working at once)."""
    job = get_job(session=session, job_id=job_id)
    if job.trigger_event != "webhook":
        raise InvalidInput([ErrorItem("trigger.event", f"job {job_id!r} is not triggered by "
                                      "a webhook: it has no secret")])  # fmt: skip
    job.hook_secret_encrypted = None
    shown = issue_secret(job=job)
    assert shown is not None
    session.add(job)
    return shown


@dataclass(frozen=True, slots=True)
class _Checked:
    event_id: str
    data: dict[str, Any]


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    return value.strip() if value is not None and value.strip() else None


def _timestamp(headers: Mapping[str, str], *, window: int, required: bool) -> str | None:
    raw = _header(headers, "x-spio-timestamp")
    if raw is None:
        if required:
            raise HookRefused("missing X-Spio-Timestamp (unix seconds of the request)")
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise HookRefused(f"X-Spio-Timestamp must be unix seconds, got {raw[:40]!r}")
    skew = abs(time.time() - int(raw))
    if skew > window:
        raise HookRefused(f"X-Spio-Timestamp is {int(skew)} s away from now, outside the "
                          f"{window} s replay window (check the sender's clock)")
    return raw


def _check(job: Job, headers: Mapping[str, str], body: bytes) -> _Checked:
    trigger = spec_of(job).trigger
    if trigger is None or trigger.event != "webhook" or not job.hook_secret_encrypted:
        raise NotFound(f"job {job.job_id!r} is not triggered by a webhook")
    try:
        secret = decrypt_secret(job.hook_secret_encrypted)
    except ValueError:  # SECRET_KEY replaced without its previous key: the admin's to fix
        raise Unavailable(f"job {job.job_id!r}'s webhook secret cannot be read with this "
                          "install's key; an admin can issue a new one "
                          f"(POST /jobs/{job.job_id}/hook-secret)") from None
    window = trigger.replay_window_sec or DEFAULT_REPLAY_WINDOW_SEC
    if trigger.secret_mode == "bearer":
        auth = _header(headers, "authorization") or ""
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not given or not hmac.compare_digest(given.encode("utf-8", "replace"),
                                                secret.encode()):
            raise HookRefused("bad or missing Authorization: Bearer <the job's webhook secret>")
        stamp = _timestamp(headers, window=window, required=False)
    else:
        stamp = _timestamp(headers, window=window, required=True)
        assert stamp is not None
        signature = _header(headers, "x-spio-signature")
        if signature is None:
            raise HookRefused("missing X-Spio-Signature (sha256=<hex HMAC-SHA256 of "
                              "'<timestamp>.<body>' with the job's webhook secret>)")
        expected = sign(secret=secret, timestamp=stamp, body=body)
        given = signature if signature.startswith("sha256=") else "sha256=" + signature
        if not hmac.compare_digest(expected.encode(), given.lower().encode("utf-8", "replace")):
            raise HookRefused("X-Spio-Signature does not match: sign '<timestamp>.<body>' "
                              "(the raw body bytes) with HMAC-SHA256 and the job's secret")
    return _Checked(event_id=_event_id(headers, stamp, body), data=_payload(body))


def _event_id(headers: Mapping[str, str], stamp: str | None, body: bytes) -> str:
    given = _header(headers, "x-spio-event-id")
    if given is None:  # the same request repeated is the same event
        return "sha256:" + hashlib.sha256(f"{stamp or ''}.".encode() + body).hexdigest()
    if not _EVENT_ID.match(given):
        raise InvalidInput([ErrorItem("X-Spio-Event-Id", "1 to 200 printable characters, "
                                      "no spaces")])  # fmt: skip
    return given


def _payload(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput([ErrorItem("body", "must be a JSON object (or empty)")]) from None
    if not isinstance(data, dict):
        raise InvalidInput([ErrorItem("body", "must be a JSON object (or empty), "
                                      f"not a {type(data).__name__}")])  # fmt: skip
    return data


def receive(*, job_id: str, headers: Mapping[str, str], body: bytes) -> Intake:
    """Verify one delivery and record it as an event of the job (see the module doc)."""
    with session_scope() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}")
        checked = _check(job, headers, body)
    return ingest_event(source=f"webhook:{job_id}", event_id=checked.event_id, kind="webhook",
                        data=checked.data, job_id=job_id, occurred_at=utcnow())
