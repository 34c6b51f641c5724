"""Schemathesis over every route on PostgreSQL, with hostile values laid over what it
generates: NUL bytes, lone surrogates, 500-character names and nesting 70-900 deep in
bodies, queries and path ids. No answer is a 5xx or a traceback.

The suite runs a short pass (SPIO_FUZZ_EXAMPLES, default 6 per operation and role);
``bench/fuzz_hostile.py`` runs the long one (at least 3,000 requests) and prints the
figures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.exceptions import InvalidJSONError

from backend.api.app import create_app

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("SPIO_FUZZ_EXAMPLES", "6"))
BODY_TEXT = ["a\x00b", "\x00", "\ud800", "x\udfffy", "n" * 500, "\u202e\ufeff", "😀" * 40,
             "../../secret.key", "%00"]
URL_TEXT = ["a\x00b", "\x00", "n" * 500, "../..", "%00", "😀"]


def _deep(depth: int, *, as_list: bool) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value] if as_list else {"k": value}
    return value


HOSTILE_VALUE = st.one_of(
    st.sampled_from(BODY_TEXT),
    st.builds(_deep, st.sampled_from([70, 300, 900]), as_list=st.booleans()),
    st.sampled_from([1.7976931348623157e308, -(2**70), 2**64]),
)


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _string_paths(v, (*path, k))] or [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _string_paths(v, (*path, i))] or [path]
    return [path]


def _poison_body(body: Any, data: st.DataObject) -> Any:
    hostile = data.draw(HOSTILE_VALUE)
    if not isinstance(body, (dict, list)):
        return hostile if data.draw(st.booleans()) else body
    paths = _string_paths(body)
    target = data.draw(st.sampled_from(paths))
    if not target:
        return {**body, "x\x00" if data.draw(st.booleans()) else "extra": hostile} \
            if isinstance(body, dict) else [*body, hostile]
    node = body
    for part in target[:-1]:
        node = node[part]
    node[target[-1]] = hostile
    return body


def _poison(case: Any, data: st.DataObject) -> None:
    """Lay hostile values over a generated request (each part with some chance)."""
    if case.body is not None and not isinstance(case.body, (bytes, str)) \
            and data.draw(st.booleans()):
        case.body = _poison_body(case.body, data)
    for part in (case.query, case.path_parameters):
        if part and data.draw(st.booleans()):
            name = data.draw(st.sampled_from(sorted(part)))
            part[name] = data.draw(st.sampled_from(URL_TEXT))


def _checker(*, operation: Any, auth: dict[str, str], tally: dict[str, Any]):
    label = f"{operation.method.upper()} {operation.path}"

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), data=st.data(), drop_auth=st.booleans())
    def check(case: Any, data: st.DataObject, drop_auth: bool) -> None:
        _poison(case, data)
        try:
            response = case.call(headers={} if drop_auth else auth)
        except (UnicodeEncodeError, InvalidJSONError):  # the client cannot send it
            tally["unsendable"] += 1
            return
        except Exception as exc:  # the app raised: a 500 under a real server
            tally["requests"] += 1
            tally["failures"].append({"op": label, "status": "raised",
                                      "answer": f"{type(exc).__name__}: {exc}"[:300],
                                      "path": repr(case.path_parameters)[:200]})
            return
        tally["requests"] += 1
        tally["by_status"][str(response.status_code)] = \
            tally["by_status"].get(str(response.status_code), 0) + 1
        degraded_probe = (label == "GET /health" and response.status_code == 503
                          and response.json().get("status") == "degraded")
        # /health's 503 is its answer (no scheduler or worker runs beside this test app).
        if (response.status_code >= 500 and not degraded_probe) or "Traceback" in response.text:
            tally["failures"].append({"op": label, "status": response.status_code,
                                      "body": repr(case.body)[:200],
                                      "query": repr(case.query)[:200],
                                      "path": repr(case.path_parameters)[:200],
                                      "answer": response.text[:200]})

    return check


def run_hostile_fuzz(*, admin_token: str) -> dict[str, Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
    schema.config.generation.update(codec=None, allow_x00=True)
    auth = {"Authorization": f"Bearer {admin_token}"}
    tally: dict[str, Any] = {"requests": 0, "unsendable": 0, "operations": 0,
                             "by_status": {}, "failures": []}
    for result in schema.get_all_operations():
        tally["operations"] += 1
        _checker(operation=result.ok(), auth=auth, tally=tally)()
    return tally


@pytest.mark.parametrize("backend_kind", ["postgres"], indirect=True)
def test_hostile_values_on_every_route_never_give_a_5xx(env, admin_token):
    tally = run_hostile_fuzz(admin_token=admin_token)
    report = os.environ.get("SPIO_FUZZ_REPORT")
    if report:
        Path(report).write_text(json.dumps(tally))
    print(f"hostile fuzz on PostgreSQL: {tally['operations']} operations, "
          f"{tally['requests']} requests, statuses {tally['by_status']}")
    assert tally["operations"] >= 30 and tally["requests"] >= EXAMPLES * 20
    assert not tally["failures"], json.dumps(tally["failures"][:5], indent=1)
