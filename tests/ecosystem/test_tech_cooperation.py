"""Partner scoring calculator: the worked example in tech-cooperation.md and its bad-input errors."""
import math

import pytest

from ecosystem.partner_scoring import CANDIDATES, WEIGHTS, check_weights, rank, weighted_score


def test_worked_example_scores():
    # The table in the chapter: 3.75, 3.55, 3.35 out of 5.
    expected = {"industry_incumbent": 3.75, "cloud_vendor": 3.55, "university_lab": 3.35}
    got = dict(rank(CANDIDATES, WEIGHTS))
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        assert math.isclose(got[name], value)
    manual = sum(WEIGHTS[k] * CANDIDATES["cloud_vendor"][k] for k in WEIGHTS)
    assert math.isclose(got["cloud_vendor"], manual)


def test_exercise_weights_change_the_winner():
    # Exercise 1 in the chapter: a team that weights technical fit at 0.5 picks the lab (4.0).
    weights = {"technical_fit": 0.5, "data_access": 0.1, "distribution": 0.1,
               "commercial_terms": 0.2, "compliance": 0.1}
    ranking = rank(CANDIDATES, weights)
    assert ranking[0][0] == "university_lab"
    assert math.isclose(ranking[0][1], 4.0)
    assert math.isclose(dict(ranking)["cloud_vendor"], 3.7)
    assert math.isclose(dict(ranking)["industry_incumbent"], 3.3)


def test_equal_scores_give_that_score():
    weights = {"a": 0.2, "b": 0.3, "c": 0.5}
    assert math.isclose(weighted_score({"a": 3, "b": 3, "c": 3}, weights), 3.0)


@pytest.mark.parametrize(
    "weights, match",
    [
        ({"a": 1.2, "b": -0.2}, "negative"),
        ({"a": 0.5, "b": 0.4}, "sum to 1"),
        ({}, "at least one"),
    ],
)
def test_bad_weights(weights, match):
    with pytest.raises(ValueError, match=match):
        check_weights(weights)


def test_missing_and_unknown_criteria():
    weights = {"a": 0.5, "b": 0.5}
    with pytest.raises(ValueError, match="missing score for criteria: b"):
        weighted_score({"a": 3}, weights)
    with pytest.raises(ValueError, match="no weight for criteria: c"):
        weighted_score({"a": 3, "b": 3, "c": 1}, weights)


@pytest.mark.parametrize("bad", [-0.5, 5.5])
def test_score_out_of_range(bad):
    with pytest.raises(ValueError, match="outside"):
        weighted_score({"a": bad, "b": 2}, {"a": 0.5, "b": 0.5})


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: check_weights({"a": float("nan")}), "weight for 'a' must be a finite number"),
        (lambda: check_weights({"a": True}), "weight for 'a' must be a finite number"),
        (lambda: check_weights({"a": 0.5, "b": float("inf")}), "weight for 'b' must be a finite number"),
        (lambda: weighted_score({"a": True}, {"a": 1.0}), "score for 'a' must be a finite number"),
        (lambda: weighted_score({"a": "4"}, {"a": 1.0}), "score for 'a' must be a finite number"),
    ],
)
def test_non_finite_and_mistyped_weights_and_scores_are_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
