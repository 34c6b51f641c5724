"""POST /events: any system with an operator token sends an event (stock.low from a
warehouse, a mention from a listening tool); it starts the matching jobs once."""

from __future__ import annotations

from sqlmodel import select

from backend.core.db import session_scope
from backend.models import Run


def test_a_stock_event_starts_the_low_stock_job_once_and_bad_events_are_422(api):
    assert api.post("/jobs", json={"job_id": "restock", "workflow": "noop",
                                   "trigger": {"event": "stock.low", "threshold": 3,
                                               "filter": {"sku": "PROD001"}}}).status_code == 201
    low = {"kind": "stock.low", "id": "PROD001-2026-12-07T10:00", "source": "gudang",
           "data": {"sku": "PROD001", "stock": 2, "previous_stock": 4}}
    first = api.post("/events", json=low)
    assert first.status_code == 202 and first.json()["jobs"] == ["restock"]
    again = api.post("/events", json=low)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    other = api.post("/events", json={**low, "id": "PROD002-1",
                                      "data": {"sku": "PROD002", "stock": 0}})
    assert other.status_code == 202 and other.json()["runs"] == []
    unknown = api.post("/events", json={**low, "kind": "stock.gone"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["path"] == "kind"
    hook = api.post("/events", json={**low, "kind": "webhook"})
    assert hook.status_code == 422 and "/hooks/" in hook.json()["errors"][0]["message"]
    spaced = api.post("/events", json={**low, "id": "has space"})
    assert spaced.status_code == 422 and spaced.json()["errors"][0]["path"] == "id"
    token = api.headers.pop("Authorization")
    assert api.post("/events", json=low).status_code == 401
    api.headers["Authorization"] = token
    with session_scope() as session:
        runs = session.exec(select(Run)).all()
    assert [(r.job_id, r.trigger) for r in runs] == [("restock", "event")]
    listed = api.get("/events").json()
    assert listed["total"] == 2 and listed["items"][0]["event_id"] == "PROD002-1"
    assert [e["runs_started"] for e in listed["items"]] == [0, 1]
    mine = api.get("/events", params={"job_id": "restock"}).json()
    assert [e["event_id"] for e in mine["items"]] == [low["id"]]
    assert mine["items"][0]["source"] == "api:gudang"
    assert api.get("/events", params={"kind": "order.paid"}).json()["total"] == 0
    assert api.get("/events", params={"kind": "nope"}).status_code == 422
