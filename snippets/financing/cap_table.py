"""Cap table through financing rounds: post-money SAFEs, the option-pool shuffle, pro rata.

Run: python cap_table.py   (standard library only; prints the chapter's worked example)

Conventions (stated on the page, checked by tests/financing/test_cap_tables.py):
- Money and prices are exact fractions.Fraction; share counts are int.
- A priced round's pre-money valuation is "fully diluted": it covers existing shares, the
  unallocated pool, SAFE conversion shares and the pool top-up (NVCA term-sheet convention).
- A post-money SAFE converts at the lower of its Safe Price (cap / Company Capitalization,
  which leaves out the pool top-up of this round) and the round price less its discount.
- Rounding: every computed share count is rounded down to a whole share.
"""
# --8<-- [start:core]
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from math import floor, isfinite

POOL = "Option pool"  # row holding unallocated options


def as_fraction(value: int | str | Fraction | float, what: str, *, positive: bool = False) -> Fraction:
    """Exact value of `value`; floats go through str() so 0.2 stays 1/5. Rejects bool, NaN, infinity."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Fraction, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, float) and not isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value}")
    try:
        number = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} must be a finite number, got {value!r}") from None
    if number < 0 or (positive and number == 0):
        raise ValueError(f"{what} must be {'positive' if positive else 'non-negative'}, got {value}")
    return number


def as_share(value: int | str | Fraction | float, what: str) -> Fraction:
    """A fraction of the company between 0 and 1 (0.2 means 20%)."""
    number = as_fraction(value, what)
    if number >= 1:
        raise ValueError(f"{what} must be below 1 (write 0.2 for 20%), got {value}")
    return number


@dataclass(frozen=True)
class Safe:
    """A post-money SAFE: purchase amount, optional post-money valuation cap and discount."""
    investor: str
    amount: Fraction
    cap: Fraction | None = None
    discount: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", as_fraction(self.amount, "SAFE amount", positive=True))
        if self.cap is not None:
            object.__setattr__(self, "cap", as_fraction(self.cap, "valuation cap", positive=True))
        object.__setattr__(self, "discount", as_share(self.discount, "discount"))


def safe_ownership(amount: Fraction | int, post_money_cap: Fraction | int) -> Fraction:
    """Share of the company a post-money SAFE converts into when it converts at its cap."""
    return as_fraction(amount, "SAFE amount", positive=True) / as_fraction(
        post_money_cap, "valuation cap", positive=True)


@dataclass(frozen=True)
class RoundResult:
    table: dict[str, int]
    price: Fraction          # price per share paid by the new money
    pool_top_up: int
    safe_shares: dict[str, int]


def close_round(table: dict[str, int], investments: dict[str, int | Fraction], pre_money: int | Fraction,
                pool_target: Fraction | float = 0, safes: tuple[Safe, ...] = ()) -> RoundResult:
    """Price a round: convert `safes`, top up the pool to `pool_target` of post-money, sell shares."""
    if any(isinstance(n, bool) or not isinstance(n, int) for n in table.values()):
        raise ValueError("share counts in the cap table must be whole numbers (int)")
    if any(n < 0 for n in table.values()) or sum(table.values()) == 0:
        raise ValueError("cap table needs a positive total and no negative share counts")
    pre = as_fraction(pre_money, "pre-money valuation", positive=True)
    money = {k: as_fraction(v, f"investment of {k}", positive=True) for k, v in investments.items()}
    if not money:
        raise ValueError("a priced round needs at least one investor")
    k = as_share(pool_target, "pool target") * (pre + sum(money.values())) / pre
    held, pool = Fraction(sum(table.values())), Fraction(table.get(POOL, 0))
    for at_cap in product((True, False), repeat=len(safes)):  # which safes convert at their cap
        if any(c and s.cap is None for c, s in zip(at_cap, safes)):
            continue
        alpha = sum((s.amount / s.cap for c, s in zip(at_cap, safes) if c), Fraction(0))
        beta = sum((s.amount / ((1 - s.discount) * pre) for c, s in zip(at_cap, safes) if not c), Fraction(0))
        if 1 - alpha - beta <= 0 or 1 - k <= 0 or 1 - alpha - beta / (1 - k) <= 0:
            continue                                 # this choice would leave nothing for others
        capitalization = held / (1 - alpha - beta)   # SAFE "Company Capitalization", no top-up
        fd_pre = capitalization                      # fully diluted pre-money shares
        if k * fd_pre > pool:                        # pool too small: shuffle a top-up into pre-money
            capitalization = (held - beta * pool / (1 - k)) / (1 - alpha - beta / (1 - k))
            fd_pre = (capitalization - pool) / (1 - k)
        price = pre / fd_pre
        prices = [(s.cap / capitalization if c else (1 - s.discount) * price,
                   (1 - s.discount) * price if c else (s.cap / capitalization if s.cap else None))
                  for c, s in zip(at_cap, safes)]
        if all(other is None or chosen <= other for chosen, other in prices):
            break
    else:
        raise ValueError("SAFEs and option pool would take 100% or more of the company")
    new = dict(table)
    top_up = floor(fd_pre - capitalization)
    new[POOL] = new.get(POOL, 0) + top_up
    converted = {s.investor: floor(s.amount / p) for s, (p, _) in zip(safes, prices)}
    for name, shares in list(converted.items()) + [(n, floor(m / price)) for n, m in money.items()]:
        new[name] = new.get(name, 0) + shares
    return RoundResult(new, price, top_up, converted)


def mfn_terms(mfn: Safe, later: tuple[Safe, ...], table: dict[str, int], investments: dict[str, int | Fraction],
              pre_money: int | Fraction, pool_target: Fraction | float = 0, others: tuple[Safe, ...] = ()) -> Safe:
    """The MFN holder's election at the actual round: keep its own terms or adopt the cap and discount
    of any later SAFE, whichever converts into the most shares when `close_round` prices this round
    (with `others`, the SAFEs that convert alongside it). Discount-only later SAFEs are candidates too."""
    if not isinstance(mfn, Safe) or not all(isinstance(s, Safe) for s in tuple(later) + tuple(others)):
        raise ValueError("mfn, later and others must be Safe objects")
    candidates = [mfn] + [Safe(mfn.investor, mfn.amount, cap=s.cap, discount=s.discount) for s in later]

    def shares(candidate: Safe) -> int:
        return close_round(table, investments, pre_money, pool_target,
                           tuple(others) + (candidate,)).safe_shares[mfn.investor]
    return max(candidates, key=shares)  # max keeps the first of equals: own terms win a tie


def ownership(table: dict[str, int]) -> dict[str, Fraction]:
    """Fully diluted ownership of each row; the values sum to exactly 1."""
    total = sum(table.values())
    return {name: Fraction(shares, total) for name, shares in table.items()}


def pro_rata_amount(ownership_before: Fraction, round_size: int | Fraction) -> Fraction:
    """Money an investor may put in to keep its fully diluted share of the new money."""
    return as_share(ownership_before, "ownership") * as_fraction(round_size, "round size")
# --8<-- [end:core]


# --8<-- [start:demo]
def show(title: str, table: dict[str, int]) -> None:
    print(title)
    for name, pct in ownership(table).items():
        print(f"  {name:<14}{table[name]:>11,} {float(pct):8.2%}")


def main() -> None:
    founders = {"Founder A": 4_500_000, "Founder B": 4_500_000, POOL: 1_000_000}
    # YC user guide quick start: $1M on a $6.7M post-money cap is about 15%
    assert round(float(safe_ownership(1_000_000, 6_700_000)), 3) == 0.149
    safes = (Safe("Angel SAFE", 500_000, cap=5_000_000),
             Safe("Seed SAFE", 1_000_000, cap=10_000_000, discount=Fraction(1, 5)))
    seed = close_round(founders, {"Seed fund": 3_000_000}, 12_000_000, Fraction(1, 10), safes)
    show(f"Seed: price ${float(seed.price):.4f}, pool top-up {seed.pool_top_up:,}", seed.table)
    seed_share = ownership(seed.table)["Seed fund"]
    pro_rata = pro_rata_amount(seed_share, 10_000_000)
    series_a = close_round(seed.table, {"Series A fund": 10_000_000 - pro_rata, "Seed fund": pro_rata},
                           40_000_000, Fraction(12, 100))
    show(f"Series A: price ${float(series_a.price):.4f}, Seed pro rata ${float(pro_rata):,.0f}",
         series_a.table)
    assert sum(ownership(series_a.table).values()) == 1


if __name__ == "__main__":
    main()
# --8<-- [end:demo]
