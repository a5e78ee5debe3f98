"""The compensation chapter's calculators: worked examples recomputed, bad inputs rejected."""
from datetime import date

import pytest

import math
from decimal import Decimal
from pathlib import Path
from fractions import Fraction

from talent.option_value_at_exit import Round, cap_table_at_exit, option_payout, option_payout_with_preferences
from talent.vesting_schedule import add_months, months_completed, vested_shares, vesting_schedule

GRANT, START = 48_000, date(2025, 3, 15)  # the page's example: 48,000 options from 2025-03-15


@pytest.mark.parametrize(
    "as_of, expected",
    [
        (date(2026, 3, 14), 0),  # one day before the cliff
        (date(2026, 3, 15), 12_000),  # cliff: 12/48 at once
        (date(2026, 4, 14), 12_000),  # the next month has not completed yet
        (date(2026, 4, 15), 13_000),
        (date(2027, 9, 15), 30_000),  # 30 months
        (date(2029, 3, 15), 48_000),  # 48 months: fully vested
        (date(2031, 1, 1), 48_000),  # nothing more after the end
    ],
)
def test_page_vesting_table(as_of, expected):
    assert vested_shares(GRANT, START, as_of) == expected


def test_termination_stops_vesting_and_acceleration_adds_half_the_rest():
    left, sold = date(2026, 11, 30), date(2026, 10, 1)  # 20 whole months of service; acquired before
    assert vested_shares(GRANT, START, date(2028, 1, 1), termination=left) == 20_000
    assert vested_shares(GRANT, START, date(2028, 1, 1), termination=left, acceleration_pct=50,
                         change_of_control=sold) == 34_000
    assert vested_shares(GRANT, START, date(2028, 1, 1), termination=left, acceleration_pct=100,
                         change_of_control=sold) == GRANT
    # a termination after as_of has not happened yet
    assert vested_shares(GRANT, START, date(2026, 6, 15), termination=left) == 15_000


def test_leaving_before_the_cliff_vests_nothing():
    assert vested_shares(GRANT, START, date(2027, 1, 1), termination=date(2026, 3, 1)) == 0


def test_rounding_down_and_remainder_in_the_last_month():
    assert vested_shares(10_000, START, add_months(START, 13)) == 2_708  # floor(10000*13/48)
    schedule = vesting_schedule(10_000, START)
    assert schedule[-1][1] == 10_000
    assert all(b[1] >= a[1] for a, b in zip(schedule, schedule[1:]))


def test_schedule_dates_and_length():
    schedule = vesting_schedule(GRANT, START)
    assert schedule[0] == (date(2026, 3, 15), 12_000)
    assert schedule[-1] == (date(2029, 3, 15), GRANT)
    assert len(schedule) == 48 - 12 + 1


def test_month_arithmetic_clamps_to_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert months_completed(date(2025, 1, 31), date(2025, 2, 27)) == 0
    assert months_completed(date(2025, 1, 31), date(2025, 2, 28)) == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(total_shares=-1), "total_shares must be >= 0"),
        (dict(cliff_months=60), "cliff_months must be between 0 and vesting_months=48"),
        (dict(vesting_months=0, cliff_months=0), "vesting_months must be > 0"),
        (dict(acceleration_pct=150), "acceleration_pct must be between 0 and 100"),
        (dict(as_of=date(2025, 1, 1)), "dates out of order: as_of"),
        (dict(termination=date(2024, 12, 31)), "dates out of order: termination"),
    ],
)
def test_vesting_rejects_bad_input(kwargs, message):
    args = dict(total_shares=GRANT, start=START, as_of=date(2026, 1, 1)) | kwargs
    with pytest.raises(ValueError, match=message):
        vested_shares(**args)


# The page's exit table: 40,000 options of 10,000,000 fully diluted shares, strike $0.50,
# two later rounds selling 20 % and 15 % of the company.
@pytest.mark.parametrize(
    "exit_value, price, net",
    [(500e6, 34.00, 1_340_000), (50e6, 3.40, 116_000), (5e6, 0.34, 0.0)],
)
def test_page_exit_table(exit_value, price, net):
    payout = option_payout(40_000, 0.50, 10_000_000, exit_value, (20, 15))
    assert payout.ownership_pct == pytest.approx(0.272)
    assert payout.price_per_share == pytest.approx(price)
    assert payout.net_value == pytest.approx(net)
    assert payout.exercise_cost == pytest.approx(20_000)


