"""The connector form turns stored settings into text and back without changing them."""

from __future__ import annotations

import pytest

from spio_ui.pages.settings_connectors import _shown, _typed


@pytest.mark.parametrize(("kind", "stored"), [
    ("bool", True), ("bool", False), ("number", 2001), ("number", 20.5),
    ("text", "https://partner.shopeemobile.com"),
])
def test_a_stored_setting_survives_the_form(kind: str, stored: object) -> None:
    assert _typed(kind, _shown(kind, stored)) == stored


def test_unset_settings_stay_unset_and_bad_numbers_reach_the_service() -> None:
    assert _shown("text", None) == "" and _shown("number", "") == ""
    assert _typed("number", "12x") == "12x"  # refused there, by field name
