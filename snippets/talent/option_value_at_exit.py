"""What employee stock options pay at an exit: dilution by later rounds, option-pool top-ups,
and the investors' liquidation preferences, paid out by the Financing part's waterfall.

Run: python option_value_at_exit.py   (standard library only)

Two views of the same grant:
- `option_payout`: every share treated as common (the simple view most offer letters imply);
- `option_payout_with_preferences`: each later round sells a percent of the company to investors
  whose preferred stock carries a preference stack (amount, multiple, participating or not, cap,
  seniority), optionally tops up the option pool, and the exit value is split by
  `financing/liquidation_waterfall.py`, imported, not copied.
Simplifications stated on the page: existing shares and every pool top-up count as common held by
someone at exit (granted options), every option is treated as exercised and strike proceeds are not
added to the exit value, and taxes are ignored. Money is exact (fractions.Fraction).
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

try:  # run as `python option_value_at_exit.py`: make snippets/ importable for the financing part
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
except NameError:  # run from the page, where snippets/ is already on the import path
    pass
from financing.liquidation_waterfall import Preferred, waterfall  # noqa: E402


def _number(value: object, name: str) -> Fraction:
    """`value` as an exact Fraction; ValueError for bool, non-numbers, NaN, infinity, negatives."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        raise ValueError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if (isinstance(value, float) and not math.isfinite(value)) or (isinstance(value, Decimal) and not value.is_finite()):
        raise ValueError(f"{name} must be finite, got {value}")
    exact = Fraction(str(value)) if isinstance(value, float) else Fraction(value)  # 0.1 means 1/10
    if exact < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return exact


