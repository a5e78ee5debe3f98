"""What employee stock options pay at an exit after later funding rounds dilute everyone.

Simplification stated on the page: every share is treated as common stock, so liquidation
preferences, option-pool top-ups not in the dilution figures, taxes and exercise timing are ignored.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class ExitPayout:
    ownership_pct: float  # the option holder's share of the company at exit, in percent
    price_per_share: float  # exit value / fully diluted shares at exit
    gross_value: float  # options x price per share
    exercise_cost: float  # options x strike
    net_value: float  # what exercising and selling yields; 0 if the options are under water


def option_payout(
    options: int,
    strike: float,
    fully_diluted_shares: int,
    exit_value: float,
    later_dilution_pcts: tuple[float, ...] = (),
) -> ExitPayout:
    """Payout of `options` with exercise price `strike` if the company is sold for `exit_value`.

    `fully_diluted_shares` counts every share and option today; each later round in
    `later_dilution_pcts` sells that percent of the post-round company to new investors, so the
    share count grows by 1 / (1 - d) and the holder's fraction shrinks by (1 - d).
    """
    if options < 0:
        raise ValueError(f"options must be >= 0, got {options}")
    if fully_diluted_shares <= 0:
        raise ValueError(f"fully_diluted_shares must be > 0, got {fully_diluted_shares}")
    if options > fully_diluted_shares:
        raise ValueError(f"options ({options}) cannot exceed fully_diluted_shares ({fully_diluted_shares})")
    if strike < 0:
        raise ValueError(f"strike must be >= 0, got {strike}")
    if exit_value < 0:
        raise ValueError(f"exit_value must be >= 0, got {exit_value}")
    kept = 1.0  # fraction of today's stake left after all later rounds
    for d in later_dilution_pcts:
        if not 0 <= d < 100:
            raise ValueError(f"each dilution must be in [0, 100) percent, got {d}")
        kept *= 1 - d / 100
    shares_at_exit = fully_diluted_shares / kept
    price = exit_value / shares_at_exit
    gross, cost = options * price, options * strike
    return ExitPayout(100 * options / shares_at_exit, price, gross, cost, max(gross - cost, 0.0))


if __name__ == "__main__":
    # 40,000 options (0.4 % of 10 M fully diluted shares), strike $0.50, two later rounds of 20 % and 15 %
    for exit_value in (500e6, 50e6, 5e6):
        p = option_payout(40_000, 0.50, 10_000_000, exit_value, (20, 15))
        print(f"exit ${exit_value / 1e6:>5.0f}M: {p.ownership_pct:.3f} % owned, "
              f"${p.price_per_share:.2f}/share, net ${p.net_value:,.0f}")
    big = option_payout(40_000, 0.50, 10_000_000, 500e6, (20, 15))
    assert abs(big.ownership_pct - 0.272) < 1e-12 and abs(big.price_per_share - 34.0) < 1e-9
    assert abs(big.net_value - 1_340_000) < 1e-6
    assert abs(option_payout(40_000, 0.50, 10_000_000, 50e6, (20, 15)).net_value - 116_000) < 1e-6
    assert option_payout(40_000, 0.50, 10_000_000, 5e6, (20, 15)).net_value == 0.0  # $0.34 < strike
