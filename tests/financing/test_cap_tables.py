"""Checks for the cap-tables chapter: cap table, SAFE, note, anti-dilution and waterfall calculators.

Published examples are recomputed (YC post-money safe user guide, YC standard deal, Venture Hacks'
option pool shuffle); the chapter's worked examples are recomputed with the numbers on the page;
seeded random cases check the invariants (ownership sums to 100%, payouts add up to the exit).
"""
import random
from datetime import date
from fractions import Fraction

import pytest

from financing.anti_dilution import conversion_shares, full_ratchet_price, weighted_average_price
from financing.cap_table import (POOL, Safe, close_round, mfn_terms, ownership, pro_rata_amount,
                                 safe_ownership)
from financing.convertible_note import accrued_amount, note_conversion_price
from financing.liquidation_waterfall import Preferred, waterfall

FOUNDERS = {"Founder A": 4_500_000, "Founder B": 4_500_000, POOL: 1_000_000}
SAFES = (Safe("Angel SAFE", 500_000, cap=5_000_000),
         Safe("Seed SAFE", 1_000_000, cap=10_000_000, discount=Fraction(1, 5)))


# --- published examples -------------------------------------------------------------------

@pytest.mark.parametrize("amount, cap, percent", [
    # YC Post-Money Safe User Guide, quick start: "$500k ... 0.5/6.7 = ~7.5%", "~12%", "~15%",
    # and two caps: "$500k / $5.5 million = ~9%", "$500k / $8.3 million = ~6%"
    (500_000, 6_700_000, 7.5), (800_000, 6_700_000, 12), (1_000_000, 6_700_000, 15),
    (500_000, 5_500_000, 9), (500_000, 8_300_000, 6),
])
def test_yc_user_guide_quick_start(amount, cap, percent):
    assert float(safe_ownership(amount, cap)) * 100 == pytest.approx(percent, abs=0.5)


def test_yc_standard_deal_mfn_example():
    # ycombinator.com/deal: MFN safe of $375,000, next safes at a $15M post-money cap -> 2.5%
    # At a round priced above the cap the holder elects the $15M cap (the election is tested by hand
    # cases in test_calculator_edges.py); at the cap it owns 375k / 15M of Company Capitalization.
    mfn = mfn_terms(Safe("YC MFN", 375_000), (Safe("Angel", 250_000, cap=15_000_000),),
                    {"Founders": 9_000_000}, {"Series A": 10_000_000}, 40_000_000)
    assert mfn.cap == 15_000_000
    assert safe_ownership(mfn.amount, mfn.cap) == Fraction(25, 1000)


def test_yc_standard_deal_125k_for_7_percent():
    # $125,000 for 7% on a post-money safe implies a post-money cap of $1,785,714
    assert int(Fraction(125_000) / Fraction(7, 100)) == 1_785_714


def test_venture_hacks_option_pool_shuffle():
    # 6M shares, $2M on $8M pre, pool = 20% of post: price $1.00, effective pre-money $6M
    result = close_round({"Founders": 6_000_000}, {"Blue Shirt": 2_000_000}, 8_000_000, Fraction(1, 5))
    assert result.price == 1
    assert result.pool_top_up == 2_000_000
    assert result.table["Blue Shirt"] == 2_000_000
    assert result.price * 6_000_000 == 6_000_000  # what the founders' shares are really worth


# --- the chapter's worked example ---------------------------------------------------------

def seed_round():
    return close_round(FOUNDERS, {"Seed fund": 3_000_000}, 12_000_000, Fraction(1, 10), SAFES)


def test_seed_round_worked_example():
    seed = seed_round()
    assert f"{float(seed.price):.4f}" == "0.9011"
    assert seed.pool_top_up == 664_634
    assert seed.table == {"Founder A": 4_500_000, "Founder B": 4_500_000, POOL: 1_664_634,
                          "Angel SAFE": 1_265_243, "Seed SAFE": 1_387_195, "Seed fund": 3_329_268}
    pct = {k: f"{float(v):.2%}" for k, v in ownership(seed.table).items()}
    assert pct == {"Founder A": "27.03%", "Founder B": "27.03%", POOL: "10.00%",
                   "Angel SAFE": "7.60%", "Seed SAFE": "8.33%", "Seed fund": "20.00%"}


