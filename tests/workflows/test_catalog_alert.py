"""What catalog sync tells its alert recipients reads in the job's language: the verify
differences and the platforms' errors as words, never English in an Indonesian job."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from backend.core.messages import Worded
from backend.workflows.catalog.rules import parse_sync_inputs
from backend.workflows.catalog.workflow import alert, failures_of

PUSHED = {"platforms": {"lazada": {"failed": [
    {"sku": "KAOS-1", "error": "TransientError: lazada: ConnectError: [Errno 111] refused"}]}},
    "images": {"problems": []}}  # fmt: skip


def _verified() -> dict[str, Any]:
    stock = Worded("verify.stock", got=10, want=13)
    price = Worded("verify.price", got=129900, want=139900)
    return {"shopee": {"problems": [
        {"sku": "KAOS-2", "reason": str(stock), "worded": stock.keyed()},
        {"sku": "KAOS-3", "reason": str(price), "worded": price.keyed()}]}}  # fmt: skip


def _sent(language: str | None) -> str:
    texts: list[str] = []

    async def send(channel: str, to: str, text: str, **_: Any) -> Any:
        texts.append(text)
        return SimpleNamespace(provider_id="p1")

    async def once(key: str, fn: Any) -> Any:
        return await fn(key)

    ctx = SimpleNamespace(job_id="sync", run_id=1, once=once,
                          tools=SimpleNamespace(messaging=SimpleNamespace(send=send)))
    raw = {"platforms": ["shopee", "lazada"], "alert": [{"channel": "telegram", "to": "-100"}],
           **({"language": language} if language else {})}
    failures = failures_of(PUSHED, _verified())
    assert asyncio.run(alert(ctx, inputs=parse_sync_inputs(raw), failures=failures,
                             total=40)) == 1  # fmt: skip
    return texts[0]


def test_the_alert_speaks_indonesian_by_default() -> None:
    assert _sent(None).splitlines() == [
        "Sinkron katalog: 3 masalah dari 40 produk",
        "shopee: 2 listing",
        "lazada: 1 listing",
        "- lazada KAOS-1: lazada: platform tidak bisa dihubungi",
        "- shopee KAOS-2: stok 10, seharusnya 13",
        "- shopee KAOS-3: harga 129.900, seharusnya 139.900",
    ]


def test_the_alert_speaks_english_when_the_job_asks() -> None:
    text = _sent("en")
    assert text.splitlines()[0] == "Catalog sync: 3 problem(s) over 40 products"
    assert "- shopee KAOS-2: stock 10 instead of 13" in text
    assert "- shopee KAOS-3: price 129,900 instead of 139,900" in text
    # The JSON report keeps the English reason as it was written.
    assert failures_of(PUSHED, _verified())[1]["reason"] == "stock 10 instead of 13"
