"""Planner accuracy on the blind evaluation set (tests/ai/planner_eval), offline or LLM path.

    python bench/planner_eval.py                 # offline engine, dev and both held-out halves
    python bench/planner_eval.py --half all      # every half (dev, dev2, dev3 too)
    python bench/planner_eval.py --engine llm    # the LLM path through the local fake server
    python bench/planner_eval.py --half dev3 --show-misses  # what a dev half got wrong

Prints accuracy ("fully right", rules in tests/ai/planner_eval/README.md) per workflow and
per language for each half, then the JSON line. The held-out halves (heldout: 220 prompts
of the first blind round, heldout2: 195 of the second) are only ever summed up: no prompt,
label or per-item result of them is printed; they are reported apart and combined
("held-out, 415"). Targets: the combined held-out >= 95 % fully right, every output valid
against the job schema (parse_spec again at the reference clock), p95 planning time
< 50 ms offline. The baseline measured beside it is the time
of job validation alone (parse_spec of the same specs), so the ratio shows what reading
the prompt adds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import Report, print_table  # noqa: E402

HALVES = {"dev": "dev.jsonl", "dev2": "dev2.jsonl", "dev3": "dev3.jsonl",
          "heldout": "heldout.jsonl", "heldout2": "heldout2.jsonl"}  # fmt: skip
HELD_OUT = ("heldout", "heldout2")
# --half: one half by name, or a group of them
GROUPS = {"both": ["dev", "heldout", "heldout2"], "held-out": list(HELD_OUT),
          "all": list(HALVES)}  # fmt: skip


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _planner(engine: str, stack: ExitStack):  # type: ignore[no-untyped-def]
    from backend.ai.planner import plan, plan_offline
    from backend.core.config import Settings

    if engine == "offline":
        settings = Settings(llm_base_url="", llm_api_key="")
        return lambda prompt, now: plan_offline(prompt, now=now, settings=settings)
    from tests.ai.fake_llm_server import running_fake_llm

    fake = stack.enter_context(running_fake_llm())
    settings = Settings(llm_base_url=fake.url, llm_api_key="sk-fake", llm_model="fake")

    def via_llm(prompt: str, now):  # type: ignore[no-untyped-def]
        result = plan(prompt, use_ai=True, now=now, settings=settings)
        if result.engine != "llm":
            raise RuntimeError(f"fell back to offline: {result.fallback_reason}")
        return result

    return via_llm


def _rows(outcomes, key):  # type: ignore[no-untyped-def]
    groups: dict[str, list] = defaultdict(list)
    for o in outcomes:
        groups[str(key(o))].append(o)
    return [[name, len(g), sum(not o.misses for o in g),
             f"{sum(not o.misses for o in g) / len(g):.1%}"] for name, g in sorted(groups.items())]


def _baseline(specs: list[dict]) -> float:
    """Seconds per spec for job validation alone (the part both engines share)."""
    from backend.jobs.validation import parse_spec
    from tests.ai.planner_eval.scoring import NOW

    started = time.perf_counter()
    for spec in specs:
        parse_spec(spec, now=NOW)
    return (time.perf_counter() - started) / max(1, len(specs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["offline", "llm"], default="offline")
    parser.add_argument("--half", choices=[*HALVES, *GROUPS], default="both")
    parser.add_argument("--show-misses", action="store_true", help="dev halves only")
    args = parser.parse_args()
    from tests.ai.planner_eval.scoring import load, run_case

    report = Report()
    halves = GROUPS.get(args.half, [args.half])
    with ExitStack() as stack:
        planner = _planner(args.engine, stack)
        planner("pantau harga 10 produk di shopee tiap 5 menit", now=None)  # warm-up (imports)
        results = {}
        for half in halves:
            cases = load(HALVES[half])
            results[half] = [run_case(c, planner) for c in cases]
    held = [o for half in HELD_OUT for o in results.get(half, [])]
    shown = dict(results)
    if all(half in results for half in HELD_OUT):
        shown[f"held-out, {len(held)}"] = held
    for half, outcomes in shown.items():
        right = sum(not o.misses for o in outcomes)
        print(f"\n{half}: {right}/{len(outcomes)} fully right ({right / len(outcomes):.1%}), "
              f"engine {args.engine}")  # fmt: skip
        print_table(["workflow", "prompts", "right", "share"],
                    _rows(outcomes, lambda o: o.workflow or "(refuse)"))  # fmt: skip
        print_table(["language", "prompts", "right", "share"], _rows(outcomes, lambda o: o.lang))
        if half.startswith("dev") and args.show_misses:  # never per item for a held-out half
            prompts = {c["id"]: c["prompt"] for c in load(HALVES[half])}
            for o in outcomes:
                if o.misses:
                    print(f"  {o.case_id}: {prompts[o.case_id][:100]!r} -> {o.misses}")
        if half in results:  # the combined held-out is the target below
            report.figure(f"{half}_fully_right", right / len(outcomes))
        for name, total, ok, _share in _rows(outcomes, lambda o: o.lang):
            report.figure(f"{half.split(',')[0]}_{name}", round(ok / total, 3))
    everything = [o for outcomes in results.values() for o in outcomes]
    seconds = [o.seconds for o in everything]
    p95_ms = _p95(seconds) * 1000
    from backend.ai.planner import plan_offline
    from tests.ai.planner_eval.scoring import NOW
    from tests.ai.planner_eval.scoring import load as load_half

    specs = []
    for case in load_half("dev.jsonl")[:60]:
        try:
            specs.append(plan_offline(case["prompt"], now=NOW).spec)
        except Exception:  # noqa: BLE001 - refusals have no spec
            continue
    base_ms = _baseline(specs) * 1000
    print_table(["timing", "ms"], [["planning p50", f"{statistics.median(seconds) * 1000:.2f}"],
                                   ["planning p95", f"{p95_ms:.2f}"],
                                   ["baseline: parse_spec alone", f"{base_ms:.2f}"]])
    if held:  # both held-out halves together when both ran (the goal is on the combined figure)
        report.figure("heldout_prompts", len(held))
        report.target("heldout_combined_fully_right", sum(not o.misses for o in held) / len(held),
                      goal=0.95)  # fmt: skip
    report.target("outputs_valid", sum(o.valid for o in everything) / len(everything), goal=1.0)
    if args.engine == "offline":  # the target is for the offline engine (no network)
        report.target("p95_planning_ms", p95_ms, goal=50, higher_is_better=False)
    else:
        report.figure("p95_planning_ms_via_fake_llm", p95_ms)
    report.figure("p95_vs_validation_alone", p95_ms / base_ms if base_ms else 0.0)
    report.figure("engine", args.engine)
    report.emit()


if __name__ == "__main__":
    main()
