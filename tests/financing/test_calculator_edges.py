"""Own review of every financing calculator: hand cases worked out on paper (not from the code),
boundaries, zero, below/above each preference, and bad inputs of every kind.

Hand formulas used below (one SAFE, no pool top-up, H shares held before the round, I invested,
V pre-money, d discount): at the round (or discounted) price the SAFE gets H*I/((1-d)V - I) shares;
at its post-money cap it gets H*I/(cap - I) shares. Both follow from C = H + SAFE shares and
price = V / C (or cap / C).
"""
import math
from datetime import date
from fractions import Fraction

import pytest

from financing.anti_dilution import conversion_shares, full_ratchet_price, weighted_average_price
from financing.cap_table import POOL, Safe, close_round, mfn_terms, pro_rata_amount, safe_ownership
from financing.convertible_note import accrued_amount, note_conversion_price
from financing.inference_unit_economics import api_cost_per_request, gross_margin, self_hosted_cost_per_m_tokens
from financing.liquidation_waterfall import Preferred, waterfall
from financing.rent_vs_buy_gpu import breakeven_months
from financing.runway_burn import burn_multiple, burn_multiple_grade, default_alive, runway_months
from financing.training_compute_cost import gpu_hours, training_cost, training_flops

H = 9_000_000
FOUNDERS = {"Founders": H}
BAD_NUMBERS = [True, False, float("nan"), float("inf"), -float("inf"), "abc", None, [1]]


def at_price(invested, pre, d=0):
    return math.floor(Fraction(H * invested) / ((1 - Fraction(d)) * pre - invested))


def at_cap(invested, cap):
    return math.floor(Fraction(H * invested) / (cap - invested))


# --- MFN: the holder elects among candidate terms at the actual round -----------------------

MFN = Safe("YC MFN", 375_000)
LATER = (Safe("Cap 10M", 100_000, cap=10_000_000), Safe("Cap 12M + 30%", 100_000, cap=12_000_000,
                                                         discount=Fraction(3, 10)))


def test_mfn_low_round_elects_the_discount_not_the_lowest_cap():
    # $8M pre: the $10M cap is worth nothing (round price is lower), the 30% discount is.
    chosen = mfn_terms(MFN, LATER, FOUNDERS, {"VC": 2_000_000}, 8_000_000)
    assert (chosen.cap, chosen.discount) == (12_000_000, Fraction(3, 10))
    result = close_round(FOUNDERS, {"VC": 2_000_000}, 8_000_000, safes=(chosen,))
    assert result.safe_shares["YC MFN"] == at_price(375_000, 8_000_000, Fraction(3, 10)) == 645_933
    lowest_cap = close_round(FOUNDERS, {"VC": 2_000_000}, 8_000_000, safes=(Safe("YC MFN", 375_000, cap=10_000_000),))
    assert lowest_cap.safe_shares["YC MFN"] == at_price(375_000, 8_000_000) == 442_622  # old code's pick


def test_mfn_high_round_elects_the_lowest_cap():
    chosen = mfn_terms(MFN, LATER, FOUNDERS, {"VC": 10_000_000}, 40_000_000)
    assert chosen.cap == 10_000_000 and chosen.discount == 0
    result = close_round(FOUNDERS, {"VC": 10_000_000}, 40_000_000, safes=(chosen,))
    assert result.safe_shares["YC MFN"] == at_cap(375_000, 10_000_000) == 350_649
    assert at_cap(375_000, 12_000_000) == 290_322  # the other candidate, fewer shares


def test_mfn_takes_a_discount_only_later_safe():
    later = (Safe("Angel", 100_000, discount=Fraction(1, 5)),)
    chosen = mfn_terms(MFN, later, FOUNDERS, {"VC": 2_000_000}, 8_000_000)
    assert chosen.cap is None and chosen.discount == Fraction(1, 5)
    result = close_round(FOUNDERS, {"VC": 2_000_000}, 8_000_000, safes=(chosen,))
    assert result.safe_shares["YC MFN"] == at_price(375_000, 8_000_000, Fraction(1, 5)) == 560_165


def test_mfn_without_better_terms_keeps_its_own():
    assert mfn_terms(MFN, (), FOUNDERS, {"VC": 2_000_000}, 8_000_000) == MFN
    worse = (Safe("High cap", 100_000, cap=50_000_000),)   # cap above the round: no gain, tie -> own terms
    assert mfn_terms(MFN, worse, FOUNDERS, {"VC": 2_000_000}, 8_000_000) == MFN


def test_mfn_rejects_non_safes():
    with pytest.raises(ValueError, match="must be Safe objects"):
        mfn_terms(MFN, ({"cap": 1},), FOUNDERS, {"VC": 1}, 1)


# --- close_round: below, at and above a cap; zero; pool ------------------------------------

