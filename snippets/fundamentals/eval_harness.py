"""A product eval harness: a frozen test set pinned by its checksum, per-case results, regression tracking."""
import hashlib
import json
from collections.abc import Callable


def checksum(cases: list[dict]) -> str:
    """sha256 of the cases in a canonical JSON form: any edit, addition or reordering changes it."""
    canonical = json.dumps(cases, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def grade(case: dict, answer: str) -> bool:
    """Deterministic graders: the answer must contain every required string and none of the forbidden ones."""
    text = answer.lower()
    return (all(s.lower() in text for s in case.get("must_include", []))
            and not any(s.lower() in text for s in case.get("must_not_include", [])))


def run_eval(system: Callable[[str], str], cases: list[dict], frozen_checksum: str) -> dict[str, bool]:
    """Results per case id; refuses to run on a test set that is not the frozen one."""
    if checksum(cases) != frozen_checksum:
        raise ValueError("test set differs from the frozen version: results would not be comparable; "
                         "freeze a new version and re-run the baseline on it")
    return {case["id"]: grade(case, system(case["input"])) for case in cases}


def compare(baseline: dict[str, bool], current: dict[str, bool]) -> dict[str, list[str]]:
    """Cases that broke (passed before, fail now) and cases that were fixed."""
    if baseline.keys() != current.keys():
        raise ValueError("baseline and current results cover different cases")
    return {"regressions": sorted(k for k in baseline if baseline[k] and not current[k]),
            "fixes": sorted(k for k in baseline if current[k] and not baseline[k])}


CASES = [
    {"id": "refund-01", "input": "How long do refunds take?", "must_include": ["5 business days"]},
    {"id": "refund-02", "input": "Can I get a refund after 60 days?", "must_include": ["30 days"],
     "must_not_include": ["yes, you can"]},
    {"id": "tone-01", "input": "Your product is useless!", "must_not_include": ["calm down"]},
    {"id": "zh-01", "input": "退款需要多久？", "must_include": ["5 个工作日"]},
]
FROZEN = checksum(CASES)  # stored next to the cases and in the results, never recomputed silently

ANSWERS_V1 = {"How long do refunds take?": "Refunds arrive within 5 business days.",
              "Can I get a refund after 60 days?": "Refunds are possible within 30 days of purchase.",
              "Your product is useless!": "Sorry to hear that. What went wrong?",
              "退款需要多久？": "退款会在 5 个工作日内到账。"}
ANSWERS_V2 = {**ANSWERS_V1, "Can I get a refund after 60 days?": "Yes, you can! Refunds within 30 days.",
              "Your product is useless!": "Please calm down."}

baseline = run_eval(ANSWERS_V1.get, CASES, FROZEN)
current = run_eval(ANSWERS_V2.get, CASES, FROZEN)
report = compare(baseline, current)
print(f"test set {FROZEN[:12]}: v1 {sum(baseline.values())}/{len(CASES)}, "
      f"v2 {sum(current.values())}/{len(CASES)}, regressions {report['regressions']}")
assert report == {"regressions": ["refund-02", "tone-01"], "fixes": []}
