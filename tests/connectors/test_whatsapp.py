"""WhatsApp connector against the sandbox's Cloud API."""

from __future__ import annotations

import anyio
import pytest
from pydantic import SecretStr

from backend.connectors.base import AuthFailed, RateLimited, Rejected, TransientError
from backend.connectors.messages import Attachment, OutboundMessage, TemplateRef
from backend.connectors.whatsapp import WhatsAppConfig, WhatsAppConnector
from tests.connectors.messaging_support import admin, client, sandbox, sandbox_handle

__all__ = ["client", "sandbox", "sandbox_handle"]
pytestmark = pytest.mark.anyio

PROMO = TemplateRef("promo", "id", ("Sari", "Black Friday", "50%", "https://t.example/x"))


def _wa(sandbox, client, **config) -> WhatsAppConnector:
    return WhatsAppConnector(
        config=WhatsAppConfig(base_url=sandbox.base_url, **config), client=client
    )


async def test_template_message_is_delivered(sandbox, client) -> None:
    sent = await _wa(sandbox, client).send(
        OutboundMessage(to="+62 811-000-1111", text="(rendered)", template=PROMO),
        idempotency_key="k-template",
    )
    assert sent.provider_id.startswith("wamid.") and not sent.replayed
    assert admin(sandbox, "counters")["messages"]["whatsapp"] == {"628110001111": 1}
    [item] = admin(sandbox, "sent?channel=whatsapp")["items"]
    assert "Black Friday" in item["text"] and "50%" in item["text"]


async def test_session_text_outside_window_is_accepted_then_fails(sandbox, client) -> None:
    """As on the Cloud API: 200 and a message id now, 131047 in a status webhook later."""
    admin(sandbox, "tracking", {"speed": 50})
    wa = _wa(sandbox, client)
    sent = await wa.send(OutboundMessage(to="6285700000001", text="Halo kak"),
                         idempotency_key="k-text")  # fmt: skip
    assert sent.provider_id.startswith("wamid.") and sent.status == "accepted"
    assert admin(sandbox, "counters")["messages_failed"] == {"whatsapp": 1}
    events = []
    for _ in range(100):
        events = admin(sandbox, f"tracking?message_id={sent.provider_id}")["events"]
        if events:
            break
        await anyio.sleep(0.05)
    assert [(e["type"], e["error_code"]) for e in events] == [("failed", 131047)]
    admin(sandbox, "whatsapp/sessions", {"phones": ["+6285700000001"]})
    inside = await wa.send(OutboundMessage(to="6285700000001", text="Halo kak"),
                           idempotency_key="k-text-2")  # fmt: skip
    assert admin(sandbox, "counters")["messages"]["whatsapp"] == {"6285700000001": 1}
    assert inside.provider_id != sent.provider_id


@pytest.mark.parametrize(
    ("template", "code"),
    [
        (TemplateRef("promo_2099", "id", ("a",)), "132001"),  # never approved
        (TemplateRef("promo", "fr", PROMO.params), "132001"),  # not in that language
        (TemplateRef("promo", "id", ("Sari", "Black Friday")), "132000"),  # 2 of 4 params
    ],
)
async def test_templates_are_checked_at_send(sandbox, client, template, code) -> None:
    with pytest.raises(Rejected, match=code):
        await _wa(sandbox, client).send(OutboundMessage("6281100000009", "x", template=template),
                                        idempotency_key=f"t-{code}-{template.language}")
    assert admin(sandbox, "counters")["messages"].get("whatsapp") is None


async def test_wrong_token_is_auth_failure_without_the_token(sandbox, client) -> None:
    wa = _wa(sandbox, client, access_token=SecretStr("EAAwrong-token"))
    with pytest.raises(AuthFailed) as caught:
        await wa.send(OutboundMessage("6281100000002", "x", template=PROMO), idempotency_key="a")
    assert "EAAwrong" not in str(caught.value) and caught.value.status == 401


async def test_over_the_limit_is_rate_limited_with_retry_after(sandbox, client) -> None:
    admin(sandbox, "limits", {"whatsapp.messages": {"limit": 2, "window_sec": 60}})
    wa = _wa(sandbox, client)
    for i in range(2):
        await wa.send(
            OutboundMessage(f"62811000{i:04d}", "x", template=PROMO), idempotency_key=f"r{i}"
        )
    with pytest.raises(RateLimited) as caught:
        await wa.send(OutboundMessage("628110009999", "x", template=PROMO), idempotency_key="r9")
    assert caught.value.retry_after >= 1


async def test_repeated_key_is_not_sent_twice(sandbox, client) -> None:
    wa = _wa(sandbox, client)
    message = OutboundMessage("6281100000003", "x", template=PROMO)
    first = await wa.send(message, idempotency_key="same")
    again = await wa.send(message, idempotency_key="same")
    assert again.provider_id == first.provider_id and again.replayed
    counters = admin(sandbox, "counters")
    assert counters["messages"]["whatsapp"] == {"6281100000003": 1}
    assert counters["duplicates"]["whatsapp"] == 1


async def test_server_errors_and_malformed_bodies_are_transient(sandbox, client) -> None:
    wa = _wa(sandbox, client)
    message = OutboundMessage("6281100000004", "x", template=PROMO)
    admin(sandbox, "faults", {"platforms": {"whatsapp": {"p_5xx": 1.0}}})
    with pytest.raises(TransientError):
        await wa.send(message, idempotency_key="f1")
    admin(sandbox, "faults", {"platforms": {"whatsapp": {"p_malformed": 1.0}}})
    with pytest.raises(TransientError):
        await wa.send(message, idempotency_key="f2")


async def test_bad_input_is_rejected(sandbox, client) -> None:
    wa = _wa(sandbox, client)
    with pytest.raises(Rejected):
        await wa.send(OutboundMessage("12", "x", template=PROMO), idempotency_key="b1")
    with pytest.raises(Rejected, match="attachments"):
        await wa.send(
            OutboundMessage("6281100000005", "x", attachments=(Attachment("a.pdf", b"%PDF"),)),
            idempotency_key="b2",
        )