@pytest.mark.parametrize("pre, expected", [
    (5_000_000, at_price(1_000_000, 5_000_000)),     # below the cap: round price, 2,250,000
    (10_000_000, 1_000_000),                          # at the cap: both prices equal
    (20_000_000, at_cap(1_000_000, 10_000_000)),     # above the cap: cap price, 1,000,000
])
def test_capped_safe_below_at_above_cap(pre, expected):
    result = close_round(FOUNDERS, {"VC": 5_000_000}, pre, safes=(Safe("S", 1_000_000, cap=10_000_000),))
    assert result.safe_shares["S"] == expected
    assert result.pool_top_up == 0


def test_capped_safe_hand_prices():
    result = close_round(FOUNDERS, {"VC": 5_000_000}, 20_000_000, safes=(Safe("S", 1_000_000, cap=10_000_000),))
    assert result.price == 2 and result.table["VC"] == 2_500_000          # 20M / 10M shares
    assert at_price(1_000_000, 5_000_000) == 2_250_000


def test_pool_already_large_enough_needs_no_top_up():
    table = {"Founders": 8_000_000, POOL: 2_000_000}          # 20% pool; target 10% of post
    result = close_round(table, {"VC": 2_500_000}, 10_000_000, Fraction(1, 10))
    assert result.pool_top_up == 0 and result.price == 1


def test_zero_ownership_has_zero_pro_rata_and_full_ownership_is_rejected():
    assert pro_rata_amount(0, 5_000_000) == 0
    assert pro_rata_amount(Fraction(1, 4), 0) == 0
    with pytest.raises(ValueError, match="below 1"):
        pro_rata_amount(1, 5_000_000)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_cap_table_rejects_bad_numbers(bad):
    with pytest.raises(ValueError):
        Safe("S", bad, cap=10_000_000)
    with pytest.raises(ValueError):
        close_round(FOUNDERS, {"VC": 1_000_000}, bad)
    with pytest.raises(ValueError):
        safe_ownership(1_000_000, bad)


def test_cap_table_rejects_non_integer_share_counts():
    for bad in (True, 1.5, "100"):
        with pytest.raises(ValueError, match="whole numbers"):
            close_round({"Founders": bad}, {"VC": 1}, 1)


# --- convertible note ---------------------------------------------------------------------

def test_note_hand_cases():
    assert accrued_amount(500_000, "0.05", date(2024, 1, 1), date(2025, 12, 31)) == 550_000  # 730 days
    assert accrued_amount(500_000, "0.05", date(2024, 1, 1), date(2024, 1, 1)) == 500_000    # zero days
    assert accrued_amount(500_000, 0, date(2024, 1, 1), date(2026, 1, 1)) == 500_000          # zero rate
    # cap price 8M / 10M = 0.80: a 0.90 round converts at the cap price, a 0.70 round at its own
    assert note_conversion_price("0.90", 0, 8_000_000, 10_000_000) == Fraction("0.80")
    assert note_conversion_price("0.70", 0, 8_000_000, 10_000_000) == Fraction("0.70")
    assert note_conversion_price("0.80", 0, 8_000_000, 10_000_000) == Fraction("0.80")      # boundary


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_note_rejects_bad_numbers(bad):
    with pytest.raises(ValueError):
        accrued_amount(bad, "0.05", date(2024, 1, 1), date(2025, 1, 1))
    with pytest.raises(ValueError):
        accrued_amount(500_000, bad, date(2024, 1, 1), date(2025, 1, 1))
    with pytest.raises(ValueError):
        note_conversion_price(bad, "0.2", 8_000_000, 10_000_000)
    with pytest.raises(ValueError):
        note_conversion_price("1.00", "0.2", 8_000_000, bad)


def test_note_rejects_bad_dates_and_rates():
    with pytest.raises(ValueError, match="datetime.date"):
        accrued_amount(500_000, "0.05", "2024-01-01", date(2025, 1, 1))
    with pytest.raises(ValueError, match="between 0 and 1"):
        accrued_amount(500_000, 1, date(2024, 1, 1), date(2025, 1, 1))


# --- anti-dilution ------------------------------------------------------------------------

def test_anti_dilution_hand_cases():
    # CP1 $1.00, A = 1M, 1M new shares for $500k: CP2 = 1 x (1M + 0.5M) / 2M = 0.75
    assert weighted_average_price(1, 1_000_000, 500_000, 1_000_000) == Fraction(3, 4)
    assert weighted_average_price(1, 1_000_000, 1_000_000, 1_000_000) == 1     # at CP1: no trigger
    assert weighted_average_price(1, 1_000_000, 2_000_000, 1_000_000) == 1     # above CP1
    assert weighted_average_price(1, 1, 0, 2) == Fraction("0.3333")            # free shares, rounded
    assert full_ratchet_price(1, "0.5") == Fraction(1, 2)
    assert full_ratchet_price(1, "1.5") == 1
    assert conversion_shares(1_000_000, Fraction(3, 4)) == 1_333_333


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_anti_dilution_rejects_bad_numbers(bad):
    with pytest.raises(ValueError):
        weighted_average_price(bad, 1_000_000, 500_000, 1_000_000)
    with pytest.raises(ValueError):
        weighted_average_price(1, 1_000_000, bad, 1_000_000)
    with pytest.raises(ValueError):
        full_ratchet_price(1, bad)


