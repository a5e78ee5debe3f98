"""What each exit route pays each holder: a sale runs the liquidation waterfall, a licence-and-hire
deal runs it on a much smaller price, and a qualified IPO converts every preferred share to common.

Run: python exit_routes.py   (standard library plus liquidation_waterfall.py from this folder)
"""
# --8<-- [start:core]
from __future__ import annotations

from fractions import Fraction

try:                                   # run as `python exit_routes.py` next to liquidation_waterfall.py
    from liquidation_waterfall import Preferred, _exact, waterfall
except ImportError:                    # imported as part of the snippets package
    from financing.liquidation_waterfall import Preferred, _exact, waterfall

ROUTES = ("sale", "licence-and-hire", "ipo")


def exit_payouts(route: str, value: Fraction | int, prefs: list[Preferred],
                 common: dict[str, int]) -> dict[str, Fraction]:
    """Payout per holder. `value` is the sale price, the licence fee paid to the company, or the
    company's equity value at a qualified IPO (where preferred converts 1:1, NVCA mandatory conversion)."""
    if route not in ROUTES:
        raise ValueError(f"route must be one of {ROUTES}, got {route!r}")
    value = _exact(value, "exit value")
    if not all(isinstance(p, Preferred) for p in prefs):
        raise ValueError("prefs must be a list of Preferred classes")
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in common.values()):
        raise ValueError("common share counts must be non-negative whole numbers (int)")
    if sum(common.values()) + sum(p.shares for p in prefs) == 0:
        raise ValueError("there must be at least one share to pay out to")
    if route == "ipo":
        if value < 0:
            raise ValueError(f"exit value must be non-negative, got {value}")
        shares = dict(common) | {p.name: p.shares for p in prefs}
        total = sum(shares.values())
        return {name: value * n / total for name, n in shares.items()}
    paid, _ = waterfall(value, prefs, common)
    return paid
# --8<-- [end:core]


# --8<-- [start:demo]
PREFS = [Preferred("Seed", 1_000_000, Fraction(2_000_000)), Preferred("Series A", 2_000_000, Fraction(10_000_000))]
COMMON = {"Founders": 6_000_000, "Employees": 1_000_000}


def main() -> None:
    for route, value in (("licence-and-hire", 8_000_000), ("sale", 30_000_000), ("sale", 100_000_000),
                         ("ipo", 300_000_000)):
        paid = exit_payouts(route, value, PREFS, COMMON)
        row = "  ".join(f"{name} {float(paid[name]) / 1e6:6.2f}" for name in ("Founders", "Employees", "Seed", "Series A"))
        print(f"{route:<16} ${value / 1e6:>5.0f}M: {row}")


if __name__ == "__main__":
    main()
# --8<-- [end:demo]