def test_safes_convert_as_the_user_guide_says():
    seed = seed_round()
    capitalization = sum(seed.table.values()) - seed.pool_top_up - seed.table["Seed fund"]
    # the capped safe owns amount / cap of the Company Capitalization (pool top-up excluded)
    assert seed.table["Angel SAFE"] == pytest.approx(capitalization / 10, abs=1)
    # the other safe's 20% discount beats its cap, so it paid 80% of the round price
    assert Fraction(1_000_000, seed.table["Seed SAFE"]) == pytest.approx(seed.price * Fraction(4, 5), rel=1e-6)
    assert 10_000_000 / capitalization > seed.price * Fraction(4, 5)


def test_series_a_with_pro_rata_worked_example():
    seed = seed_round()
    pro_rata = pro_rata_amount(ownership(seed.table)["Seed fund"], 10_000_000)
    assert pro_rata == 2_000_000
    a = close_round(seed.table, {"Series A fund": 10_000_000 - pro_rata, "Seed fund": pro_rata},
                    40_000_000, Fraction(12, 100))
    assert f"{float(a.price):.4f}" == "2.2694"
    assert a.table[POOL] == 2_643_830 and a.table["Series A fund"] == 3_525_107
    assert a.table["Seed fund"] == 4_210_544
    pct = {k: f"{float(v):.2%}" for k, v in ownership(a.table).items()}
    assert pct["Founder A"] == "20.42%" and pct[POOL] == "12.00%" and pct["Series A fund"] == "16.00%"


def test_convertible_note_worked_example():
    owed = accrued_amount(1_000_000, "0.06", date(2025, 1, 15), date(2026, 7, 15))
    assert f"{float(owed):,.2f}" == "1,089,753.42"
    price = note_conversion_price(Fraction("1.50"), "0.20", 10_000_000, 10_000_000)
    assert price == 1                                      # cap price beats 80% of $1.50
    assert note_conversion_price(Fraction("1.10"), "0.20", 10_000_000, 10_000_000) == Fraction("0.88")


def test_anti_dilution_worked_example():
    bbwa = weighted_average_price("2.00", 10_000_000, 3_000_000, 2_500_000)
    assert bbwa == Fraction("1.84")
    assert full_ratchet_price("2.00", "1.20") == Fraction("1.20")
    assert [conversion_shares(4_000_000, p) for p in (Fraction(2), bbwa, Fraction("1.20"))] == \
        [2_000_000, 2_173_913, 3_333_333]


WATERFALL_TERMS = {"non": {}, "part": {"participating": True},
                   "cap": {"participating": True, "cap": Fraction(3)}}
# Series A payout in $M for exits of 10, 25, 60, 120, 200 $M (the table on the page)
SERIES_A_PAGE = {"non": ["8.82", "15.00", "18.00", "36.00", "60.00"],
                 "part": ["8.82", "17.67", "28.50", "46.50", "70.50"],
                 "cap": ["8.82", "17.67", "28.50", "45.00", "60.00"]}
COMMON_PAGE = {"non": ["0.00", "8.00", "36.00", "72.00", "120.00"],
               "part": ["0.00", "5.33", "27.00", "63.00", "111.00"],
               "cap": ["0.00", "5.33", "27.00", "64.29", "120.00"]}