def test_no_later_rounds_means_no_dilution():
    payout = option_payout(40_000, 0.0, 10_000_000, 10e6)
    assert payout.ownership_pct == pytest.approx(0.4)
    assert payout.gross_value == pytest.approx(40_000)


@pytest.mark.parametrize(
    "args, message",
    [
        ((-5, 0.5, 10_000_000, 1e6), "options must be >= 0"),
        ((5, -0.5, 10_000_000, 1e6), "strike must be >= 0"),
        ((5, 0.5, 0, 1e6), "fully_diluted_shares must be > 0"),
        ((20, 0.5, 10, 1e6), "cannot exceed fully_diluted_shares"),
        ((5, 0.5, 10_000_000, -1.0), "exit_value must be >= 0"),
        ((5, 0.5, 10_000_000, 1e6, (20, 120)), r"dilution must be in \[0, 100\) percent, got 120"),
        ((5, 0.5, 10_000_000, 1e6, (100,)), r"dilution must be in \[0, 100\) percent, got 100"),
    ],
)
def test_exit_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        option_payout(*args)


def test_page_exercise_answers():
    # Exercise 1: 24 months vested; leaving after 11 months (before the cliff) vests nothing
    assert vested_shares(GRANT, START, date(2027, 3, 15)) == 24_000
    assert vested_shares(GRANT, START, date(2027, 3, 15), termination=date(2026, 2, 28)) == 0
    # Exercise 2: a $100M exit, and the exit value at which the options are exactly at the money
    assert option_payout(40_000, 0.50, 10_000_000, 100e6, (20, 15)).net_value == pytest.approx(252_000)
    break_even = 0.50 * 10_000_000 / (0.8 * 0.85)
    assert break_even == pytest.approx(7_352_941, abs=1)
    at_the_money = option_payout(40_000, 0.50, 10_000_000, break_even, (20, 15))
    assert at_the_money.price_per_share == pytest.approx(0.50)
    assert at_the_money.net_value == pytest.approx(0.0, abs=1e-6)


# --- double-trigger acceleration and typed input -------------------------------------------------
LEFT, SOLD = date(2026, 11, 30), date(2026, 10, 1)


@pytest.mark.parametrize(
    "change_of_control, expected",
    [
        (None, 20_000),                 # single trigger (leaving) accelerates nothing
        (date(2026, 12, 1), 20_000),    # acquired after he left: no second trigger at termination
        (date(2025, 11, 30), 34_000),   # let go exactly 12 months after the sale: still inside the window
        (date(2025, 11, 29), 20_000),   # one day outside the window
    ],
)
def test_acceleration_needs_both_triggers(change_of_control, expected):
    assert vested_shares(GRANT, START, date(2028, 1, 1), termination=LEFT, acceleration_pct=50,
                         change_of_control=change_of_control) == expected


def test_acceleration_before_the_cliff_and_rounding():
    # let go 5 months in, right after a sale: 100 % of 48,000 unvested shares vest; 1/3 rounds down
    early = date(2025, 8, 20)
    assert vested_shares(GRANT, START, early, termination=early, acceleration_pct=100, change_of_control=early) == GRANT
    assert vested_shares(10, START, early, termination=early, acceleration_pct=Fraction(100, 3),
                         change_of_control=early) == 3


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(total_shares=1000.5), "total_shares must be a whole number"),
        (dict(total_shares=True), "total_shares must be a whole number"),
        (dict(vesting_months=48.0), "vesting_months must be a whole number"),
        (dict(acceleration_pct=float("nan")), "acceleration_pct must be finite"),
        (dict(acceleration_pct=float("inf")), "acceleration_pct must be finite"),
        (dict(acceleration_pct="50"), "acceleration_pct must be a number"),
        (dict(as_of="2026-01-01"), "as_of must be a datetime.date"),
        (dict(change_of_control=20261001), "change_of_control must be a datetime.date"),
        (dict(trigger_window_months=-1), "trigger_window_months must be >= 0"),
    ],
)
def test_vesting_rejects_mistyped_input(kwargs, message):
    args = dict(total_shares=GRANT, start=START, as_of=date(2026, 1, 1)) | kwargs
    with pytest.raises(ValueError, match=message):
        vested_shares(**args)


