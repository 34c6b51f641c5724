"""Twilio's own Python library against the sandbox's SMS API.

The library sends with ``From`` and with ``MessagingServiceSid``, fetches and lists
(following ``next_page_uri``), reads ``num_segments`` as Twilio counts them (GSM-7 and
UCS-2), and raises its ``TwilioRestException`` with the status and code of each refusal.
The status callback the sandbox posts must pass Twilio's ``RequestValidator``. Our
connector then sends the same messages; its form must be the library's.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from backend.connectors.base import AuthFailed, RateLimited, Rejected
from backend.connectors.messages import OutboundMessage
from backend.connectors.sms import (
    SmsConfig,
    SmsConnector,
    parse_status_callback,
    valid_signature,
)
from backend.connectors.sms import raise_for_response as sms_action
from backend.sandbox.credentials import CREDENTIALS
from tests.contract.conftest import admin, wait_for
from tests.contract.recording import AsyncRecordingTransport, Call

SMS = CREDENTIALS["sms"]
TO = "+6281234567890"


class _Recording(TwilioHttpClient):
    """Twilio's own HTTP client, keeping what it sent."""

    def __init__(self) -> None:
        super().__init__(timeout=10)
        self.calls: list[Call] = []

    def request(self, method, url, params=None, data=None, **kwargs):  # type: ignore[override]
        path = httpx.URL(url).path.removeprefix("/sms")
        self.calls.append(Call(method.upper(), path, {**(params or {}), **(data or {})},
                               "form" if data else "none"))  # fmt: skip
        return super().request(method, url, params=params, data=data, **kwargs)


def _client(sandbox, *, token: str = SMS["auth_token"], sid: str = SMS["account_sid"],
            http: TwilioHttpClient | None = None) -> Client:  # fmt: skip
    client = Client(sid, token, http_client=http or TwilioHttpClient(timeout=10))
    client.api.base_url = f"{sandbox.base_url}/sms"  # api.twilio.com, played by the sandbox
    return client


def test_library_sends_fetches_and_lists(sandbox) -> None:
    client = _client(sandbox)
    plain = client.messages.create(to=TO, from_=SMS["from_number"], body="Pesananmu dikirim")
    service = client.messages.create(to="+6281311112222", body="Promo 12.12",
                                     messaging_service_sid=SMS["messaging_service_sid"])
    assert plain.sid.startswith("SM") and plain.status == "queued"
    assert plain.from_ == SMS["from_number"] and plain.num_segments == "1"
    # A service picks its sender after accepting: no From yet, status accepted.
    assert (service.status, service.from_) == ("accepted", None)
    assert service.messaging_service_sid == SMS["messaging_service_sid"]
    fetched = client.messages(plain.sid).fetch()
    assert (fetched.sid, fetched.body, fetched.to) == (plain.sid, "Pesananmu dikirim", TO)
    for n in range(3):
        client.messages.create(to=TO, from_=SMS["from_number"], body=f"Pengingat {n}")
    # Newest first, across pages of two: the library follows next_page_uri.
    listed = client.messages.list(to=TO, page_size=2)
    assert [m.body for m in listed] == ["Pengingat 2", "Pengingat 1", "Pengingat 0",
                                        "Pesananmu dikirim"]  # fmt: skip


@pytest.mark.parametrize(("body", "segments"), [
    ("a" * 160, "1"), ("a" * 161, "2"),          # GSM-7: 160 alone, 153 a part
    ("{}" * 40, "1"), ("{}" * 40 + "a", "2"),    # extended characters take two septets
    ("Diskon 50% 🎉" + "x" * 57, "1"),            # UCS-2: 70 UTF-16 units alone
    ("Diskon 50% 🎉" + "x" * 58, "2"),            # 71 units: two parts of 67
    ("“Promo”" * 20, "3"),                        # 140 UCS-2 units: 3 parts of 67
])  # fmt: skip
def test_library_reads_segments_as_twilio_counts_them(sandbox, body, segments) -> None:
    sent = _client(sandbox).messages.create(to=TO, from_=SMS["from_number"], body=body)
    assert sent.num_segments == segments


