"""WhatsApp, Telegram, SMS and SMTP as the real platforms shape them."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import httpx

from backend.sandbox.credentials import CREDENTIALS
from tests.sandbox_fixture import SandboxHandle

WA = CREDENTIALS["whatsapp"]
TG = CREDENTIALS["telegram"]["bot_token"]
SMS = CREDENTIALS["sms"]
WA_PATH = f"/v19.0/{WA['phone_number_id']}/messages"


def _wa(client: httpx.Client, body: dict, *, token: str = WA["access_token"], key: str = ""):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(WA_PATH, json=body, headers=headers)


def _template(to: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "template",
        "template": {"name": "hello_world", "language": {"code": "en_US"}},
    }


def test_whatsapp_template_is_accepted_and_counted(client: httpx.Client) -> None:
    r = _wa(client, _template("+62 811-000-1111"))
    assert r.status_code == 200
    body = r.json()
    assert body["contacts"] == [{"input": "+62 811-000-1111", "wa_id": "628110001111"}]
    assert body["messages"][0]["id"].startswith("wamid.")
    counters = client.get("/_admin/counters").json()
    assert counters["messages"]["whatsapp"] == {"628110001111": 1}


def test_whatsapp_bad_token_gets_graph_error_190(client: httpx.Client) -> None:
    r = _wa(client, _template("6281100011111"), token="nope")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == 190
    assert r.json()["error"]["type"] == "OAuthException"


def test_whatsapp_session_message_outside_window_fails_later(client: httpx.Client) -> None:
    """The Cloud API accepts it (200, a message id) and reports 131047 afterwards."""
    text = {
        "messaging_product": "whatsapp",
        "to": "6285700000001",
        "type": "text",
        "text": {"body": "Halo kak"},
    }
    r = _wa(client, text)
    assert r.status_code == 200 and r.json()["messages"][0]["id"].startswith("wamid.")
    counters = client.get("/_admin/counters").json()
    assert counters["messages_failed"] == {"whatsapp": 1} and not counters["messages"]
    client.post("/_admin/whatsapp/sessions", json={"phones": ["+6285700000001"]})
    assert _wa(client, text).status_code == 200
    assert client.get("/_admin/counters").json()["messages"] == {
        "whatsapp": {"6285700000001": 1}}


def test_whatsapp_unknown_template_and_wrong_parameter_count(client: httpx.Client) -> None:
    unknown = _template("6281100011112") | {
        "template": {"name": "promo_2099", "language": {"code": "id"}}}
    r = _wa(client, unknown)
    assert r.status_code == 400 and r.json()["error"]["code"] == 132001
    params = [{"type": "text", "text": "Sari"}]
    short = _template("6281100011112") | {"template": {
        "name": "promo", "language": {"code": "id"},
        "components": [{"type": "body", "parameters": params}]}}
    r = _wa(client, short)
    assert r.status_code == 400 and r.json()["error"]["code"] == 132000
    listed = client.get(f"/v19.0/{WA['waba_id']}/message_templates",
                        headers={"Authorization": f"Bearer {WA['access_token']}"}).json()
    assert {("promo", "id"), ("hello_world", "en_US")} <= {
        (t["name"], t["language"]) for t in listed["data"]}


def test_whatsapp_over_limit_is_429_with_130429(client: httpx.Client) -> None:
    client.post("/_admin/limits", json={"whatsapp.messages": {"limit": 3, "window_sec": 60}})
    codes = [_wa(client, _template(f"62811000{i:04d}")).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    r = _wa(client, _template("6281100009999"))
    assert r.json()["error"]["code"] == 130429
    assert int(r.headers["Retry-After"]) >= 1
    assert client.get("/_admin/counters").json()["rate_limited"]["whatsapp"] == 3


def test_idempotency_key_replays_and_counts_duplicate(client: httpx.Client) -> None:
    first = _wa(client, _template("6281100012345"), key="camp-1:cust-1:wa")
    again = _wa(client, _template("6281100012345"), key="camp-1:cust-1:wa")
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    counters = client.get("/_admin/counters").json()
    assert counters["duplicates"]["whatsapp"] == 1
    assert counters["messages"]["whatsapp"]["6281100012345"] == 1


def test_telegram_send_message_and_errors(client: httpx.Client) -> None:
    r = client.post(f"/bot{TG}/sendMessage", json={"chat_id": 4242, "text": "Promo gede bgt!"})
    assert r.status_code == 200
    result = r.json()["result"]
    assert r.json()["ok"] is True and result["chat"]["id"] == 4242
    assert result["text"] == "Promo gede bgt!"
    bad = client.post("/bot123:WRONG/sendMessage", json={"chat_id": 1, "text": "x"})
    assert bad.status_code == 401
    assert bad.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    empty = client.post(f"/bot{TG}/sendMessage", json={"chat_id": 1, "text": ""})
    assert empty.status_code == 400 and empty.json()["ok"] is False


def test_telegram_429_carries_retry_after(client: httpx.Client) -> None:
    client.post("/_admin/limits", json={"telegram.bot": {"limit": 2, "window_sec": 10}})
    replies = [
        client.post(f"/bot{TG}/sendMessage", json={"chat_id": 100 + i, "text": "hi"})
        for i in range(3)
    ]
    assert [r.status_code for r in replies] == [200, 200, 429]
    body = replies[-1].json()
    assert body["error_code"] == 429
    assert body["parameters"]["retry_after"] >= 1
    assert body["description"].startswith("Too Many Requests: retry after")


def test_telegram_send_document_multipart(client: httpx.Client, sandbox: SandboxHandle) -> None:
    r = client.post(
        f"/bot{TG}/sendDocument",
        data={"chat_id": "-1001234567890", "caption": "Laporan harian"},
        files={"document": ("report.pdf", b"%PDF-1.4 hello", "application/pdf")},
    )
    assert r.status_code == 200
    doc = r.json()["result"]["document"]
    assert doc["file_name"] == "report.pdf" and doc["file_size"] == 14
    assert sandbox.state.documents[-1]["caption"] == "Laporan harian"


def test_sms_basic_auth_form_fields(client: httpx.Client) -> None:
    url = f"/sms/2010-04-01/Accounts/{SMS['account_sid']}/Messages.json"
    form = {"To": "+6281234567890", "From": SMS["from_number"], "Body": "Krisis terdeteksi"}
    ok = client.post(url, data=form, auth=(SMS["account_sid"], SMS["auth_token"]))
    assert ok.status_code == 201
    assert ok.json()["status"] == "queued" and ok.json()["sid"].startswith("SM")
    bad = client.post(url, data=form, auth=(SMS["account_sid"], "wrong"))
    assert bad.status_code == 401 and bad.json()["code"] == 20003
    missing = client.post(
        url, data={"From": "+1500", "Body": "x"}, auth=(SMS["account_sid"], SMS["auth_token"])
    )
    assert missing.status_code == 400 and missing.json()["code"] == 21604


def test_smtp_stores_mail_with_attachments_and_dedups(
    client: httpx.Client, sandbox: SandboxHandle
) -> None:
    msg = EmailMessage()
    msg["From"] = "SPIO <noreply@spio.local>"
    msg["To"] = "ceo@company.com"
    msg["Subject"] = "Laporan BI harian"
    msg["Message-ID"] = "<report-2026-11-25@spio.local>"
    msg.set_content("Ringkasan penjualan kemarin")
    msg.add_attachment(
        b"%PDF-1.4 data", maintype="application", subtype="pdf", filename="report.pdf"
    )
    with smtplib.SMTP(sandbox.smtp_host, sandbox.smtp_port, timeout=10) as smtp:
        smtp.send_message(msg)
        smtp.send_message(msg)
    mail = client.get("/_admin/mail", params={"to": "ceo@company.com"}).json()
    assert mail["count"] == 1
    item = mail["items"][0]
    assert item["subject"] == "Laporan BI harian"
    assert item["attachments"][0]["filename"] == "report.pdf"
    assert item["attachments"][0]["size"] == len(b"%PDF-1.4 data")
    assert client.get("/_admin/counters").json()["duplicates"]["email"] == 1


def test_telegram_parse_mode_is_rendered_into_entities(client: httpx.Client) -> None:
    html_text = '<b>Promo</b> 50% &amp; <a href="https://toko.id/t/ab12">klik</a>'
    r = client.post(f"/bot{TG}/sendMessage",
                    json={"chat_id": 77, "text": html_text, "parse_mode": "HTML"})
    result = r.json()["result"]
    assert result["text"] == "Promo 50% & klik"
    assert result["entities"] == [
        {"offset": 0, "length": 5, "type": "bold"},
        {"offset": 12, "length": 4, "type": "text_link", "url": "https://toko.id/t/ab12"}]
    v2 = client.post(f"/bot{TG}/sendMessage",
                     json={"chat_id": 77, "text": "*Promo* 50%\\!", "parse_mode": "MarkdownV2"})
    assert v2.json()["result"]["text"] == "Promo 50%!"
    bad = client.post(f"/bot{TG}/sendMessage",
                      json={"chat_id": 77, "text": "Promo 50%.", "parse_mode": "MarkdownV2"})
    assert bad.status_code == 400
    assert bad.json()["description"].startswith("Bad Request: can't parse entities: Character")
    unclosed = client.post(f"/bot{TG}/sendMessage",
                           json={"chat_id": 77, "text": "<b>x", "parse_mode": "HTML"})
    assert unclosed.status_code == 400


def test_telegram_document_caption_and_url(client: httpx.Client, sandbox: SandboxHandle) -> None:
    no_caption = client.post(f"/bot{TG}/sendDocument", data={"chat_id": "42"},
                             files={"document": ("a.pdf", b"%PDF-1.4 x", "application/pdf")})
    assert "caption" not in no_caption.json()["result"]
    file_id = no_caption.json()["result"]["document"]["file_id"]
    again = client.post(f"/bot{TG}/sendDocument", json={"chat_id": 42, "document": file_id})
    assert again.json()["result"]["document"]["file_size"] == 10
    jpeg = client.post(f"/bot{TG}/sendDocument", json={
        "chat_id": 42, "document": f"{sandbox.base_url}/img/PROD001/1.jpg"})
    assert jpeg.status_code == 400  # by URL only PDF, ZIP and GIF
    assert jpeg.json()["description"] == "Bad Request: wrong type of the web page content"
    missing = client.post(f"/bot{TG}/sendDocument", json={
        "chat_id": 42, "document": f"{sandbox.base_url}/nothing-here.pdf"})
    assert missing.json()["description"] == "Bad Request: failed to get HTTP URL content"
