"""python-telegram-bot (Telegram's most used Python client) against the sandbox's Bot API.

The client sends text with parse_mode, documents by URL and by upload, and reads what
the sandbox answers with its own models; the error shapes it knows (bad token, 429 with
retry_after, chat not found) must come out as its own exceptions. Our connector then
makes the same calls, and the test compares what went on the wire with what the client
sent, and maps the same refusals to the actions they call for.
"""

from __future__ import annotations

import datetime as dtm

import httpx
import pytest
from telegram import Bot, InputFile, MessageEntity
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.request import HTTPXRequest

from backend.connectors.base import AuthFailed, RateLimited, Rejected
from backend.connectors.messages import Attachment, OutboundMessage
from backend.connectors.telegram import TelegramConfig, TelegramConnector
from backend.connectors.telegram import raise_for_response as telegram_action
from backend.sandbox.credentials import CREDENTIALS
from tests.contract.conftest import admin
from tests.contract.recording import AsyncRecordingTransport, FilePart

pytestmark = pytest.mark.anyio
TOKEN = CREDENTIALS["telegram"]["bot_token"]
PDF = b"%PDF-1.4\n% laporan harian\n" + b"0" * 2000


def _bot(sandbox, *, token: str = TOKEN, recorder: AsyncRecordingTransport | None = None) -> Bot:
    kwargs = {"transport": recorder} if recorder is not None else None
    return Bot(token, base_url=f"{sandbox.base_url}/bot",
               request=HTTPXRequest(httpx_kwargs=kwargs))  # fmt: skip


async def _connector(sandbox, recorder: AsyncRecordingTransport) -> tuple[TelegramConnector,
                                                                          httpx.AsyncClient]:
    client = httpx.AsyncClient(transport=recorder, timeout=10)
    return TelegramConnector(config=TelegramConfig(base_url=sandbox.base_url),
                             client=client), client  # fmt: skip


async def test_client_reads_text_and_the_entities_parse_mode_makes(sandbox) -> None:
    async with _bot(sandbox) as bot:
        assert (await bot.get_me()).username == "spio_sandbox_bot"
        html = await bot.send_message(
            chat_id=500_000_007, parse_mode="HTML",
            text='<b>Promo 12.12</b> &amp; ongkir gratis: <a href="https://toko.id/t/ab12">klik</a>')
        md = await bot.send_message(
            chat_id=500_000_007, parse_mode="MarkdownV2",
            text="_Diskon_ 50%\\! [cek](https://toko.id/t/cd34)")
    assert html.text == "Promo 12.12 & ongkir gratis: klik"
    parsed = {e.type: (text, e.url) for e, text in html.parse_entities().items()}
    assert parsed == {MessageEntity.BOLD: ("Promo 12.12", None),
                      MessageEntity.TEXT_LINK: ("klik", "https://toko.id/t/ab12")}  # fmt: skip
    assert md.text == "Diskon 50%! cek"
    assert {e.type: t for e, t in md.parse_entities().items()} == {
        MessageEntity.ITALIC: "Diskon", MessageEntity.TEXT_LINK: "cek"}
    # The client's own renderer gives back the markup it sent (offsets in UTF-16).
    assert html.text_html == "<b>Promo 12.12</b> &amp; ongkir gratis: " \
        '<a href="https://toko.id/t/ab12">klik</a>'


async def test_client_sends_documents_by_upload_and_by_url(sandbox, file_server) -> None:
    base, files = file_server
    files["/laporan.pdf"] = (PDF, "application/pdf")
    async with _bot(sandbox) as bot:
        uploaded = await bot.send_document(
            chat_id=-1001234567890, document=InputFile(PDF, filename="laporan-harian.pdf"))
        by_url = await bot.send_document(chat_id=-1001234567890, document=f"{base}/laporan.pdf",
                                         caption="<i>Laporan</i>", parse_mode="HTML")
        again = await bot.send_document(chat_id=42, document=uploaded.document.file_id)
    doc = uploaded.document
    assert (doc.file_name, doc.file_size, doc.mime_type) == (
        "laporan-harian.pdf", len(PDF), "application/pdf")
    assert uploaded.caption is None  # an empty caption is left out, not ""
    assert (by_url.document.file_size, by_url.document.mime_type) == (len(PDF), "application/pdf")
    assert by_url.caption == "Laporan" and by_url.caption_entities[0].type == MessageEntity.ITALIC
    assert again.document.file_size == len(PDF)