def test_error_shapes_are_the_librarys_and_the_connectors(sandbox) -> None:
    def refused(**kwargs) -> TwilioRestException:
        create = kwargs.pop("create", {"to": TO, "from_": SMS["from_number"], "body": "x"})
        with pytest.raises(TwilioRestException) as raised:
            _client(sandbox, **kwargs).messages.create(**create)
        return raised.value

    bad_token = refused(token="wrong")
    assert (bad_token.status, bad_token.code) == (401, 20003)
    bad_to = refused(create={"to": "0812", "from_": SMS["from_number"], "body": "x"})
    assert (bad_to.status, bad_to.code) == (400, 21211)
    no_sender = refused(create={"to": TO, "body": "x"})
    assert (no_sender.status, no_sender.code) == (400, 21603)
    with pytest.raises(TwilioRestException) as missing:
        _client(sandbox).messages("SM" + "0" * 32).fetch()
    assert (missing.value.status, missing.value.code) == (404, 20404)
    admin(sandbox, "limits", {"sms.messages": {"limit": 1, "window_sec": 60}})
    _client(sandbox).messages.create(to=TO, from_=SMS["from_number"], body="satu")
    limited = refused()
    assert (limited.status, limited.code) == (429, 20429)
    # The connector reads the same answers as the actions they call for.
    url = f"{sandbox.base_url}/sms/2010-04-01/Accounts/{SMS['account_sid']}/Messages.json"
    form = {"To": TO, "From": SMS["from_number"], "Body": "x"}
    auth = (SMS["account_sid"], SMS["auth_token"])
    with pytest.raises(RateLimited) as slowed:
        sms_action(httpx.post(url, data=form, auth=auth))
    assert slowed.value.retry_after and slowed.value.retry_after >= 1
    with pytest.raises(AuthFailed):
        sms_action(httpx.post(url, data=form, auth=(SMS["account_sid"], "wrong")))
    admin(sandbox, "limits", {"sms.messages": {"limit": 10, "window_sec": 1}})
    with pytest.raises(Rejected, match="21211"):
        sms_action(httpx.post(url, data={**form, "To": "0812"}, auth=auth))


@pytest.mark.anyio
@pytest.mark.parametrize("service", [False, True])
async def test_connector_sends_what_the_library_sends(sandbox, service) -> None:
    callback = "https://toko.example/webhooks/twilio"
    http = _Recording()
    sender = ({"messaging_service_sid": SMS["messaging_service_sid"]} if service
              else {"from_": SMS["from_number"]})  # fmt: skip
    _client(sandbox, http=http).messages.create(to=TO, body="Promo 🎉 hari ini",
                                                status_callback=callback, **sender)  # fmt: skip
    ours = AsyncRecordingTransport(strip="/sms")
    config = SmsConfig(base_url=f"{sandbox.base_url}/sms", status_callback_url=callback,
                       messaging_service_sid=SMS["messaging_service_sid"] if service else "")
    async with httpx.AsyncClient(transport=ours, timeout=10) as client:
        await SmsConnector(config=config, client=client).send(
            OutboundMessage(TO, "Promo 🎉 hari ini"), idempotency_key="s1")
    [theirs], [mine] = http.calls, ours.calls
    assert (mine.method, mine.path, mine.encoding) == (theirs.method, theirs.path, "form")
    assert mine.params == theirs.params


def test_status_callback_passes_twilios_request_validator(sandbox, webhook_sink) -> None:
    base, received = webhook_sink
    callback = f"{base}/webhooks/twilio"
    admin(sandbox, "tracking", {"speed": 200})
    client = _client(sandbox)
    sent = [client.messages.create(to=f"+62813000000{n}", from_=SMS["from_number"],
                                   body="Pesananmu dikirim", status_callback=callback)
            for n in range(2)]  # fmt: skip
    service = client.messages.create(to="+6281300000099", body="Promo", status_callback=callback,
                                     messaging_service_sid=SMS["messaging_service_sid"])
    hooks = wait_for(received, 3)
    validator = RequestValidator(SMS["auth_token"])
    config = SmsConfig(base_url=f"{sandbox.base_url}/sms")
    seen = {}
    for hook in hooks:
        form = dict(parse_qsl(hook.body.decode()))
        signature = hook.headers["X-Twilio-Signature"]
        assert validator.validate(callback, form, signature)
        assert not validator.validate(callback, {**form, "MessageStatus": "delivered!"}, signature)
        assert valid_signature(config, callback, form, signature)
        update = parse_status_callback(form)
        assert update is not None and form["MessageStatus"] in ("delivered", "undelivered")
        assert update.status == ("delivered" if form["MessageStatus"] == "delivered" else "failed")
        seen[form["MessageSid"]] = form
    assert set(seen) == {m.sid for m in (*sent, service)}
    assert seen[service.sid]["MessagingServiceSid"] == SMS["messaging_service_sid"]
    # What the callback said is what a fetch says now.
    for sid, form in seen.items():
        assert client.messages(sid).fetch().status == form["MessageStatus"]