def _count(value: object, name: str, positive: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number of shares, got {type(value).__name__} {value!r}")
    if value < (1 if positive else 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'}, got {value}")
    return value


def _percent(value: object, name: str) -> Fraction:
    pct = _number(value, name)
    if pct >= 100:
        raise ValueError(f"{name} must be in [0, 100) percent, got {value}")
    return pct


@dataclass(frozen=True)
class ExitPayout:
    ownership_pct: Fraction    # the option holder's share of the fully diluted company at exit, percent
    price_per_share: Fraction  # what one common share receives at exit
    gross_value: Fraction      # options x price per share
    exercise_cost: Fraction    # options x strike
    net_value: Fraction        # what exercising and selling yields; 0 if the options are under water


def _payout(options: int, strike: Fraction, shares_at_exit: Fraction, price: Fraction) -> ExitPayout:
    gross, cost = options * price, options * strike
    return ExitPayout(100 * options / shares_at_exit, price, gross, cost, max(gross - cost, Fraction(0)))


def option_payout(options: int, strike: float | Fraction, fully_diluted_shares: int,
                  exit_value: float | Fraction, later_dilution_pcts: tuple = ()) -> ExitPayout:
    """Payout of `options` with exercise price `strike` if the company is sold for `exit_value`,
    treating every share as common. Each later round in `later_dilution_pcts` sells that percent of
    the post-round company, so the share count grows by 1 / (1 - d)."""
    options = _count(options, "options")
    fully_diluted_shares = _count(fully_diluted_shares, "fully_diluted_shares", positive=True)
    if options > fully_diluted_shares:
        raise ValueError(f"options ({options}) cannot exceed fully_diluted_shares ({fully_diluted_shares})")
    strike, exit_value = _number(strike, "strike"), _number(exit_value, "exit_value")
    kept = Fraction(1)
    for d in later_dilution_pcts:
        kept *= 1 - _percent(d, "each dilution") / 100
    shares_at_exit = fully_diluted_shares / kept
    return _payout(options, strike, shares_at_exit, exit_value / shares_at_exit)


@dataclass(frozen=True)
class Round:
    """One later round: investors buy `sold_pct` percent of the post-round company for `invested`;
    the pool is topped up by `pool_topup_pct` percent of the post-round company in the same round."""
    name: str
    sold_pct: float | Fraction
    invested: float | Fraction
    multiple: float | Fraction = 1
    participating: bool = False
    cap: float | Fraction | None = None  # participation stops at cap x invested in total
    seniority: int = 0                   # higher ranks are paid first; equal ranks share pro rata
    pool_topup_pct: float | Fraction = 0


def cap_table_at_exit(fully_diluted_shares: int, rounds: tuple[Round, ...]) -> tuple[int, list[Preferred]]:
    """Common shares (today's fully diluted count plus every pool top-up) and one preferred class per
    round. Share counts are rounded to whole shares."""
    common = Fraction(_count(fully_diluted_shares, "fully_diluted_shares", positive=True))
    if not isinstance(rounds, (tuple, list)) or not all(isinstance(r, Round) for r in rounds):
        raise ValueError(f"rounds must be a tuple of Round, got {rounds!r}")
    total, preferred = common, []
    for r in rounds:
        sold, topup = _percent(r.sold_pct, f"{r.name}: sold_pct"), _percent(r.pool_topup_pct, f"{r.name}: pool_topup_pct")
        if sold + topup >= 100:
            raise ValueError(f"{r.name}: sold_pct + pool_topup_pct must be < 100, got {sold + topup}")
        if sold == 0:
            raise ValueError(f"{r.name}: sold_pct must be > 0 for a priced round")
        if not isinstance(r.participating, bool):
            raise ValueError(f"{r.name}: participating must be True or False, got {r.participating!r}")
        if isinstance(r.seniority, bool) or not isinstance(r.seniority, int):
            raise ValueError(f"{r.name}: seniority must be an integer rank, got {r.seniority!r}")
        post = total / (1 - (sold + topup) / 100)
        common += post * topup / 100
        cap = None if r.cap is None else _number(r.cap, f"{r.name}: cap")
        preferred.append(Preferred(r.name, round(post * sold / 100), _number(r.invested, f"{r.name}: invested"),
                                   _number(r.multiple, f"{r.name}: multiple"), r.participating, cap, r.seniority))
        total = post
    return round(common), preferred


def option_payout_with_preferences(options: int, strike: float | Fraction, fully_diluted_shares: int,
                                   exit_value: float | Fraction, rounds: tuple[Round, ...]) -> ExitPayout:
    """Payout of `options` when the exit value goes through the liquidation-preference waterfall of
    the later rounds; the options share what common stock receives."""
    options = _count(options, "options")
    fully_diluted_shares = _count(fully_diluted_shares, "fully_diluted_shares", positive=True)
    if options > fully_diluted_shares:
        raise ValueError(f"options ({options}) cannot exceed fully_diluted_shares ({fully_diluted_shares})")
    strike, exit_value = _number(strike, "strike"), _number(exit_value, "exit_value")
    common, preferred = cap_table_at_exit(fully_diluted_shares, rounds)
    paid, _converted = waterfall(exit_value, preferred, {"Common": common})
    shares_at_exit = common + sum(p.shares for p in preferred)
    return _payout(options, strike, Fraction(shares_at_exit), paid["Common"] / common)


# The page's example, printed when the file runs: 40,000 options of 10,000,000 fully diluted
# shares today, strike $0.50. Two later rounds sell 20 % and 15 % of the company for $10 M and
# $20 M, each with a 1x non-participating preference.
LATER = (Round("Series A", 20, 10_000_000), Round("Series B", 15, 20_000_000))

print("exit      all-common   with preferences")
for exit_value in (500_000_000, 100_000_000, 50_000_000, 30_000_000):
    simple = option_payout(40_000, Fraction(1, 2), 10_000_000, exit_value, (20, 15))
    real = option_payout_with_preferences(40_000, Fraction(1, 2), 10_000_000, exit_value, LATER)
    print(f"${exit_value / 1e6:>4.0f}M  ${float(simple.net_value):>11,.0f}  ${float(real.net_value):>11,.0f}"
          f"  (common ${float(real.price_per_share):.2f}/share)")
assert option_payout(40_000, 0.5, 10_000_000, 500e6, (20, 15)).net_value == 1_340_000
assert option_payout(40_000, 0.5, 10_000_000, 5e6, (20, 15)).net_value == 0  # $0.34 < strike
assert abs(option_payout_with_preferences(40_000, 0.5, 10_000_000, 50_000_000, LATER).net_value - 60_000) < 1
assert option_payout_with_preferences(40_000, 0.5, 10_000_000, 30_000_000, LATER).net_value == 0
