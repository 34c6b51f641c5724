"""Every label the UI asks for exists in Indonesian and English, and no user-visible text
is written into a page without going through the translations."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

from backend.domain.vocab import PRIORITIES, ROLES, RUN_STATUSES, WORKFLOW_KINDS
from spio_ui.i18n import LANGUAGES, STRINGS, translations, word

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "spio_ui"
# tr["key"] / AppState.tr["key"] / self.tr['key'] with a literal key
_LITERAL = re.compile(r"""tr\[\s*["']([a-z_]+\.[a-z_]+)["']\s*\]""")
# tr["status." + ...]: a key built from data; its prefix must have words
_BUILT = re.compile(r"""tr\[\s*f?["']([a-z_]+\.)(?:["']\s*\+|\{)""")

# Literal text a page may show as is: the product's name and the language codes.
ALLOWED_LITERALS = {"SPIO Agent", "ID", "EN", "JSON", "SKU", "spio_…"}
# Calls whose positional arguments are not shown text.
_NOT_TEXT = {"rx.icon", "rx.redirect", "rx.foreach", "rx.download", "rx.breakpoints",
             "rx.color", "rx.call_script", "rx.set_value", "rx.moment", "rx.plotly",
             "rx.match", "rx.cond", "rx.asset", "rx.LocalStorage", "rx.Field"}  # fmt: skip
# Keyword arguments that are shown text (a tooltip, a placeholder ...).
_TEXT_KW = {"placeholder", "title", "label", "content", "aria_label", "text", "description",
            "empty_text", "hint", "prev_label", "next_label", "of_label"}  # fmt: skip
# The UI's own component helpers whose arguments are shown.
_HELPERS = {"section", "stat_card", "page_header", "run_fact", "nothing_done_note",
            "data_table", "traffic_light", "fact"}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]{2,}")


def _shown_literals(node: ast.AST):
    """String constants that end up on screen when ``node`` is a component's argument."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:
            yield from _shown_literals(value)
    elif isinstance(node, ast.BinOp):
        yield from _shown_literals(node.left)
        yield from _shown_literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _shown_literals(node.body)
        yield from _shown_literals(node.orelse)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for item in node.elts:
            yield from _shown_literals(item)
    elif isinstance(node, ast.Starred):
        yield from _shown_literals(node.value)
    elif isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        if name == "rx.cond":  # the condition is not shown, the branches are
            for arg in node.args[1:]:
                yield from _shown_literals(arg)
        elif name == "rx.match":
            for arg in node.args[1:]:
                yield from _shown_literals(arg.elts[-1] if isinstance(arg, ast.Tuple) else arg)


def untranslated_literals(source: str) -> list[str]:
    """``line: text`` for each literal a component would show without a translation."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if not (name.startswith("rx.") or name in _HELPERS) or name in _NOT_TEXT:
            continue
        shown = [*node.args, *(k.value for k in node.keywords if k.arg in _TEXT_KW)]
        for arg in shown:
            for literal in _shown_literals(arg):
                text = literal.value.strip()
                if _WORD.search(text) and text not in ALLOWED_LITERALS:
                    found.append(f"{literal.lineno}: {text!r}")
    return found


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in UI.rglob("*.py"):
        keys.update(_LITERAL.findall(path.read_text()))
    return keys


def test_every_literal_key_is_translated() -> None:
    used = _used_keys()
    assert len(used) > 50  # the scan finds the labels
    assert sorted(used - STRINGS.keys()) == []


def test_no_page_shows_text_that_skips_the_translations() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted(UI.rglob("*.py"))
        if (found := untranslated_literals(path.read_text()))
    }
    assert offenders == {}


def test_the_scan_catches_literal_text() -> None:
    # The scan would fail on the kinds of text that slipped through before.
    page = textwrap.dedent('''
        rx.text(State.total, " jobs")
        data_table([tr["a.b"], "open rate"], rows, render)
        rx.button(rx.cond(ok, "Saved", tr["x.y"]))
        rx.input(placeholder="Search…")
        fact("API key", value)
        rx.heading("SPIO Agent")
        rx.icon("log-out")
    ''')
    assert [line.split(": ", 1)[1] for line in untranslated_literals(page)] == [
        "'jobs'", "'open rate'", "'Saved'", "'Search…'", "'API key'"]


def test_keys_built_at_run_time_exist() -> None:
    # Keys built from data ("status." + a run's status) have a word for every value.
    for status in (*RUN_STATUSES, "active", "paused", "disabled", "nothing_done"):
        assert f"status.{status}" in STRINGS, status
    for priority in PRIORITIES:
        assert f"priority.{priority}" in STRINGS
    for kind in WORKFLOW_KINDS:
        assert f"workflow.{kind}" in STRINGS
    for role in ROLES:
        assert f"role.{role}" in STRINGS
    for trigger in ("schedule", "manual", "retry", "dry_run"):
        assert f"trigger.{trigger}" in STRINGS
    prefixes = set()
    for path in UI.rglob("*.py"):
        prefixes.update(_BUILT.findall(path.read_text()))
    assert prefixes, "the scan finds keys built from data"
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in STRINGS), prefix


def test_every_step_of_every_workflow_has_a_name() -> None:
    steps = set()
    for path in (ROOT / "backend" / "workflows").rglob("*.py"):
        steps.update(re.findall(r"""ctx\.step\(\s*["']([a-z_-]+)["']""", path.read_text()))
    assert len(steps) > 10
    assert sorted(s for s in steps if f"step.{s}" not in STRINGS) == []
    assert word("en", "step", "reprice") == "Reprice" and word("id", "step", "x") == "x"


def test_both_languages_are_complete_and_differ_where_it_matters() -> None:
    for key, pair in STRINGS.items():
        assert len(pair) == len(LANGUAGES) and all(text.strip() for text in pair), key
        # A placeholder in one language is in the other too.
        assert set(re.findall(r"\{(\w+)", pair[0])) == set(re.findall(r"\{(\w+)", pair[1])), key
    indonesian, english = translations("id"), translations("en")
    assert indonesian["nav.dashboard"] == "Dasbor" and english["nav.dashboard"] == "Dashboard"
    assert indonesian["dash.worker_util"] != english["dash.worker_util"]
    assert translations("fr") == indonesian  # unknown language: the default
