"""The project's exception hierarchy, drawn here once.

    SpioError
    ├── InvalidInput          422, carries a list of {path, message}
    ├── NotFound              404
    ├── Conflict              409
    ├── PermissionDenied      403
    ├── Unavailable           503 (database or Redis down for a moment)
    └── WorkflowError         raised inside runs
        ├── RetryableError    the attempt fails; the retry policy decides
        ├── NonRetryableError the run fails at once (bad credentials, invalid input)
        └── RunCancelled      the user cancelled the run; it stops at the next await
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ErrorItem",
    "SpioError",
    "InvalidInput",
    "NotFound",
    "Conflict",
    "PermissionDenied",
    "Unavailable",
    "WorkflowError",
    "RetryableError",
    "NonRetryableError",
    "RunCancelled",
]


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One problem with a request: where (a JSON path such as ``schedule.cron``) and why."""

    path: str
    message: str
    suggestion: str | None = None
    # The message in the reader's language for the UI (backend.core.message_catalog);
    # the API answers ``message``.
    key: str | None = None
    params: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        if self.key is not None:  # a machine-readable code: the message key
            out["code"] = self.key
        return out


class SpioError(Exception):
    """Base of every error this project raises on purpose."""

    status_code = 500
    code = "error"

    def __init__(self, message: str, *, key: str | None = None,
                 params: dict[str, Any] | None = None) -> None:  # fmt: skip
        super().__init__(message)
        self.message = message
        # The same in the reader's language for the UI: a key of backend.core.message_catalog
        # and its params (the API keeps answering ``message``, in English).
        self.key, self.params = key, dict(params or {})

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "errors": []}


class InvalidInput(SpioError):
    status_code = 422
    code = "invalid_input"

    def __init__(self, errors: list[ErrorItem], message: str | None = None) -> None:
        super().__init__(message or "; ".join(f"{e.path}: {e.message}" for e in errors))
        self.errors = errors

    def body(self) -> dict[str, Any]:
        return {
            "error": self.code,
            "message": self.message,
            "errors": [e.as_dict() for e in self.errors],
        }


class NotFound(SpioError):
    status_code = 404
    code = "not_found"


class Conflict(SpioError):
    status_code = 409
    code = "conflict"


class PermissionDenied(SpioError):
    status_code = 403
    code = "forbidden"


class Unavailable(SpioError):
    status_code = 503
    code = "unavailable"


class WorkflowError(SpioError):
    """Raised by workflows and tools inside a run."""

    retryable = True


class RetryableError(WorkflowError):
    retryable = True


class NonRetryableError(WorkflowError):
    retryable = False


class RunCancelled(WorkflowError):
    """The user cancelled the run; it stops at the next await."""

    retryable = False
