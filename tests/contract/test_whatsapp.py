"""pywa (the WhatsApp Cloud API's most used Python client) against the sandbox.

The client sends text, templates and documents (by link and uploaded), the sandbox must
answer what the client reads, refuse what the Cloud API refuses (132001 no such
template, 132000 wrong parameter count) in the shape the client turns into its own
errors, and report a later failure (131047 outside the 24-hour window) in a status
webhook the client's own webhook handler validates and parses. Our connector then makes
the same calls; what went on the wire must match the client's.
"""

from __future__ import annotations

import httpx
import orjson
import pytest
from pywa import WhatsApp
from pywa.errors import (
    ExpiredAccessToken,
    RateLimitHit,
    ReEngagementMessage,
    TemplateNotExists,
    TemplateParamCountMismatch,
)
from pywa.types import MessageStatus, MessageStatusType
from pywa.types.templates import BodyText, TemplateLanguage

from backend.connectors.base import AuthFailed, RateLimited, Rejected
from backend.connectors.messages import OutboundMessage, TemplateRef
from backend.connectors.whatsapp import (
    WhatsAppConfig,
    WhatsAppConnector,
    parse_statuses,
    valid_signature,
)
from backend.connectors.whatsapp import raise_for_response as whatsapp_action
from backend.sandbox.credentials import CREDENTIALS
from tests.contract.conftest import admin, wait_for
from tests.contract.recording import AsyncRecordingTransport, RecordingTransport

WA = CREDENTIALS["whatsapp"]
VERSION = WA["api_version"].lstrip("v")
IN_WINDOW = "6281234567890"  # wrote to the shop today (the sandbox's default session)
PROMO = ("Budi", "Harbolnas", "20%", "https://toko.id/t/ab12")


def _wa(sandbox, *, token: str = WA["access_token"], recorder: RecordingTransport | None = None,
        **kwargs) -> WhatsApp:  # fmt: skip
    """pywa as it ships: it talks to graph.facebook.com; the transport reroutes that host
    to the sandbox after the client built each request."""
    transport = recorder or RecordingTransport(target=sandbox.base_url)
    return WhatsApp(phone_id=WA["phone_number_id"], token=token, api_version=VERSION,
                    session=httpx.Client(transport=transport, timeout=10), **kwargs)  # fmt: skip


def test_client_sends_text_template_and_documents(sandbox) -> None:
    wa = _wa(sandbox)
    text = wa.send_message(to=IN_WINDOW, text="Pesananmu sudah dikirim", preview_url=True)
    promo = wa.send_template(to="6281311112222", name="promo", language=TemplateLanguage.INDONESIAN,
                             params=[BodyText.params(*PROMO)])  # fmt: skip
    by_link = wa.send_document(to=IN_WINDOW, document="https://toko.id/laporan.pdf",
                               filename="laporan.pdf", caption="Laporan harian")  # fmt: skip
    uploaded = wa.send_document(to=IN_WINDOW, document=b"%PDF-1.4 laporan" * 64,
                                filename="rekap.pdf", mime_type="application/pdf")  # fmt: skip
    assert all(m.id.startswith("wamid.") for m in (text, promo, by_link, uploaded))
    sent = {item["message_id"]: item for item in admin(sandbox, "sent?channel=whatsapp")["items"]}
    assert sent[promo.id]["text"] == ("promo Halo Budi! Harbolnas: diskon 20% khusus untukmu. "
                                      "Belanja: https://toko.id/t/ab12")  # fmt: skip
    assert sent[by_link.id]["text"] == "laporan.pdf Laporan harian"
    assert sent[uploaded.id]["text"] == "rekap.pdf"


def test_client_reads_the_template_refusals_as_its_own_errors(sandbox) -> None:
    wa = _wa(sandbox)
    with pytest.raises(TemplateNotExists):
        wa.send_template(to="6281311112222", name="promo_tidak_ada",
                         language=TemplateLanguage.INDONESIAN,
                         params=[BodyText.params("x")])  # fmt: skip
    with pytest.raises(TemplateNotExists):  # approved, but not in this language
        wa.send_template(to="6281311112222", name="promo", language=TemplateLanguage.GERMAN,
                         params=[BodyText.params(*PROMO)])  # fmt: skip
    with pytest.raises(TemplateParamCountMismatch):
        wa.send_template(to="6281311112222", name="promo", language=TemplateLanguage.INDONESIAN,
                         params=[BodyText.params("Budi", "Harbolnas")])  # fmt: skip


