"""Which shops a job acts on: ``inputs.accounts`` resolved against the saved accounts.

A seller may run several shops on one platform (two Shopee shops, "toko-a" and
"toko-b"). A job names them in its inputs::

    "accounts": {"shopee": ["toko-a", "toko-b"], "lazada": "all"}

per platform a list of account names, or ``"all"``. A platform the job does not name
acts on every live account saved for it, else on the sandbox's default shop (a fresh
install, a demo). ``"all"`` is every live account too, else every shop the sandbox plays
there (two per marketplace), so "di kedua toko Shopee saya" works before any shop is
connected. A name must be an account saved for that platform (Settings → Connectors,
live or sandbox) or a shop the sandbox plays; :func:`account_problems` says which is
not, at its field, for the spec validator.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlmodel import select

from backend.connectors.accounts import ACCOUNT_TTL_SEC, DEFAULT_ACCOUNT
from backend.connectors.defaults import default_accounts
from backend.connectors.registry import account_models, account_platform
from backend.core.errors import ErrorItem
from backend.core.messages import problem_item
from backend.domain.shops import store_key
from backend.models import ConnectorAccount

__all__ = ["ALL", "account_platform", "resolve_accounts", "known_accounts", "saved_accounts",
           "account_problems", "forget_saved", "job_stores"]  # fmt: skip

ALL = "all"

_lock = threading.Lock()
_cache: dict[str, tuple[float, dict[str, dict[str, str]]]] = {}


def _read_saved() -> dict[str, dict[str, str]]:
    from backend.core.db import session_scope

    out: dict[str, dict[str, str]] = {}
    with session_scope() as session:
        for row in session.exec(select(ConnectorAccount)).all():
            out.setdefault(row.platform, {})[row.name] = row.mode
    return out


def saved_accounts() -> dict[str, dict[str, str]]:
    """Platform → account name → mode of every saved account (re-read every
    ``ACCOUNT_TTL_SEC``; the last read, or none, while the database does not answer)."""
    from backend.core.config import get_settings

    key = get_settings().resolved_database_url
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < ACCOUNT_TTL_SEC:
            return hit[1]
    try:
        saved = _read_saved()
    except Exception:  # noqa: BLE001 - an outage keeps the last accounts read
        saved = hit[1] if hit is not None else {}
    with _lock:
        _cache[key] = (now, saved)
    return saved


def forget_saved() -> None:
    """Read the accounts again on next use (after a save, and in tests)."""
    with _lock:
        _cache.clear()


def _live(platform: str) -> list[str]:
    saved = saved_accounts().get(account_platform(platform), {})
    return sorted(name for name, mode in saved.items() if mode == "live")


def known_accounts(platform: str) -> list[str]:
    """Every account a job may name on ``platform``: saved ones and the sandbox's shops."""
    names = list(default_accounts(account_platform(platform)))
    names += sorted(set(saved_accounts().get(account_platform(platform), {})) - set(names))
    return names


def resolve_accounts(platform: str, named: Any) -> list[str]:
    """The accounts a job acts on, on ``platform`` (its ``inputs.accounts[platform]``,
    None when the job names none there). Never empty."""
    if isinstance(named, list) and named:
        return list(dict.fromkeys(str(n) for n in named))
    live = _live(platform)
    if named == ALL:
        return live or default_accounts(account_platform(platform)) or [DEFAULT_ACCOUNT]
    return live or [DEFAULT_ACCOUNT]


def job_stores(platforms: list[str], accounts: Any) -> list[str]:
    """The store keys (``shopee``, ``shopee@toko-b``: backend.domain.shops) of every shop
    a job with ``inputs.accounts`` = ``accounts`` acts on, over ``platforms``."""
    named = accounts if isinstance(accounts, dict) else {}
    return [store_key(p, a) for p in platforms
            for a in resolve_accounts(p, named.get(p, named.get(account_platform(p))))]


def account_problems(accounts: Any, *, path: str = "inputs.accounts") -> list[ErrorItem]:
    """What is wrong with a job's ``inputs.accounts``, each at its field."""
    if accounts is None:
        return []
    if not isinstance(accounts, dict):
        return [problem_item(path, "accounts.not_object")]
    platforms = account_models()
    problems: list[ErrorItem] = []
    for platform, names in accounts.items():
        where = f"{path}.{platform}"
        if account_platform(str(platform)) not in platforms:
            problems.append(problem_item(where, "accounts.unknown_platform",
                                         platform=str(platform),
                                         known=", ".join(sorted(platforms))))
            continue
        if names == ALL:
            continue
        if not isinstance(names, list) or not names or \
                not all(isinstance(n, str) and n for n in names):  # fmt: skip
            problems.append(problem_item(where, "accounts.not_list"))
            continue
        known = known_accounts(str(platform))
        problems += [problem_item(f"{where}[{i}]", "accounts.unknown_account",
                                  platform=str(platform), name=name, known=", ".join(known))
                     if known else problem_item(f"{where}[{i}]", "accounts.unknown_none_saved",
                                                platform=str(platform), name=name)
                     for i, name in enumerate(names) if name not in known]  # fmt: skip
    return problems
