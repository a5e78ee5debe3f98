"""The compensation chapter's calculators: worked examples recomputed, bad inputs rejected."""
from datetime import date

import pytest

from talent.option_value_at_exit import option_payout
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
    left = date(2026, 11, 30)  # 20 whole months of service
    assert vested_shares(GRANT, START, date(2028, 1, 1), termination=left) == 20_000
    assert vested_shares(GRANT, START, date(2028, 1, 1), termination=left, acceleration_pct=50) == 34_000
    assert vested_shares(GRANT, START, date(2028, 1, 1), termination=left, acceleration_pct=100) == GRANT
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