def test_error_shapes_are_the_clients_and_the_connectors(sandbox) -> None:
    with pytest.raises(ExpiredAccessToken):  # code 190: a token Meta does not accept
        _wa(sandbox, token="EAAwrong").send_message(to=IN_WINDOW, text="x")
    admin(sandbox, "limits", {"whatsapp.messages": {"limit": 1, "window_sec": 60}})
    wa = _wa(sandbox)
    wa.send_message(to=IN_WINDOW, text="satu")
    with pytest.raises(RateLimitHit):
        wa.send_message(to=IN_WINDOW, text="dua")
    url = f"{sandbox.base_url}/{WA['api_version']}/{WA['phone_number_id']}/messages"
    body = {"messaging_product": "whatsapp", "to": IN_WINDOW, "type": "text",
            "text": {"body": "x"}}  # fmt: skip
    with pytest.raises(RateLimited):
        whatsapp_action(httpx.post(url, json=body, headers={
            "Authorization": f"Bearer {WA['access_token']}"}))
    with pytest.raises(AuthFailed):
        whatsapp_action(httpx.post(url, json=body, headers={"Authorization": "Bearer EAAwrong"}))
    admin(sandbox, "limits", {"whatsapp.messages": {"limit": 80, "window_sec": 1}})
    template = {**body, "type": "template", "template": {"name": "nope",
                                                         "language": {"code": "id"}}}
    with pytest.raises(Rejected, match="132001"):
        whatsapp_action(httpx.post(url, json=template, headers={
            "Authorization": f"Bearer {WA['access_token']}"}))


@pytest.mark.anyio
async def test_connector_sends_what_the_client_sends(sandbox) -> None:
    theirs = RecordingTransport(target=sandbox.base_url)
    wa = _wa(sandbox, recorder=theirs)
    wa.send_message(to="+6281234567890", text="Pesananmu sudah dikirim", preview_url=True)
    wa.send_template(to="+6281311112222", name="promo", language=TemplateLanguage.INDONESIAN,
                     params=[BodyText.params(*PROMO)])  # fmt: skip
    ours = AsyncRecordingTransport()
    async with httpx.AsyncClient(transport=ours, timeout=10) as client:
        connector = WhatsAppConnector(config=WhatsAppConfig(base_url=sandbox.base_url),
                                      client=client)  # fmt: skip
        await connector.send(OutboundMessage("+6281234567890", "Pesananmu sudah dikirim"),
                             idempotency_key="w1")  # fmt: skip
        await connector.send(OutboundMessage("+6281311112222", "promo", template=TemplateRef(
            "promo", "id", PROMO)), idempotency_key="w2")
    assert [c.path for c in ours.calls] == [c.path for c in theirs.calls]
    for mine, sent in zip(ours.calls, theirs.calls, strict=True):
        assert (mine.encoding, _cased(mine.params)) == (sent.encoding, _cased(sent.params))


def _cased(params: dict) -> dict:
    """Template component types compared without case: pywa writes "BODY", Meta's send
    examples "body", and the Cloud API takes either."""
    template = params.get("template")
    if not template:
        return params
    comps = [{**c, "type": str(c["type"]).lower()} for c in template.get("components", [])]
    return {**params, "template": {**template, "components": comps}}


def test_client_parses_the_sandboxs_status_webhooks(sandbox, webhook_sink) -> None:
    """A text outside the 24-hour window is accepted (200, a message id) and fails later:
    the status webhook must pass pywa's signature check and parse as a failed status
    with ReEngagementMessage (131047); the connector reads the same from the same body."""
    base, received = webhook_sink
    admin(sandbox, "webhooks", {"whatsapp": f"{base}/webhooks/whatsapp"})
    admin(sandbox, "tracking", {"speed": 200})
    sender = _wa(sandbox)
    late = sender.send_message(to="6281399998888", text="Promo hari ini")  # no session
    ok = sender.send_message(to=IN_WINDOW, text="Pesananmu sudah dikirim")
    hooks = wait_for(received, 2)

    receiver = WhatsApp(phone_id=WA["phone_number_id"], token=WA["access_token"],
                        verify_token=WA["verify_token"], app_secret=WA["app_secret"],
                        validate_updates=True)  # fmt: skip
    parsed: list[MessageStatus] = []
    receiver.on_message_status()(lambda _, status: parsed.append(status))
    config = WhatsAppConfig(base_url=sandbox.base_url)
    for hook in hooks:
        signature = hook.headers["X-Hub-Signature-256"]
        assert receiver.webhook_update_validator(hook.body, signature) is None
        assert receiver.webhook_update_handler(hook.body) == ("ok", 200)
        assert valid_signature(config, hook.body, signature)
        assert receiver.webhook_update_validator(hook.body + b" ", signature) == ("Forbidden",
                                                                               403)  # fmt: skip
    statuses = {s.id: s for s in parsed}
    assert set(statuses) == {late.id, ok.id}
    failed = statuses[late.id]
    assert failed.status == MessageStatusType.FAILED
    assert isinstance(failed.error, ReEngagementMessage) and failed.error.code == 131047
    assert failed.from_user.wa_id == "6281399998888"
    assert statuses[ok.id].status in (MessageStatusType.DELIVERED, MessageStatusType.FAILED)
    ours = {u.provider_id: u for hook in hooks for u in parse_statuses(orjson.loads(hook.body))}
    for wamid, status in statuses.items():
        assert ours[wamid].status == status.status.value
        assert ours[wamid].error_code == (status.error.code if status.error else None)
