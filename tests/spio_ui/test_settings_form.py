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


def test_every_connector_setting_has_its_help_in_indonesian() -> None:
    """The Settings → Connectors form shows each setting's line in the reader's language:
    a connector gaining a setting without an Indonesian line fails here."""
    from backend.connectors.forms import platform_fields
    from backend.connectors.registry import account_models
    from spio_ui.connector_help import INDONESIAN, field_help

    lines = {f.description for p in account_models() for f in platform_fields(p)}
    assert len(lines) > 80 and "" not in lines
    assert sorted(lines - INDONESIAN.keys()) == []
    assert sorted(INDONESIAN.keys() - lines) == []  # nothing left over from a removed one
    shopee = {f.name: f.description for f in platform_fields("shopee")}
    assert field_help(shopee["partner_key"], lang="id") == (
        "Kunci partner aplikasi Anda; menandatangani setiap permintaan.")
    assert field_help(shopee["partner_key"], lang="en") == shopee["partner_key"]