async def test_connector_sends_what_the_client_sends(sandbox) -> None:
    theirs, ours = AsyncRecordingTransport(), AsyncRecordingTransport()
    async with _bot(sandbox, recorder=theirs) as bot:
        await bot.send_message(chat_id="-1001234567890", text="Laporan harian siap")
        await bot.send_document(chat_id="-1001234567890", caption="Laporan BI",
                                document=InputFile(PDF, filename="bi.pdf"))  # fmt: skip
    connector, client = await _connector(sandbox, ours)
    async with client:
        await connector.send(OutboundMessage("-1001234567890", "Laporan harian siap"),
                             idempotency_key="c1")  # fmt: skip
        await connector.send(OutboundMessage(
            "-1001234567890", "Laporan BI",
            attachments=(Attachment("bi.pdf", PDF, "application/pdf"),)), idempotency_key="c2")
    sent = {c.path.rsplit("/", 1)[-1]: c for c in theirs.calls}
    mine = {c.path.rsplit("/", 1)[-1]: c for c in ours.calls}
    assert mine["sendMessage"].params == sent["sendMessage"].params
    assert mine["sendDocument"].encoding == sent["sendDocument"].encoding == "multipart"
    assert mine["sendDocument"].params == sent["sendDocument"].params
    assert mine["sendDocument"].params["document"] == FilePart("bi.pdf", "application/pdf",
                                                               len(PDF))  # fmt: skip


async def test_error_shapes_are_the_clients_and_the_connectors(sandbox, monkeypatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # the client's coming retry_after type
    admin(sandbox, "telegram/chats", {"unknown": ["777000111"], "blocked": ["777000222"]})
    wrong = TOKEN.split(":")[0] + ":AAwrongSecretWrongSecretWrongSecret1"
    with pytest.raises(InvalidToken):  # well-formed, wrong: 401
        await _bot(sandbox, token=wrong).send_message(chat_id=1, text="x")
    with pytest.raises(InvalidToken):  # not a token at all: 404
        await _bot(sandbox, token="not-a-token").send_message(chat_id=1, text="x")
    async with _bot(sandbox) as bot:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(chat_id=777000111, text="Halo")
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(chat_id=777000222, text="Halo")
    # The connector reads the same answers as the actions they call for.
    base = f"{sandbox.base_url}/bot"
    for token, chat, action in ((wrong, 1, AuthFailed), ("not-a-token", 1, AuthFailed),
                                (TOKEN, 777000111, Rejected), (TOKEN, 777000222, Rejected)):
        with pytest.raises(action):
            telegram_action(httpx.post(f"{base}{token}/sendMessage",
                                       json={"chat_id": chat, "text": "x"}))  # fmt: skip
    admin(sandbox, "limits", {"telegram.chat": {"limit": 1, "window_sec": 30}})
    async with _bot(sandbox) as bot:
        await bot.send_message(chat_id=500_000_007, text="satu")
        with pytest.raises(RetryAfter) as limited:
            await bot.send_message(chat_id=500_000_007, text="dua")
    assert isinstance(limited.value.retry_after, dtm.timedelta)
    assert limited.value.retry_after.total_seconds() >= 1
    with pytest.raises(RateLimited) as slowed:
        telegram_action(httpx.post(f"{base}{TOKEN}/sendMessage",
                                   json={"chat_id": 500_000_007, "text": "tiga"}))  # fmt: skip
    assert slowed.value.retry_after is not None and slowed.value.retry_after >= 1
