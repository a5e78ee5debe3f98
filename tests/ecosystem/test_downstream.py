"""Pricing-model margins: the worked example in downstream.md and bad inputs."""
import math

import pytest

from ecosystem.pricing_margin import Month, Prices, gross_margin, margins, revenues

PRICES = Prices(seats=20, per_seat=1_500, per_task=3.0, per_outcome=5.0)


def test_base_month_same_revenue_same_margin():
    month = Month(tasks=10_000, resolved_share=0.60, cost_per_task=0.40, fixed_cost=2_000)
    assert revenues(month, PRICES) == {"seat": 30_000, "usage": 30_000, "outcome": 30_000}
    assert all(math.isclose(v, 0.8) for v in margins(month, PRICES).values())  # cost 6,000


def test_usage_doubles():
    month = Month(tasks=20_000, resolved_share=0.60, cost_per_task=0.40, fixed_cost=2_000)
    gm = margins(month, PRICES)  # cost 10,000; seat revenue stays 30,000
    assert math.isclose(gm["seat"], (30_000 - 10_000) / 30_000)
    assert math.isclose(gm["usage"], (60_000 - 10_000) / 60_000)
    assert math.isclose(gm["outcome"], gm["usage"])


def test_resolution_drops():
    month = Month(tasks=10_000, resolved_share=0.40, cost_per_task=0.40, fixed_cost=2_000)
    assert math.isclose(revenues(month, PRICES)["outcome"], 20_000)
    gm = margins(month, PRICES)
    assert math.isclose(gm["outcome"], 0.7) and math.isclose(gm["seat"], 0.8)


def test_exercise_seat_break_even():
    # Exercise 1: seat pricing falls to a 50% margin at 32,500 conversations a month.
    month = Month(tasks=32_500, resolved_share=0.60, cost_per_task=0.40, fixed_cost=2_000)
    assert math.isclose(margins(month, PRICES)["seat"], 0.5)


def test_exercise_outcome_price_floor():
    # Exercise 2: at 40% resolution, RMB 6 per resolution keeps the outcome margin at 75%.
    month = Month(tasks=10_000, resolved_share=0.40, cost_per_task=0.40, fixed_cost=2_000)
    floor = Prices(seats=20, per_seat=1_500, per_task=3.0, per_outcome=6.0)
    assert math.isclose(margins(month, floor)["outcome"], 0.75)
    cheaper = Prices(seats=20, per_seat=1_500, per_task=3.0, per_outcome=5.99)
    assert margins(month, cheaper)["outcome"] < 0.75


def test_gross_margin_formula():
    assert math.isclose(gross_margin(100.0, 35.0), 0.65)
    assert gross_margin(100.0, 150.0) < 0  # selling below cost is a negative margin, not an error
    with pytest.raises(ValueError, match="positive revenue"):
        gross_margin(0.0, 10.0)


@pytest.mark.parametrize(
    "month, prices, match",
    [
        (Month(-1, 0.5, 0.4, 0), PRICES, "tasks and seats"),
        (Month(10, 1.5, 0.4, 0), PRICES, "resolved_share"),
        (Month(10, 0.5, -0.4, 0), PRICES, "cost_per_task"),
        (Month(10, 0.5, 0.4, -1), PRICES, "fixed_cost"),
        (Month(10, 0.5, 0.4, 0), Prices(1, -10, 1, 1), "per_seat"),
    ],
)
def test_bad_inputs(month, prices, match):
    with pytest.raises(ValueError, match=match):
        revenues(month, prices)


NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(
    "month, prices, message",
    [
        (Month(10, 0.5, NAN, 0), PRICES, "cost_per_task must be a finite number"),
        (Month(10, 0.5, INF, 0), PRICES, "cost_per_task must be a finite number"),
        (Month(10, 0.5, 0.1, -INF), PRICES, "fixed_cost must be a finite number"),
        (Month(True, 0.5, 0.1, 0), PRICES, "tasks must be a whole number"),
        (Month(10.5, 0.5, 0.1, 0), PRICES, "tasks must be a whole number"),
        (Month(10, 0.5, 0.1, 0), Prices(20, NAN, 3.0, 5.0), "per_seat must be a finite number"),
        (Month(10, 0.5, 0.1, 0), Prices(20, 1_500, "3", 5.0), "per_task must be a finite number"),
        (Month(10, 0.5, 0.1, 0), Prices(True, 1_500, 3.0, 5.0), "seats must be a whole number"),
    ],
)
def test_non_finite_and_mistyped_inputs_are_rejected(month, prices, message):
    with pytest.raises(ValueError, match=message):
        margins(month, prices)
