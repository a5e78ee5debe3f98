"""TAM/SAM/SOM calculator: the worked example in market-expansion.md and bad inputs."""
import math

import pytest

from ecosystem.market_size import Segment, bottom_up, top_down


def test_bottom_up_worked_example():
    segments = [
        Segment("law firms, 50-200 lawyers", accounts=2_000, acv=120_000, reachable=0.5),
        Segment("in-house legal teams", accounts=8_000, acv=60_000, reachable=0.25),
    ]
    m = bottom_up(segments, win_rate=0.10)
    assert math.isclose(m.tam, 2_000 * 120_000 + 8_000 * 60_000)  # 720 million
    assert math.isclose(m.tam, 720e6)
    assert math.isclose(m.sam, 240e6)
    assert math.isclose(m.som, 24e6)


def test_top_down_worked_example():
    m = top_down(total=1.2e9, serviceable_share=0.3, obtainable_share=0.10)
    assert (m.tam, math.isclose(m.sam, 360e6), math.isclose(m.som, 36e6)) == (1.2e9, True, True)
    # The chapter's point: top-down SOM is 1.5x the bottom-up one.
    assert math.isclose(m.som / 24e6, 1.5)


def test_exercise_reconcile():
    # Exercise 1: with a one-third serviceable share the top-down SOM is 40 million, 16 million above bottom-up.
    m = top_down(total=1.2e9, serviceable_share=1 / 3, obtainable_share=0.10)
    assert math.isclose(m.sam, 400e6) and math.isclose(m.som, 40e6)
    assert math.isclose(m.som - 24e6, 16e6)


def test_nesting_holds():
    m = bottom_up([Segment("s", 10, 1_000, 0.7)], win_rate=0.3)
    assert m.tam >= m.sam >= m.som >= 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"total": -1.0, "serviceable_share": 0.5, "obtainable_share": 0.1}, "non-negative amount"),
        ({"total": 1e6, "serviceable_share": 1.5, "obtainable_share": 0.1}, "serviceable_share"),
        ({"total": 1e6, "serviceable_share": 0.5, "obtainable_share": -0.1}, "obtainable_share"),
        ({"total": float("nan"), "serviceable_share": 0.5, "obtainable_share": 0.1}, "total"),
    ],
)
def test_top_down_bad_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        top_down(**kwargs)


def test_bottom_up_bad_inputs():
    with pytest.raises(ValueError, match="at least one segment"):
        bottom_up([], win_rate=0.1)
    with pytest.raises(ValueError, match="accounts must be >= 0"):
        bottom_up([Segment("s", -5, 1_000, 0.5)], win_rate=0.1)
    with pytest.raises(ValueError, match="acv must be a non-negative amount"):
        bottom_up([Segment("s", 5, -1_000, 0.5)], win_rate=0.1)
    with pytest.raises(ValueError, match="reachable must be a share"):
        bottom_up([Segment("s", 5, 1_000, 50)], win_rate=0.1)  # 50 means 50 %: must be 0.5
    with pytest.raises(ValueError, match="win_rate"):
        bottom_up([Segment("s", 5, 1_000, 0.5)], win_rate=1.2)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: top_down(True, 0.5, 0.5), "total must be a number"),
        (lambda: top_down("1e9", 0.5, 0.5), "total must be a number"),
        (lambda: top_down(1e9, True, 0.5), "serviceable_share must be a number"),
        (lambda: top_down(float("inf"), 0.5, 0.5), "total must be a non-negative amount"),
        (lambda: bottom_up([Segment("s", 10.5, 1.0, 0.5)], 0.1), "accounts must be >= 0"),
        (lambda: bottom_up([Segment("s", True, 1.0, 0.5)], 0.1), "accounts must be >= 0"),
        (lambda: bottom_up([Segment("s", 10, float("nan"), 0.5)], 0.1), "acv must be a non-negative amount"),
    ],
)
def test_mistyped_and_non_finite_inputs_are_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
