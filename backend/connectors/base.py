"""What every connector shares: the errors that tell callers what to do next.

A connector maps a platform's response to exactly one action, in one place:

    ok                 -> return the parsed payload
    RateLimited        -> wait ``retry_after`` seconds, then try again (do not count as failure)
    TokenExpired       -> refresh credentials, then try again
    TransientError     -> retry with backoff (5xx, timeouts, malformed bodies)
    AuthFailed         -> fail, non-retryable (wrong key/signature/token)
    Rejected           -> fail, non-retryable (the platform refused the input)

Connectors never know which workflow calls them and never log credentials.
"""

from __future__ import annotations

from typing import Any

from backend.core.errors import NonRetryableError, RetryableError

__all__ = [
    "ConnectorError",
    "RateLimited",
    "TokenExpired",
    "TransientError",
    "AuthFailed",
    "Rejected",
]


class ConnectorError(RetryableError):
    """A platform call did not succeed; subclasses say what to do about it."""

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        status: int | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(f"{platform}: {message}")
        self.platform = platform
        self.status = status
        self.response_body = body  # not `body`: SpioError.body() builds API errors


class RateLimited(ConnectorError):
    """Over the platform's limit; ``retry_after`` is what the platform asked for."""

    def __init__(self, message: str, *, platform: str, retry_after: float, **kw: Any) -> None:
        super().__init__(message, platform=platform, **kw)
        self.retry_after = retry_after


class TokenExpired(ConnectorError):
    """The access token expired: refresh it and try again."""


class TransientError(ConnectorError):
    """5xx, timeout, connection reset or a malformed body: retry with backoff."""


class AuthFailed(NonRetryableError):
    """Wrong credentials or signature; retrying cannot help."""

    def __init__(self, message: str, *, platform: str, status: int | None = None) -> None:
        super().__init__(f"{platform}: {message}")
        self.platform = platform
        self.status = status


class Rejected(NonRetryableError):
    """The platform refused the request's content (invalid input)."""

    def __init__(
        self, message: str, *, platform: str, status: int | None = None, body: Any = None
    ) -> None:
        super().__init__(f"{platform}: {message}")
        self.platform = platform
        self.status = status
        self.response_body = body  # not `body`: SpioError.body() builds API errors
