"""Every label the UI asks for exists in Indonesian and English."""

from __future__ import annotations

import re
from pathlib import Path

from spio_ui.i18n import LANGUAGES, STRINGS, translations

UI = Path(__file__).resolve().parents[2] / "spio_ui"
# tr["key"] / AppState.tr["key"] / self.tr['key'] with a literal key
_LITERAL = re.compile(r"""tr\[\s*["']([a-z_]+\.[a-z_]+)["']\s*\]""")


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in UI.rglob("*.py"):
        keys.update(_LITERAL.findall(path.read_text()))
    return keys


def test_every_literal_key_is_translated() -> None:
    used = _used_keys()
    assert len(used) > 50  # the scan finds the labels
    assert sorted(used - STRINGS.keys()) == []


def test_keys_built_at_run_time_exist() -> None:
    # "status." + job status and "role." + role are built from data.
    for key in ("status.active", "status.paused", "status.disabled"):
        assert key in STRINGS
    for role in ("viewer", "operator", "admin"):
        assert f"role.{role}" in STRINGS


def test_both_languages_are_complete_and_differ_where_it_matters() -> None:
    for key, pair in STRINGS.items():
        assert len(pair) == len(LANGUAGES) and all(text.strip() for text in pair), key
    indonesian, english = translations("id"), translations("en")
    assert indonesian["nav.dashboard"] == "Dasbor" and english["nav.dashboard"] == "Dashboard"
    assert translations("fr") == indonesian  # unknown language: the default
