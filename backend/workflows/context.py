"""What a workflow gets: the :class:`WorkflowContext` protocol every step is typed with.

The worker's ``RunContext`` satisfies it (so do test doubles): a workflow never imports
the worker, and a newcomer reads here everything a step may use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from backend.core.config import Settings
from backend.domain.spec import JobSpec

if TYPE_CHECKING:
    from backend.connectors.runtime import Platforms
    from backend.tools import Tools

__all__ = ["WorkflowContext"]

T = TypeVar("T")


class WorkflowContext(Protocol):
    """One attempt of one run, as its workflow sees it."""

    run_id: int
    job_id: str
    attempt: int
    spec: JobSpec
    inputs: dict[str, Any]
    settings: Settings
    scheduled_for: datetime | None

    @property
    def tools(self) -> Tools:
        """The job tools: http, kv, state, messaging, metrics, files, multimedia, command,
        revenue (built on first use)."""
        ...

    @property
    def platforms(self) -> Platforms:
        """The one door to the platforms: ``platforms.catalog("shopee")`` and the like
        hand out connectors configured with the shop's account (live, else the
        sandbox's defaults) whose every call takes a rate slot and follows the one call
        policy (retries with backoff and jitter, Retry-After obeyed)."""
        ...

    def log(self, message: str, *, level: str = "info") -> None:
        """Keep a line in the run's log."""
        ...

    async def progress(self, done: float, total: float | None = None, message: str = "") -> None:
        """Report progress (0..1, or done/total)."""
        ...

    def check_cancelled(self) -> None:
        """Raise ``RunCancelled`` when the user cancelled the run."""
        ...

    async def step(self, name: str, fn: Callable[[], Awaitable[T]]) -> T:
        """Run ``fn`` as the step ``name``, or return its checkpoint from an earlier
        attempt."""
        ...

    async def once(self, key: str, fn: Callable[[str], Awaitable[T]], *,
                   known_new: bool = False) -> T:
        """Perform a side effect at most once per ``key``."""
        ...

    async def done_keys(self, prefix: str) -> set[str]:
        """Keys with ``prefix`` already in the exactly-once ledger."""
        ...

    async def add_artifact(self, *, name: str, path: str, content_type: str, size: int) -> Any:
        """Record a file the run produced."""
        ...