# --- exit value through the liquidation-preference waterfall -------------------------------------
# Hand cases, worked on paper from the term sheet, not from the code. Series A buys 20 % for $10 M
# (12.5 M shares after the round), Series B 15 % for $20 M (14,705,882 shares after), both 1x
# non-participating. $50 M: B's 15 % as common would be $7.5 M < $20 M, so B takes $20 M; A's 20 % of
# the remaining $30 M would be $6 M < $10 M, so A takes $10 M; common shares $20 M over 10 M shares.
# $100 M: B takes $20 M; A's 20 % of $80 M = $16 M > $10 M, so A converts and common gets $64 M.
LATER = (Round("Series A", 20, 10_000_000), Round("Series B", 15, 20_000_000))


@pytest.mark.parametrize(
    "exit_value, price, net",
    [(500_000_000, 34, 1_340_000), (100_000_000, Fraction(32, 5), 236_000),
     (50_000_000, 2, 60_000), (30_000_000, 0, 0), (0, 0, 0)],
)
def test_exit_with_preferences_hand_cases(exit_value, price, net):
    # share counts are whole shares (Series B gets 2,205,882), so prices can differ from the
    # fractional hand figure by less than a millionth of a dollar
    payout = option_payout_with_preferences(40_000, Fraction(1, 2), 10_000_000, exit_value, LATER)
    assert math.isclose(payout.price_per_share, price, abs_tol=1e-6)
    assert math.isclose(payout.net_value, net, abs_tol=0.05)


def test_preferences_never_pay_common_more_than_all_common():
    for exit_value in range(0, 600_000_001, 25_000_000):
        real = option_payout_with_preferences(40_000, 0, 10_000_000, exit_value, LATER).net_value
        assert real <= option_payout(40_000, 0, 10_000_000, exit_value, (20, 15)).net_value + 1  # whole shares


def test_participating_preference_with_cap_hand_case():
    # 1x participating, capped at 3x, $10 M for 20 %. $50 M: $10 M back, then 20 % of $40 M = $8 M;
    # common gets $32 M, $3.20 a share. $200 M: $10 M + 20 % of $190 M = $48 M exceeds the $30 M cap,
    # and converting (20 % of $200 M = $40 M) beats the cap, so everyone shares $16 a share.
    series_a = (Round("Series A", 20, 10_000_000, participating=True, cap=3),)
    assert option_payout_with_preferences(40_000, 0.5, 10_000_000, 50_000_000, series_a).net_value == 108_000
    assert option_payout_with_preferences(40_000, 0.5, 10_000_000, 200_000_000, series_a).net_value == 620_000


def test_pool_top_up_dilutes_the_grant():
    # 20 % sold and a 10 % pool top-up in the same round: 10 M / 0.7 = 14,285,714 shares after it,
    # so at a $100 M exit where the investor converts, a share is worth about $7.00, not $8.00.
    with_topup = (Round("Series A", 20, 10_000_000, pool_topup_pct=10),)
    common, preferred = cap_table_at_exit(10_000_000, with_topup)
    assert (common, preferred[0].shares) == (11_428_571, 2_857_143)
    net = option_payout_with_preferences(40_000, 0.5, 10_000_000, 100_000_000, with_topup).net_value
    assert math.isclose(net, 260_000, abs_tol=1)
    assert option_payout(40_000, 0.5, 10_000_000, 100_000_000, (20,)).net_value == 300_000


@pytest.mark.parametrize(
    "args, message",
    [
        ((True, 0.5, 10_000_000, 1e6), "options must be a whole number"),
        ((40_000.0, 0.5, 10_000_000, 1e6), "options must be a whole number"),
        ((40_000, float("nan"), 10_000_000, 1e6), "strike must be finite"),
        ((40_000, 0.5, 10_000_000, float("inf")), "exit_value must be finite"),
        ((40_000, Decimal("NaN"), 10_000_000, 1e6), "strike must be finite"),
        ((40_000, "0.5", 10_000_000, 1e6), "strike must be a number"),
        ((40_000, 0.5, 10_000_000, 1e6, (float("nan"),)), "each dilution must be finite"),
        ((40_000, 0.5, 10_000_000, 1e6, (True,)), "each dilution must be a number"),
    ],
)
def test_simple_exit_rejects_mistyped_input(args, message):
    with pytest.raises(ValueError, match=message):
        option_payout(*args)


