"""Weighted scoring of candidate partners: score = sum_k w_k * s_k, weights summing to 1."""
import math
from collections.abc import Mapping

SCALE = (0.0, 5.0)  # every criterion is scored on the same 0-5 scale


def _number(what: str, x: object) -> float:
    """x as a float; ValueError for booleans, non-numbers, NaN and infinity."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise ValueError(f"{what} must be a finite number, got {x!r}")
    return float(x)


def check_weights(weights: Mapping[str, float], tol: float = 1e-9) -> None:
    """Raise ValueError unless every weight is >= 0 and the weights sum to 1 (within tol)."""
    if not weights:
        raise ValueError("weights must name at least one criterion")
    for name, w in weights.items():
        _number(f"weight for {name!r}", w)
        if w < 0:
            raise ValueError(f"weight for {name!r} is negative ({w})")
    total = sum(weights.values())
    if abs(total - 1.0) > tol:
        raise ValueError(f"weights must sum to 1, got {total:.6f}")


def weighted_score(scores: Mapping[str, float], weights: Mapping[str, float],
                   scale: tuple[float, float] = SCALE) -> float:
    """Weighted sum of one candidate's scores; criteria must match the weights exactly."""
    check_weights(weights)
    missing = sorted(set(weights) - set(scores))
    if missing:
        raise ValueError(f"missing score for criteria: {', '.join(missing)}")
    extra = sorted(set(scores) - set(weights))
    if extra:
        raise ValueError(f"no weight for criteria: {', '.join(extra)}")
    lo, hi = scale
    for name, s in scores.items():
        _number(f"score for {name!r}", s)
        if not lo <= s <= hi:
            raise ValueError(f"score for {name!r} is {s}, outside [{lo}, {hi}]")
    return sum(weights[k] * scores[k] for k in weights)


def rank(candidates: Mapping[str, Mapping[str, float]],
         weights: Mapping[str, float]) -> list[tuple[str, float]]:
    """Candidates sorted by weighted score, best first (ties keep input order)."""
    scored = [(name, weighted_score(s, weights)) for name, s in candidates.items()]
    return sorted(scored, key=lambda item: item[1], reverse=True)


# Worked example (the page's table): three candidates, five criteria.
WEIGHTS = {"technical_fit": 0.30, "data_access": 0.25, "distribution": 0.20,
           "commercial_terms": 0.15, "compliance": 0.10}
CANDIDATES = {  # 0-5 scores from the team's due-diligence notes
    "cloud_vendor": {"technical_fit": 4, "data_access": 2, "distribution": 5,
                     "commercial_terms": 3, "compliance": 4},
    "industry_incumbent": {"technical_fit": 3, "data_access": 5, "distribution": 4,
                           "commercial_terms": 2, "compliance": 5},
    "university_lab": {"technical_fit": 5, "data_access": 3, "distribution": 1,
                       "commercial_terms": 4, "compliance": 3},
}
ranking = rank(CANDIDATES, WEIGHTS)
for name, total in ranking:
    print(f"{name:20s} {total:.2f} / 5")
assert [name for name, _ in ranking] == ["industry_incumbent", "cloud_vendor", "university_lab"]
assert abs(ranking[0][1] - 3.75) < 1e-9  # 0.9 + 1.25 + 0.8 + 0.3 + 0.5