# --- liquidation waterfall: below, at and above the conversion point -----------------------

A_NONPART = Preferred("A", shares=2_000_000, invested=Fraction(10_000_000))
COMMON = {"Common": 8_000_000}


@pytest.mark.parametrize("exit_value, a_gets", [
    (0, 0), (5_000_000, 5_000_000), (10_000_000, 10_000_000),   # below and at the preference
    (49_000_000, 10_000_000),                                   # below the conversion point (50M)
    (50_000_000, 10_000_000),                                   # at it: 20% x 50M = 10M either way
    (60_000_000, 12_000_000),                                   # above it: converts, 20% x 60M
])
def test_non_participating_hand_cases(exit_value, a_gets):
    paid, _ = waterfall(exit_value, [A_NONPART], COMMON)
    assert paid["A"] == a_gets
    assert paid["Common"] == exit_value - a_gets


def test_participating_hand_case():
    part = Preferred("A", shares=2_000_000, invested=Fraction(10_000_000), participating=True)
    paid, converted = waterfall(60_000_000, [part], COMMON)
    assert paid["A"] == 10_000_000 + Fraction(2, 10) * 50_000_000 and not converted


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_waterfall_rejects_bad_numbers(bad):
    with pytest.raises(ValueError):
        waterfall(bad, [A_NONPART], COMMON)
    with pytest.raises(ValueError):
        Preferred("A", shares=2_000_000, invested=bad)


def test_waterfall_rejects_bad_types():
    with pytest.raises(ValueError, match="whole number"):
        Preferred("A", shares=True, invested=1)
    with pytest.raises(ValueError, match="True or False"):
        Preferred("A", shares=1, invested=1, participating="yes")
    with pytest.raises(ValueError, match="whole numbers"):
        waterfall(1, [A_NONPART], {"Common": 1.5})


# --- runway, burn multiple, default alive ----------------------------------------------------

def test_runway_hand_cases():
    assert runway_months(1_200_000, 100_000) == 12
    assert runway_months(0, 100_000) == 0
    assert runway_months(1_000, 0) == math.inf and runway_months(1_000, -5) == math.inf
    assert burn_multiple(0, 1) == 0
    assert [burn_multiple_grade(m) for m in (0, 0.999, 1, 1.5, 2, 2.999, 3)] == \
        ["amazing", "amazing", "great", "good", "suspect", "suspect", "bad"]
    assert default_alive(0, 200, 100, 0) == (True, 0)          # already profitable
    assert default_alive(1_000, 0, 100, 0) == (False, 11)      # 10 months to zero, short in the 11th


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_runway_rejects_bad_numbers(bad):
    for call in (lambda: runway_months(bad, 1), lambda: runway_months(1, bad), lambda: burn_multiple(bad, 1),
                 lambda: burn_multiple(1, bad), lambda: burn_multiple_grade(bad),
                 lambda: default_alive(bad, 1, 1, 0), lambda: default_alive(1, 1, 2, bad)):
        with pytest.raises(ValueError):
            call()


# --- compute, inference, rent vs buy --------------------------------------------------------

def test_compute_and_inference_hand_cases():
    assert training_flops(1e9, 1e9) == 6e18
    assert gpu_hours(1.8e18, 1e15, 0.5) == pytest.approx(1.0)
    assert gpu_hours(3.6e18, 1e15, 1) == pytest.approx(1.0)     # MFU = 1 is allowed
    assert training_cost(0, 5) == 0
    assert api_cost_per_request(1_000_000, 0, 2.5, 10) == pytest.approx(2.5)
    assert api_cost_per_request(0, 1_000_000, 2.5, 10) == pytest.approx(10)
    assert self_hosted_cost_per_m_tokens(3.6, 1000, 1) == pytest.approx(1.0)
    assert gross_margin(100, 25) == 0.75 and gross_margin(100, 150) == -0.5
    assert breakeven_months(7_300, 1.0, 1, power_kw=0) == pytest.approx(10)
    assert breakeven_months(7_300, 0.5, 1, power_kw=1, price_per_kwh=0.5) == math.inf  # rent = power


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_compute_and_inference_reject_bad_numbers(bad):
    for call in (lambda: training_flops(bad, 1), lambda: gpu_hours(bad), lambda: gpu_hours(1, mfu=bad),
                 lambda: training_cost(bad, 1), lambda: api_cost_per_request(bad, 1, 1, 1),
                 lambda: self_hosted_cost_per_m_tokens(1, bad, 0.5), lambda: gross_margin(bad, 1),
                 lambda: breakeven_months(bad, 1, 0.5), lambda: breakeven_months(1, 1, bad)):
        with pytest.raises(ValueError):
            call()


@pytest.mark.parametrize("mfu", [0, -0.1, 1.0001])
def test_out_of_range_shares_are_rejected(mfu):
    with pytest.raises(ValueError, match="MFU"):
        gpu_hours(1e18, mfu=mfu)
    with pytest.raises(ValueError, match="utilization"):
        self_hosted_cost_per_m_tokens(1, 1, mfu)
