"""The failover availability figures on the provider-contracts page, recomputed exactly and by a
simulation of independent monthly outages (an independent check of the closed form)."""
import random
from fractions import Fraction
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ecosystem"


def failover(a1: Fraction, a2: Fraction) -> Fraction:
    return 1 - (1 - a1) * (1 - a2)


def test_page_figures():
    assert failover(Fraction(995, 1000), Fraction(995, 1000)) == Fraction(999975, 1000000)
    assert failover(Fraction(999, 1000), Fraction(995, 1000)) == Fraction(999995, 1000000)


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_figures_appear_on_the_page(lang):
    text = (DOCS / f"provider-contracts.{lang}.md").read_text(encoding="utf-8")
    assert "99.9975\\%" in text and "99.9995\\%" in text


def test_closed_form_matches_a_simulation():
    rng = random.Random(0)
    minutes, a1, a2 = 200_000, 0.95, 0.90  # coarse availabilities so the simulation converges fast
    up = sum((rng.random() < a1) or (rng.random() < a2) for _ in range(minutes)) / minutes
    assert up == pytest.approx(float(failover(Fraction(95, 100), Fraction(90, 100))), abs=0.002)