@pytest.mark.parametrize("terms", list(WATERFALL_TERMS))
def test_waterfall_worked_example(terms):
    seed = Preferred("Seed", 1_000_000, Fraction(2_000_000))
    a = Preferred("Series A", 3_000_000, Fraction(15_000_000), **WATERFALL_TERMS[terms])
    got_a, got_common = [], []
    for exit_value in (10_000_000, 25_000_000, 60_000_000, 120_000_000, 200_000_000):
        paid, _ = waterfall(exit_value, [seed, a], {"Common": 6_000_000})
        assert sum(paid.values()) == exit_value
        got_a.append(f"{float(paid['Series A']) / 1e6:.2f}")
        got_common.append(f"{float(paid['Common']) / 1e6:.2f}")
    assert got_a == SERIES_A_PAGE[terms] and got_common == COMMON_PAGE[terms]


def test_waterfall_seniority_pays_senior_first():
    senior = Preferred("B", 1_000_000, Fraction(10_000_000), seniority=1)
    junior = Preferred("A", 1_000_000, Fraction(10_000_000))
    paid, converted = waterfall(12_000_000, [senior, junior], {"Common": 8_000_000})
    assert paid == {"Common": 0, "B": 10_000_000, "A": 2_000_000} and not converted


# --- invariants on seeded random cases ----------------------------------------------------

def random_round(rng):
    table = {"Founders": rng.randint(1, 20) * 1_000_000, POOL: rng.randint(0, 3) * 500_000}
    safes = tuple(Safe(f"SAFE {i}", rng.randint(1, 20) * 50_000,
                       cap=rng.choice([None, rng.randint(4, 30) * 1_000_000]),
                       discount=Fraction(rng.choice([0, 10, 15, 20]), 100)) for i in range(rng.randint(0, 3)))
    pre = rng.randint(5, 80) * 1_000_000
    return table, safes, pre, rng.randint(1, 20) * 500_000, Fraction(rng.randint(0, 20), 100)


@pytest.mark.parametrize("seed", range(40))
def test_round_invariants(seed):
    table, safes, pre, money, target = random_round(random.Random(seed))
    result = close_round(table, {"Investor": money}, pre, target, safes)
    own = ownership(result.table)
    assert sum(own.values()) == 1                                      # exactly 100%
    assert all(isinstance(n, int) and n >= 0 for n in result.table.values())
    total = sum(result.table.values())
    assert result.table["Investor"] == pytest.approx(total * money / (pre + money), abs=len(safes) + 3)
    if result.pool_top_up > 0:                                         # pool hits its target
        assert result.table[POOL] == pytest.approx(total * target, abs=len(safes) + 3)
    for s in safes:                          # every SAFE gets at least the round price deal
        assert result.safe_shares[s.investor] >= int(s.amount / result.price) - 1


@pytest.mark.parametrize("seed", range(20))
def test_higher_pre_money_never_hurts_founders(seed):
    table, safes, pre, money, target = random_round(random.Random(seed))
    low = ownership(close_round(table, {"Investor": money}, pre, target, safes).table)["Founders"]
    high = ownership(close_round(table, {"Investor": money}, pre * 2, target, safes).table)["Founders"]
    assert high >= low


def random_waterfall(rng):
    prefs = []
    for i in range(rng.randint(1, 3)):
        participating = rng.random() < 0.5
        prefs.append(Preferred(f"P{i}", rng.randint(1, 5) * 1_000_000, Fraction(rng.randint(1, 30) * 1_000_000),
                               multiple=Fraction(rng.choice([1, 1, 2])), participating=participating,
                               cap=Fraction(rng.choice([3, 4])) if participating and rng.random() < 0.5 else None,
                               seniority=rng.randint(0, 1)))
    return prefs, {"Common": rng.randint(1, 10) * 1_000_000}


@pytest.mark.parametrize("seed", range(40))
def test_waterfall_invariants(seed):
    rng = random.Random(seed)
    prefs, common = random_waterfall(rng)
    previous = None
    for exit_value in sorted(rng.randint(0, 400) * 500_000 for _ in range(6)):
        paid, _ = waterfall(exit_value, prefs, common)
        assert sum(paid.values()) == exit_value                     # never more, never less
        assert all(v >= 0 for v in paid.values())
        if previous is not None:                                    # a bigger exit hurts nobody
            assert paid["Common"] >= previous["Common"]
        previous = paid


