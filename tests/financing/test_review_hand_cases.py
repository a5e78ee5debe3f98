"""Hand cases from the December 2026 review of the Financing part, worked out on paper before
running the code: a capped participating preference at each side of its kink and conversion
point, a SAFE + pool top-up + priced round, what the 10% pool costs the founders in dollars, and
bad inputs that used to escape as KeyError, AttributeError, TypeError or ZeroDivisionError."""
from datetime import date, datetime
from fractions import Fraction
from math import floor

import pytest

from financing.cap_table import POOL, Safe, close_round
from financing.control_terms import drag_along_split, preference_multiple
from financing.equity_pool import latest_paid_in_date, pool_cost
from financing.exit_routes import exit_payouts
from financing.liquidation_waterfall import Preferred, waterfall

COMMON = {"Common": 8_000_000}


# Series A: USD 10M for 2M shares (20% as converted), participating, capped at 3x = USD 30M.
# Participation: 10 + 0.2 (E - 10) reaches 30 at E = 110. Conversion beats the cap when
# 0.2 E > 30, at E > 150. Between 110 and 150 the class sits at its cap.
@pytest.mark.parametrize("exit_value, a_gets", [
    (8_000_000, 8_000_000),                        # below the preference: all to A
    (30_000_000, 14_000_000),                      # 10 + 0.2 x 20
    (110_000_000, 30_000_000),                     # exactly at the cap
    (130_000_000, 30_000_000),                     # capped, not yet worth converting
    (150_000_000, 30_000_000),                     # indifferent: 0.2 x 150 = 30
    (200_000_000, 40_000_000),                     # converts: 0.2 x 200
])
def test_capped_participation_kink_and_conversion(exit_value, a_gets):
    a = Preferred("A", 2_000_000, Fraction(10_000_000), participating=True, cap=Fraction(3))
    paid, converted = waterfall(exit_value, [a], COMMON)
    assert paid["A"] == a_gets and paid["Common"] == exit_value - a_gets
    assert ("A" in converted) == (exit_value > 150_000_000)


def test_uncapped_participation_versus_non_participating_at_30m():
    part = Preferred("A", 2_000_000, Fraction(10_000_000), participating=True)
    plain = Preferred("A", 2_000_000, Fraction(10_000_000))
    assert waterfall(30_000_000, [part], COMMON)[0]["A"] == 14_000_000
    assert waterfall(30_000_000, [plain], COMMON)[0]["A"] == 10_000_000


def test_safe_pool_top_up_and_priced_round_by_hand():
    # Founders 9M, pool 1M; SAFE USD 1M on a USD 10M post-money cap; then USD 4M at USD 16M pre
    # with a 10% post-money pool. Company Capitalization C = 10M / (1 - 0.1) = 100M/9; the top-up
    # x solves 1M + x = 0.1 x 1.25 (C + x), so x = 4M/9; price = 16M / (C + x) = 18/13 USD,
    # above the Safe Price 10M / C = 0.9, so the SAFE converts at its cap.
    table = {"Founders": 9_000_000, POOL: 1_000_000}
    result = close_round(table, {"VC": 4_000_000}, 16_000_000, Fraction(1, 10),
                         (Safe("SAFE", 1_000_000, cap=10_000_000),))
    assert result.price == Fraction(18, 13)
    assert result.safe_shares["SAFE"] == floor(Fraction(1_000_000) / Fraction(9, 10)) == 1_111_111
    assert result.pool_top_up == floor(Fraction(4_000_000, 9)) == 444_444
    assert result.table["VC"] == floor(Fraction(4_000_000) * 13 / 18) == 2_888_888
    assert result.table["Founders"] == 9_000_000 and sum(result.table.values()) == 14_444_443


def test_what_the_ten_percent_pool_costs_in_dollars():
    # The page says the 10% pool costs the existing holders about USD 554k and the founders
    # USD 525k of value at the round price (9M founder shares, 0.5M existing options).
    table = {"Founder A": 4_500_000, "Founder B": 4_500_000, POOL: 500_000}
    plan = pool_cost(table, ("Founder A", "Founder B"), 2_000_000, 8_000_000, Fraction(475, 10_000))
    asks = pool_cost(table, ("Founder A", "Founder B"), 2_000_000, 8_000_000, Fraction(1, 10))
    assert round(plan.effective_pre_money - asks.effective_pre_money) == 554_167
    assert 9_000_000 * (plan.price - asks.price) == 525_000      # 9M x (301/360 - 7/9)


def test_paid_in_deadline_on_a_leap_day():
    # Five years from 29 Feb 2028 has no 29 Feb: the period ends on the last day of the month.
    assert latest_paid_in_date(date(2028, 2, 29), date(2050, 1, 1)) == date(2033, 2, 28)


def test_inputs_that_used_to_escape_as_other_errors():
    with pytest.raises(ValueError, match="not datetime"):
        latest_paid_in_date(datetime(2024, 7, 1, 12), date(2040, 1, 1))
    with pytest.raises(ValueError, match="rows in the cap table"):
        pool_cost({"F": 9_000_000}, ("G",), 1_000_000, 8_000_000, Fraction(1, 10))
    with pytest.raises(ValueError, match="Preferred class"):
        drag_along_split(10_000_000, "Series A", COMMON)
    with pytest.raises(ValueError, match="multiple must be positive"):
        preference_multiple("0.08", 1, 0)
    with pytest.raises(ValueError, match="at least one share"):
        exit_payouts("ipo", 10_000_000, [], {})
    for bad in ({"F": -1}, {"F": True}, {"F": 1.5}):
        with pytest.raises(ValueError, match="whole numbers"):
            exit_payouts("ipo", 10_000_000, [], bad)
    with pytest.raises(ValueError, match="Preferred classes"):
        exit_payouts("sale", 10_000_000, ["Seed"], COMMON)
