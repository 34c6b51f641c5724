"""The LLM client: any OpenAI-compatible server, JSON answers checked by the caller's parser.

Built by :func:`make_llm_client` from settings (``LLM_BASE_URL``, ``LLM_API_KEY``,
``LLM_MODEL``), never at import. :meth:`LLMClient.chat_json` asks for a JSON object — with
a JSON schema (``response_format`` ``json_schema``) when the caller gives one and the
server accepts it, else JSON mode (``json_object``), else plain instructions — hands it to
the caller's ``parse`` (which raises on anything invalid), and on an invalid answer asks
once more, quoting the problems. A server that rejects a response format with a 400 is
asked again without it, and the client remembers. Every AI feature falls back to its
offline engine when this raises. The key is never logged nor put in an error message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from backend.core.config import Settings, get_settings
from backend.core.errors import InvalidInput

__all__ = ["LLMClient", "LLMError", "LLMUnavailable", "LLMInvalidOutput", "make_llm_client",
           "ask_llm", "NO_LLM_REASON"]

# The planner's fallback reason when no LLM is configured (API and CLI show it as is; the
# UI shows its own words for a seller, keyed on this text).
NO_LLM_REASON = "no LLM configured (LLM_BASE_URL / LLM_API_KEY); used the offline planner"

log = logging.getLogger(__name__)
T = TypeVar("T")


class LLMError(Exception):
    """The LLM could not give a usable answer; callers fall back to the offline engine."""


class LLMUnavailable(LLMError):
    """Network error, timeout, non-2xx from the server."""


class LLMInvalidOutput(LLMError):
    """The answer was not JSON or failed validation, twice."""


def _problems(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        return "; ".join(f"{e.path}: {e.message}" for e in exc.errors)[:1500]
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)
        )[:1500]
    return str(exc)[:1500]


class LLMClient:
    """One configured endpoint and model."""

    def __init__(self, *, settings: Settings, max_attempts: int = 2) -> None:
        from openai import OpenAI

        self.model = settings.llm_model
        self.base_url = settings.llm_base_url
        self.max_attempts = max_attempts
        # The richest response format this server has not refused yet.
        self.response_mode = "json_schema"
        self._client = OpenAI(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout_sec,
            max_retries=1,  # transport-level retry; invalid answers are retried below
        )

    def __repr__(self) -> str:  # never show the key
        return f"LLMClient(base_url={self.base_url!r}, model={self.model!r})"

    def _format(self, schema: dict[str, Any] | None, name: str) -> dict[str, Any]:
        if self.response_mode == "json_schema" and schema is not None:
            return {"response_format": {"type": "json_schema", "json_schema": {
                "name": name, "schema": schema, "strict": False}}}  # fmt: skip
        if self.response_mode in ("json_schema", "json_object"):
            return {"response_format": {"type": "json_object"}}
        return {}

    def _complete(
        self, messages: list[dict[str, str]], *, schema: dict[str, Any] | None = None,
        schema_name: str = "answer",
    ) -> str:  # fmt: skip
        from openai import BadRequestError, OpenAIError

        extra = self._format(schema, schema_name)
        try:
            # plain dicts are what the SDK sends; its TypedDicts only narrow the keys
            response = self._client.chat.completions.create(
                model=self.model, messages=cast(Any, messages), temperature=0, **extra
            )
        except BadRequestError as exc:
            text = str(exc).lower()
            if extra and ("response_format" in text or "json_schema" in text):
                # Older OpenAI-compatible servers lack JSON schema or JSON mode: step down
                # (json_schema -> json_object -> none); the parser checks the answer anyway.
                kind = extra["response_format"]["type"]
                self.response_mode = "json_object" if kind == "json_schema" else "none"
                return self._complete(messages, schema=schema, schema_name=schema_name)
            raise LLMUnavailable(f"{type(exc).__name__}: {str(exc)[:300]}") from None
        except OpenAIError as exc:
            # The SDK's messages carry status and body, never the Authorization header.
            raise LLMUnavailable(f"{type(exc).__name__}: {str(exc)[:300]}") from None
        if not response.choices:
            return ""
        return response.choices[0].message.content or ""

    def chat_tools(
        self, *, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """One assistant turn that may call tools, as a JSON-able chat message."""
        from openai import OpenAIError

        try:
            response = self._client.chat.completions.create(
                model=self.model, messages=cast(Any, messages), tools=cast(Any, tools),
                temperature=0,
            )
        except OpenAIError as exc:
            raise LLMUnavailable(f"{type(exc).__name__}: {str(exc)[:300]}") from None
        if not response.choices:
            raise LLMInvalidOutput("the answer had no message")
        message = response.choices[0].message
        calls = [
            {"id": c.id, "type": "function",
             "function": {"name": c.function.name, "arguments": c.function.arguments or "{}"}}
            for c in message.tool_calls or [] if c.type == "function"
        ]  # fmt: skip
        out: dict[str, Any] = {"role": "assistant", "content": message.content}
        if calls:
            out["tool_calls"] = calls
        return out

    def chat_json(
        self,
        *,
        system: str,
        user: str,
        parse: Callable[[Any], T],
        schema: dict[str, Any] | None = None,
        schema_name: str = "answer",
    ) -> T:
        """Ask for a JSON object (matching ``schema`` when given); ``parse`` validates it
        (raising), retried once if invalid."""
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        problem = ""
        for attempt in range(1, self.max_attempts + 1):
            content = self._complete(messages, schema=schema, schema_name=schema_name)
            try:
                return parse(json.loads(content))
            except (ValueError, TypeError, KeyError, ValidationError, InvalidInput) as exc:
                problem = _problems(exc)
                log.warning("llm answer invalid (attempt %d, model %s): %s",
                            attempt, self.model, problem[:200])  # fmt: skip
                messages += [
                    {"role": "assistant", "content": content[:4000]},
                    {"role": "user", "content": "That answer was invalid: " + problem
                     + "\nReply again with one corrected JSON object only."},
                ]  # fmt: skip
        raise LLMInvalidOutput(f"invalid answer after {self.max_attempts} attempts: {problem}")


def make_llm_client(settings: Settings | None = None) -> LLMClient | None:
    """A client for the configured LLM, or None when no LLM is configured."""
    settings = settings or get_settings()
    if not settings.llm_enabled:
        return None
    return LLMClient(settings=settings)


def ask_llm(settings: Settings | None, *, system: str, payload: Any,
            parse: Callable[[Any], T]) -> tuple[T | None, str | None]:
    """The LLM path of every AI feature: ``(answer, None)``, validated by ``parse``, or
    ``(None, why)`` when no LLM is configured or it failed; the caller then uses its
    offline engine and reports ``why`` as its ``fallback_reason``."""
    client = make_llm_client(settings)
    if client is None:
        return None, "no LLM configured"
    user = json.dumps(payload, ensure_ascii=False, default=str)
    try:
        return client.chat_json(system=system, user=user, parse=parse), None
    except LLMError as exc:
        return None, f"LLM failed ({exc})"