@pytest.mark.parametrize("seed", range(30))
def test_weighted_average_lies_between_issue_price_and_cp1(seed):
    rng = random.Random(seed)
    cp1 = Fraction(rng.randint(50, 500), 100)
    a, c = rng.randint(1, 50) * 1_000_000, rng.randint(1, 20) * 100_000
    issue = cp1 * Fraction(rng.randint(1, 99), 100)
    cp2 = weighted_average_price(cp1, a, issue * c, c)
    assert issue <= cp2 <= cp1
    assert abs(cp2 - (a * cp1 + c * issue) / (a + c)) <= Fraction(1, 20_000)   # weighted form
    narrow = weighted_average_price(cp1, a // 2, issue * c, c)                 # smaller A
    assert narrow <= cp2


# --- bad input ------------------------------------------------------------------------------

def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="valuation cap must be positive"):
        Safe("x", 100_000, cap=0)
    with pytest.raises(ValueError, match="SAFE amount must be positive"):
        Safe("x", -100_000, cap=5_000_000)
    with pytest.raises(ValueError, match="discount must be below 1"):
        Safe("x", 100_000, discount=20)
    with pytest.raises(ValueError, match="pool target must be below 1"):
        close_round(FOUNDERS, {"VC": 1_000_000}, 10_000_000, 1.5)
    with pytest.raises(ValueError, match="pre-money valuation must be positive"):
        close_round(FOUNDERS, {"VC": 1_000_000}, 0)
    with pytest.raises(ValueError, match="investment of VC must be positive"):
        close_round(FOUNDERS, {"VC": -5}, 10_000_000)
    with pytest.raises(ValueError, match="100% or more"):
        close_round(FOUNDERS, {"VC": 1_000_000}, 10_000_000, 0, (Safe("x", 6_000_000, cap=5_000_000),))
    with pytest.raises(ValueError, match="before the issue date"):
        accrued_amount(1_000_000, "0.06", date(2026, 1, 1), date(2025, 1, 1))
    with pytest.raises(ValueError, match="annual rate must be between 0 and 1"):
        accrued_amount(1_000_000, 6, date(2025, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValueError, match="valuation cap must be positive"):
        note_conversion_price(1, "0.2", 0, 1_000)
    with pytest.raises(ValueError, match="new shares \\(C\\) must be positive"):
        weighted_average_price("2.00", 10_000_000, 0, 0)
    with pytest.raises(ValueError, match="exit value must be non-negative"):
        waterfall(-1, [], {"Common": 1})
    with pytest.raises(ValueError, match="a cap needs participation"):
        Preferred("A", 1, Fraction(1), cap=Fraction(3))


# --- the chapter's exercises ----------------------------------------------------------------

def test_exercise_conversion_threshold():
    seed = Preferred("Seed", 1_000_000, Fraction(2_000_000))
    a = Preferred("Series A", 3_000_000, Fraction(15_000_000))
    _, below = waterfall(49_990_000, [seed, a], {"Common": 6_000_000})
    _, above = waterfall(50_010_000, [seed, a], {"Common": 6_000_000})
    assert "Series A" not in below and "Series A" in above and "Seed" in below


def test_exercise_weighted_average_at_160():
    assert weighted_average_price("2.00", 10_000_000, Fraction("1.60") * 2_500_000, 2_500_000) == Fraction("1.92")


def test_exercise_angel_safe_before_new_money():
    seed = seed_round()
    capitalization = sum(seed.table.values()) - seed.pool_top_up - seed.table["Seed fund"]
    assert capitalization == 12_652_438 and seed.table["Angel SAFE"] * 10 == pytest.approx(capitalization, abs=10)
    # counting the pool top-up, which also sits in the pre-money: 1,265,243 / 13,317,072 = 9.50%
    pre_money_shares = capitalization + seed.pool_top_up
    assert pre_money_shares == 13_317_072
    assert round(100 * seed.table["Angel SAFE"] / pre_money_shares, 2) == 9.50
