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
        "template": {"name": "black_friday_2026", "language": {"code": "id"}},
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


def test_whatsapp_session_message_outside_window_needs_template(client: httpx.Client) -> None:
    text = {
        "messaging_product": "whatsapp",
        "to": "6285700000001",
        "type": "text",
        "text": {"body": "Halo kak"},
    }
    r = _wa(client, text)
    assert r.status_code == 400 and r.json()["error"]["code"] == 131047
    client.post("/_admin/whatsapp/sessions", json={"phones": ["+6285700000001"]})
    assert _wa(client, text).status_code == 200


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
