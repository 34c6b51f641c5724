"""Email over SMTP (the sandbox's mail server by default), with attachments.

Each message carries a ``Message-ID`` derived from the idempotency key, so a retried
send is recognisable as the same mail (the sandbox stores it once; real inboxes thread
it as one). One SMTP connection is kept open per connector and reused; sends on it are
serialised (SMTP is one conversation at a time) and run in a thread because smtplib
blocks. SMTP replies are mapped to actions in :func:`error_for`.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from pydantic import BaseModel, Field, SecretStr

from backend.connectors.base import AuthFailed, ConnectorError, Rejected, TransientError
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
    """Sends email through one SMTP server, reusing its connection."""

    channel = PLATFORM

    def __init__(self, *, config: EmailConfig) -> None:
        self._config = config
        self._smtp: smtplib.SMTP | None = None
        self._lock = asyncio.Lock()
        domain = parseaddr(config.sender)[1].rpartition("@")[2]
        self._domain = domain or "spio.local"

    @property
    def account(self) -> str:
        return f"{self._config.host}:{self._config.port}"

    def build(self, message: OutboundMessage, *, idempotency_key: str) -> EmailMessage:
        """The MIME message: text (and html) body, attachments, stable Message-ID."""
        mail = EmailMessage()
        mail["From"] = self._config.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject or message.text.split("\n", 1)[0][:78]
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = message_id_for(idempotency_key, domain=self._domain)
        mail.set_content(message.text)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            mail.add_attachment(
                attachment.content,
                maintype=maintype or "application",
                subtype=subtype or "octet-stream",
                filename=attachment.filename,
            )
        return mail

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

    def _send_blocking(self, mail: EmailMessage) -> None:
        for attempt in (1, 2):
            if self._smtp is None:
                self._smtp = self._connect()
            try:
                self._smtp.send_message(mail)
                return
            except smtplib.SMTPServerDisconnected:
                # An idle connection the server closed: reconnect once, then give up.
                self._smtp = None
                if attempt == 2:
                    raise

    async def send(self, message: OutboundMessage, *, idempotency_key: str) -> SentMessage:
        """Send one email; a retry with the same key repeats its Message-ID."""
        mail = self.build(message, idempotency_key=idempotency_key)
        async with self._lock:
            try:
                await asyncio.to_thread(self._send_blocking, mail)
            except (smtplib.SMTPException, OSError) as exc:
                await self._drop()
                raise error_for(exc) from None
        return SentMessage(PLATFORM, str(mail["Message-ID"]), "sent")

    async def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            await asyncio.to_thread(_quiet_quit, smtp)

    async def aclose(self) -> None:
        """Say QUIT and close the connection."""
        async with self._lock:
            await self._drop()


def _quiet_quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