@pytest.mark.parametrize(
    "round_, message",
    [
        (Round("A", 100, 1), r"A: sold_pct must be in \[0, 100\) percent"),
        (Round("A", 60, 1, pool_topup_pct=40), "A: sold_pct \\+ pool_topup_pct must be < 100"),
        (Round("A", 0, 1), "A: sold_pct must be > 0"),
        (Round("A", 20, -1), "A: invested must be >= 0"),
        (Round("A", 20, float("inf")), "A: invested must be finite"),
        (Round("A", 20, 1, participating="yes"), "A: participating must be True or False"),
        (Round("A", 20, 1, seniority=1.5), "A: seniority must be an integer rank"),
        (Round("A", 20, 1, cap=3), "A: a cap needs participation"),  # raised by the financing waterfall
    ],
)
def test_rounds_reject_bad_terms(round_, message):
    with pytest.raises(ValueError, match=message):
        option_payout_with_preferences(40_000, 0.5, 10_000_000, 1e6, (round_,))


# --- the page's preference table shows what the calculator computes, in both languages -----------
DOCS = Path(__file__).resolve().parents[2] / "docs" / "talent"


def _money(text: str) -> Fraction:
    digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    return Fraction(digits) if digits else Fraction(0)


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_page_preference_table_matches_the_calculator(lang):
    text = (DOCS / f"compensation.{lang}.md").read_text(encoding="utf-8")
    section = text.split("{ #exit-with-preferences }")[1].split("```python")[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
            if line.startswith("|") and not line.startswith("|---")][1:]
    exits = (500_000_000, 100_000_000, 50_000_000, 30_000_000)
    assert len(rows) == len(exits)
    for row, exit_value in zip(rows, exits):
        simple = option_payout(40_000, Fraction(1, 2), 10_000_000, exit_value, (20, 15))
        real = option_payout_with_preferences(40_000, Fraction(1, 2), 10_000_000, exit_value, LATER)
        assert _money(row[1]) == round(simple.net_value)
        assert _money(row[2]) == round(real.net_value)
        assert _money(row[3]) == round(real.price_per_share, 2)


@pytest.mark.parametrize(
    "exit_value, net",
    [
        # 1x participating capped at 3x, $10 M for 20 %: the cap binds once 10 + 0.2 (E - 10) = 30,
        # i.e. E = $110 M; converting (0.2 E) beats the $30 M cap only above E = $150 M. In between,
        # Series A is stuck at $30 M and common gets E - 30 over 10 M shares.
        (110_000_000, 40_000 * (8 - Fraction(1, 2))),    # cap point: common $80 M, $8.00 a share
        (130_000_000, 40_000 * (10 - Fraction(1, 2))),   # capped: common $100 M, $10.00 a share
        (150_000_000, 40_000 * (12 - Fraction(1, 2))),   # indifference: $30 M either way, $12.00 a share
    ],
)
def test_participating_cap_region_and_conversion_point(exit_value, net):
    series_a = (Round("Series A", 20, 10_000_000, participating=True, cap=3),)
    assert option_payout_with_preferences(40_000, 0.5, 10_000_000, exit_value, series_a).net_value == net


def test_float_money_is_read_as_its_decimal_text():
    # a strike of 0.1 is ten cents, not the binary float just above it: 40,000 x (3.40 - 0.10)
    assert option_payout(40_000, 0.1, 10_000_000, 50_000_000, (20, 15)).net_value == 132_000


@pytest.mark.parametrize("bad", [Decimal("sNaN"), Decimal("-Infinity")])
def test_decimal_specials_are_rejected_with_a_message(bad):
    with pytest.raises(ValueError, match="strike must be finite"):
        option_payout(40_000, bad, 10_000_000, 50_000_000)
    with pytest.raises(ValueError, match="acceleration_pct must be finite"):
        vested_shares(GRANT, START, date(2028, 1, 1), acceleration_pct=bad)


@pytest.mark.parametrize("rounds", [None, 3, "Series A", (("Series A", 20, 10_000_000),)])
def test_rounds_must_be_round_objects(rounds):
    with pytest.raises(ValueError, match="rounds must be a tuple of Round"):
        option_payout_with_preferences(40_000, 0.5, 10_000_000, 50_000_000, rounds)
