"""Email over SMTP (the sandbox's mail server by default), with attachments.

Each message carries a ``Message-ID`` derived from the idempotency key, so a retried
send is recognisable as the same mail (the sandbox stores it once; real inboxes thread
it as one). SMTP is one conversation at a time per connection and every command waits
for the server's reply, so one connection caps a channel at 1 / (its round trips); a
campaign at 24 mails/s fell behind its limit on a loaded machine. The connector keeps
a small pool of open connections (``pool_size``, from ``settings.smtp_pool_size``),
opened on demand, reused across sends, and dropped on any error (a fresh one replaces
it). smtplib blocks, so each send runs in a thread. The message bytes come from
``email_mime`` (a lean path for plain text). SMTP replies map to actions in
:func:`error_for`.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.utils import parseaddr

from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, ConnectorError, Rejected, TransientError
from backend.connectors.email_mime import Mail, render_mail
from backend.connectors.messages import OutboundMessage, SentMessage, message_id_for
from backend.core.config import get_settings

__all__ = ["EmailConfig", "EmailConnector", "error_for"]

PLATFORM = "email"


class EmailConfig(BaseModel):
    """An outgoing mail server. Defaults come from settings (the sandbox's SMTP port)."""

    host: str = Field(default_factory=lambda: get_settings().smtp_host, description="SMTP host.")
    port: int = Field(default_factory=lambda: get_settings().smtp_port, description="SMTP port.")
    username: str = Field("", description="SMTP login; empty sends without AUTH.")
    password: SecretStr = Field(SecretStr(""), description="SMTP password.")
    starttls: bool = Field(False, description="Upgrade with STARTTLS (port 587).")
    use_ssl: bool = Field(False, description="Implicit TLS (port 465).")
    sender: str = Field(
        default_factory=lambda: get_settings().smtp_sender, description="From header."
    )
    timeout_sec: float = Field(20.0, description="Per SMTP command.")
    pool_size: int = Field(
        default_factory=lambda: get_settings().smtp_pool_size,
        ge=1,
        le=32,
        description="SMTP connections kept open at most (sends in parallel).",
    )


def error_for(exc: Exception) -> ConnectorError | AuthFailed | Rejected:
    """The action an SMTP failure calls for: 4xx and lost connections retry, 5xx fail."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return AuthFailed("SMTP login refused", platform=PLATFORM, status=exc.smtp_code)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(400 <= c < 500 for c in codes):
            return TransientError("recipient deferred", platform=PLATFORM, status=codes[0])
        return Rejected(
            f"recipient refused: {', '.join(exc.recipients)}",
            platform=PLATFORM,
            status=codes[0] if codes else None,
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        raw = exc.smtp_error
        detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
        if 400 <= exc.smtp_code < 500:
            return TransientError(detail, platform=PLATFORM, status=exc.smtp_code)
        return Rejected(detail, platform=PLATFORM, status=exc.smtp_code)
    # Disconnects, refused connections, timeouts, TLS failures.
    return TransientError(f"{exc.__class__.__name__}: {exc}", platform=PLATFORM)


class EmailConnector:
    """Sends email through one SMTP server over a small pool of reused connections."""

    channel = PLATFORM

    def __init__(self, *, config: EmailConfig) -> None:
        self._config = config
        self._idle: list[smtplib.SMTP] = []
        self._slots = asyncio.Semaphore(config.pool_size)
        domain = parseaddr(config.sender)[1].rpartition("@")[2]
        self._domain = domain or "spio.local"

    @property
    def account(self) -> str:
        return f"{self._config.host}:{self._config.port}"

    def _connect(self) -> smtplib.SMTP:
        cfg = self._config
        context = ssl.create_default_context()
        if cfg.use_ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout_sec, context=context
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_sec)
            if cfg.starttls:
                smtp.starttls(context=context)
        if cfg.username:
            smtp.login(cfg.username, cfg.password.get_secret_value())
        return smtp

    def _deliver(self, smtp: smtplib.SMTP | None, mail: Mail) -> smtplib.SMTP:
        """Send on ``smtp`` (or a new connection); return the connection to reuse."""
        try:
            return self._send_on(smtp or self._connect(), mail)
        except smtplib.SMTPServerDisconnected:
            if smtp is None:
                raise
            # An idle connection the server closed: reconnect once.
            return self._send_on(self._connect(), mail)

    @staticmethod
    def _send_on(smtp: smtplib.SMTP, mail: Mail) -> smtplib.SMTP:
        try:
            if mail.raw is not None:
                smtp.sendmail(mail.sender, [mail.recipient], mail.raw)
            else:
                smtp.send_message(mail.mime)  # type: ignore[arg-type]
        except BaseException:
            _quiet_quit(smtp)  # after a failure the conversation's state is unknown
            raise
        return smtp

    async def send(self, message: OutboundMessage, *, idempotency_key: str) -> SentMessage:
        """Send one email; a retry with the same key repeats its Message-ID."""
        message_id = message_id_for(idempotency_key, domain=self._domain)
        mail = render_mail(message, sender=self._config.sender, message_id=message_id)
        async with self._slots:
            smtp = self._idle.pop() if self._idle else None
            try:
                smtp = await asyncio.to_thread(self._deliver, smtp, mail)
            except (smtplib.SMTPException, OSError) as exc:
                raise error_for(exc) from None
            self._idle.append(smtp)
        return SentMessage(PLATFORM, mail.message_id, "sent")

    @property
    def open_connections(self) -> int:
        """Connections kept open between sends (at most ``pool_size``)."""
        return len(self._idle)

    async def aclose(self) -> None:
        """Say QUIT on every idle connection and close it."""
        idle, self._idle = self._idle, []
        for smtp in idle:
            await asyncio.to_thread(_quiet_quit, smtp)


def _quiet_quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
