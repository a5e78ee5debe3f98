"""The China employment chapter's severance calculator: statutory hand cases, the page's worked
example and exercise, and bad inputs. Expected values are worked from the Labour Contract Law's
articles 40, 47 and 87 on paper, not read off the code."""
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from talent.severance_cn import KINDS, service_months, severance, severance_months

DOCS = Path(__file__).resolve().parents[2] / "docs" / "talent"


@pytest.mark.parametrize(
    "start, end, months",
    [
        (date(2022, 3, 1), date(2023, 2, 28), 12),  # the last day of the first year completes it
        (date(2022, 3, 1), date(2023, 2, 27), 11),
        (date(2024, 6, 1), date(2026, 12, 31), 31),
        (date(2026, 1, 1), date(2026, 1, 1), 0),  # one day
    ],
)
def test_service_months_counts_the_last_day(start, end, months):
    assert service_months(start, end) == months


@pytest.mark.parametrize(
    "months, n",
    [(0, 0), (1, Fraction(1, 2)), (5, Fraction(1, 2)), (6, 1), (12, 1), (17, Fraction(3, 2)), (18, 2), (56, 5)],
)
def test_article_47_steps(months, n):
    # each full year 1 month; a remainder of 6 months or more counts as a year; under 6 months, half
    assert severance_months(months) == n


def test_the_page_example():
    start, end = date(2022, 3, 1), date(2026, 11, 15)
    expected = {"mutual": 150_000, "art40_with_notice": 150_000, "art40_pay_in_lieu": 180_000, "unlawful": 300_000}
    assert {kind: severance(30_000, 12_000, start, end, kind) for kind in KINDS} == expected


def test_the_page_exercise():
    start, end = date(2024, 6, 1), date(2026, 12, 31)
    assert severance(20_000, 10_000, start, end, "art40_pay_in_lieu") == 80_000
    assert severance(20_000, 10_000, start, end, "unlawful") == 120_000


def test_high_earner_cap_applies_to_base_and_years_but_not_to_pay_in_lieu():
    # RMB 60,000 against a local average of 12,000: base capped at 36,000, 16 years capped at 12;
    # the month in lieu of notice is the employee's own last wage
    start, end = date(2010, 1, 1), date(2025, 12, 31)
    assert severance(60_000, 12_000, start, end) == 12 * 36_000
    assert severance(60_000, 12_000, start, end, "art40_pay_in_lieu") == 12 * 36_000 + 60_000
    assert severance(60_000, 12_000, start, end, "unlawful") == 2 * 12 * 36_000
    # exactly three times the average is not "above" it: no cap
    assert severance(36_000, 12_000, start, end) == 16 * 36_000


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((0, 12_000), {}, "monthly_wage must be > 0"),
        ((-1, 12_000), {}, "monthly_wage must be > 0"),
        ((float("nan"), 12_000), {}, "monthly_wage must be finite"),
        ((30_000, float("inf")), {}, "local_average_wage must be finite"),
        ((30_000, Decimal("NaN")), {}, "local_average_wage must be finite"),
        ((True, 12_000), {}, "monthly_wage must be a number"),
        (("30000", 12_000), {}, "monthly_wage must be a number"),
        ((30_000, 12_000), {"kind": "redundancy"}, "kind must be one of"),
        ((30_000, 12_000), {"end": date(2021, 1, 1)}, "dates out of order"),
        ((30_000, 12_000), {"start": "2022-03-01"}, "start must be a datetime.date"),
    ],
)
def test_bad_input(args, kwargs, message):
    call = dict(start=date(2022, 3, 1), end=date(2026, 11, 15)) | kwargs
    with pytest.raises(ValueError, match=message):
        severance(*args, **call)


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_probation_table_on_the_page(lang):
    # article 19: the four rows of the probation table, in order
    text = (DOCS / f"china-employment.{lang}.md").read_text(encoding="utf-8")
    section = text.split("{ #contract-probation }")[1].split("{ #social-insurance }")[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and not line.startswith("| ---")][1:]
    limits = [row.strip("|").split("|")[1].strip() for row in rows]
    if lang == "en":
        assert limits == ["no probation allowed", "1 month", "2 months", "6 months"]
    else:
        assert limits == ["不得约定试用期", "1 个月", "2 个月", "6 个月"]


def test_cap_only_for_wages_above_three_times_the_average():
    # exactly 3x the average is not "above" it (art. 47): 15 years at the full wage, no 12-year cap
    assert severance(30_000, 10_000, date(2010, 1, 1), date(2024, 12, 31)) == 15 * 30_000
    # one yuan above: base 3 x 10,000, N = 15 cut to 12
    assert severance(30_001, 10_000, date(2010, 1, 1), date(2024, 12, 31)) == 12 * 30_000


def test_float_wages_are_exact_and_decimal_specials_rejected():
    assert severance(12_345.67, 10_000, date(2025, 1, 1), date(2025, 12, 31)) == Fraction("12345.67")
    with pytest.raises(ValueError, match="monthly_wage must be finite"):
        severance(Decimal("sNaN"), 10_000, date(2025, 1, 1), date(2025, 12, 31))
