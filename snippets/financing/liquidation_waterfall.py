"""Liquidation preference waterfall: who gets what when the company is sold.

Run: python liquidation_waterfall.py   (standard library only)

Each preferred class either takes its preference (multiple x invested; participating classes
then also share the rest, up to an optional cap) or converts to common. A class converts when
that pays it more, given the other classes' choices; choices are updated until none changes.
Amounts are exact fractions.Fraction; the unallocated option pool is left out (it gets nothing).
"""
# --8<-- [start:core]
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


def _exact(value: int | str | Fraction, what: str) -> Fraction:
    """Exact value; ValueError for bool, non-numbers, NaN and infinity (floats go through str())."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Fraction, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        return Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} must be a finite number, got {value!r}") from None


@dataclass(frozen=True)
class Preferred:
    name: str
    shares: int                      # common shares it converts into
    invested: Fraction
    multiple: Fraction = Fraction(1)
    participating: bool = False
    cap: Fraction | None = None      # participation stops at cap x invested in total
    seniority: int = 0               # higher ranks are paid first; equal ranks share pro rata

    def __post_init__(self) -> None:
        if isinstance(self.shares, bool) or not isinstance(self.shares, int):
            raise ValueError(f"{self.name}: shares must be a whole number (int), got {self.shares!r}")
        if not isinstance(self.participating, bool):
            raise ValueError(f"{self.name}: participating must be True or False, got {self.participating!r}")
        object.__setattr__(self, "invested", _exact(self.invested, f"{self.name}: invested amount"))
        object.__setattr__(self, "multiple", _exact(self.multiple, f"{self.name}: multiple"))
        if self.cap is not None:
            object.__setattr__(self, "cap", _exact(self.cap, f"{self.name}: cap"))
        if self.shares <= 0 or self.invested <= 0 or self.multiple <= 0:
            raise ValueError(f"{self.name}: shares, invested amount and multiple must be positive")
        if self.cap is not None and (not self.participating or Fraction(self.cap) <= self.multiple):
            raise ValueError(f"{self.name}: a cap needs participation and must exceed the multiple")


def _distribute(exit_value: Fraction, prefs: list[Preferred], common: dict[str, int],
                converted: set[str]) -> dict[str, Fraction]:
    paid = {name: Fraction(0) for name in common} | {p.name: Fraction(0) for p in prefs}
    left = exit_value
    for rank in sorted({p.seniority for p in prefs if p.name not in converted}, reverse=True):
        claims = {p.name: p.multiple * p.invested for p in prefs
                  if p.seniority == rank and p.name not in converted}
        pot = min(left, sum(claims.values()))
        for name, claim in claims.items():
            paid[name] += pot * claim / sum(claims.values())
        left -= pot
    shares = dict(common) | {p.name: p.shares for p in prefs if p.name in converted or p.participating}
    limit = {p.name: p.cap * p.invested for p in prefs if p.cap is not None and p.name not in converted}
    while left > 0 and shares:
        per_share = left / sum(shares.values())
        capped = [n for n in shares if n in limit and paid[n] + per_share * shares[n] > limit[n]]
        if not capped:
            for name, n in shares.items():
                paid[name] += per_share * n
            break
        for name in capped:             # fill capped classes to their cap, share the rest again
            left -= limit[name] - paid[name]
            paid[name] = limit[name]
            del shares[name]
    return paid


def waterfall(exit_value: int | Fraction, prefs: list[Preferred],
              common: dict[str, int]) -> tuple[dict[str, Fraction], set[str]]:
    """Payout per holder and the set of preferred classes that convert to common."""
    exit_value = _exact(exit_value, "exit value")
    if exit_value < 0:
        raise ValueError(f"exit value must be non-negative, got {exit_value}")
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in common.values()):
        raise ValueError("common share counts must be non-negative whole numbers (int)")
    converted: set[str] = set()
    for _ in range(4 * len(prefs) + 1):
        changed = False
        for p in prefs:
            flipped = converted ^ {p.name}
            if _distribute(exit_value, prefs, common, flipped)[p.name] > \
                    _distribute(exit_value, prefs, common, converted)[p.name]:
                converted, changed = flipped, True
        if not changed:
            return _distribute(exit_value, prefs, common, converted), converted
    raise RuntimeError("conversion choices did not settle")
# --8<-- [end:core]


def main() -> None:
    common = {"Common": 6_000_000}
    seed = Preferred("Seed", 1_000_000, Fraction(2_000_000))
    terms = {"1x non-participating": {},
             "1x participating": {"participating": True},
             "participating, 3x cap": {"participating": True, "cap": Fraction(3)}}
    for label, extra in terms.items():
        series_a = Preferred("Series A", 3_000_000, Fraction(15_000_000), **extra)
        print(f"Series A {label}")
        for exit_value in (10_000_000, 25_000_000, 60_000_000, 120_000_000, 200_000_000):
            paid, converted = waterfall(exit_value, [seed, series_a], common)
            assert sum(paid.values()) == exit_value
            row = "  ".join(f"{k} {float(v) / 1e6:6.2f}" for k, v in paid.items())
            print(f"  exit {exit_value / 1e6:5.0f}M: {row}  converted: {sorted(converted) or '-'}")


if __name__ == "__main__":
    main()
