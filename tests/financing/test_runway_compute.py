"""Checks for the runway-compute chapter: runway and burn, training FLOPs and cost, inference unit
economics, rent versus buy. 6ND is checked against PyTorch's FLOP counter; the chapter's worked
examples are recomputed with the numbers printed on the page."""
import math
import random

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from financing.inference_unit_economics import (api_cost_per_request, gross_margin,
                                                self_hosted_cost_per_m_tokens)
from financing.rent_vs_buy_gpu import HOURS_PER_MONTH, breakeven_months
from financing.runway_burn import burn_multiple, burn_multiple_grade, default_alive, runway_months
from financing.training_compute_cost import gpu_hours, training_cost, training_flops


# --- runway and burn ------------------------------------------------------------------------

def test_runway_and_burn_worked_example():
    assert f"{runway_months(3_000_000, 250_000 - 60_000):.1f}" == "15.8"
    assert burn_multiple(2_400_000, 2_000_000) == pytest.approx(1.2)
    assert burn_multiple_grade(1.2) == "great"
    assert default_alive(3_000_000, 60_000, 250_000, 0.05) == (False, 20)
    assert default_alive(3_000_000, 60_000, 250_000, 0.08) == (True, 19)


@pytest.mark.parametrize("multiple, grade", [(0.5, "amazing"), (1.0, "great"), (1.7, "good"),
                                             (2.5, "suspect"), (3.0, "bad"), (9, "bad")])
def test_sacks_scale(multiple, grade):
    assert burn_multiple_grade(multiple) == grade


def test_not_burning_means_infinite_runway_and_already_alive():
    assert runway_months(1_000_000, 0) == math.inf
    assert default_alive(0, 100_000, 80_000, 0.0) == (True, 0)


@pytest.mark.parametrize("seed", range(20))
def test_more_growth_never_makes_a_company_less_alive(seed):
    rng = random.Random(seed)
    cash, revenue, expenses = (rng.randint(1, 50) * 100_000, rng.randint(0, 20) * 10_000,
                               rng.randint(5, 50) * 10_000)
    slow, fast = sorted(rng.uniform(-0.05, 0.2) for _ in range(2))
    assert default_alive(cash, revenue, expenses, fast)[0] >= default_alive(cash, revenue, expenses, slow)[0]


# --- training compute -----------------------------------------------------------------------

def test_six_n_d_matches_pytorch_flop_counter():
    """One training step of a linear layer (no bias) costs 2ND forward and 4ND backward FLOPs."""
    torch.manual_seed(0)
    d_in, d_out, tokens = 64, 32, 128
    model = torch.nn.Linear(d_in, d_out, bias=False)
    X = torch.randn(tokens, d_in, requires_grad=True)   # gradient w.r.t. input, as in a deep net
    with FlopCounterMode(display=False) as counter:
        model(X).sum().backward()
    n_params = sum(p.numel() for p in model.parameters())
    assert counter.get_total_flops() == training_flops(n_params, tokens)


def test_llama_31_405b_cross_check():
    flops = training_flops(405e9, 15.6e12)
    assert f"{flops:.2e}" == "3.79e+25"
    estimate = gpu_hours(flops, mfu=0.40)
    assert f"{estimate / 1e6:.1f}" == "26.6"
    assert 0.8 < estimate / 30.84e6 < 1.0   # reported 30.84M: restarts and evaluation cost extra


def test_startup_training_budgets_on_the_page():
    small = gpu_hours(training_flops(1e9, 20e9), mfu=0.4)
    big = gpu_hours(training_flops(7e9, 2e12), mfu=0.4)
    assert f"{small:,.0f}" == "84" and f"{big:,.0f}" == "58,958"
    assert [f"{training_cost(big, p):,.0f}" for p in (2.69, 3.99, 6.88)] == ["158,598", "235,244", "405,633"]


@pytest.mark.parametrize("seed", range(10))
def test_gpu_hours_fall_as_utilization_rises(seed):
    rng = random.Random(seed)
    flops = rng.uniform(1e18, 1e24)
    low, high = sorted(rng.uniform(0.05, 1.0) for _ in range(2))
    assert gpu_hours(flops, mfu=high) <= gpu_hours(flops, mfu=low)


# --- inference and rent versus buy ---------------------------------------------------------------

def test_inference_worked_example():
    typical = 300 * api_cost_per_request(2_000, 500, 0.15, 0.60)
    heavy = 3_000 * api_cost_per_request(20_000, 1_000, 0.15, 0.60)
    assert f"{typical:.2f}" == "0.18" and f"{heavy:.2f}" == "10.80"
    assert f"{gross_margin(20, typical):.1%}" == "99.1%" and f"{gross_margin(20, heavy):.1%}" == "46.0%"
    assert [f"{self_hosted_cost_per_m_tokens(3.99, 1_000, u):.2f}" for u in (1, 0.4, 0.1)] == \
        ["1.11", "2.77", "11.08"]


def test_self_hosted_cost_is_inverse_in_throughput_and_utilization():
    base = self_hosted_cost_per_m_tokens(2.0, 500, 0.5)
    assert self_hosted_cost_per_m_tokens(2.0, 1_000, 0.5) == pytest.approx(base / 2)
    assert self_hosted_cost_per_m_tokens(2.0, 500, 1.0) == pytest.approx(base / 2)


def test_rent_vs_buy_worked_example():
    assert [f"{breakeven_months(25_000, 3.99, u):.1f}" for u in (1.0, 0.5, 0.2)] == ["8.7", "17.4", "43.6"]
    assert [f"{breakeven_months(25_000, 2.69, u):.1f}" for u in (1.0, 0.5, 0.2)] == ["13.0", "26.1", "65.2"]
    # power: 0.7 kW x 730 h x $0.0895 per kWh
    assert 0.7 * HOURS_PER_MONTH * 0.0895 == pytest.approx(45.73, abs=0.01)
    assert breakeven_months(25_000, 0.05, 1.0) == math.inf          # rent cheaper than power


@pytest.mark.parametrize("seed", range(10))
def test_break_even_comes_later_at_lower_utilization(seed):
    rng = random.Random(seed)
    capex, rent = rng.uniform(5_000, 40_000), rng.uniform(1, 8)
    low, high = sorted(rng.uniform(0.05, 1) for _ in range(2))
    assert breakeven_months(capex, rent, high) <= breakeven_months(capex, rent, low)


# --- bad input ------------------------------------------------------------------------------

def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="cash must be non-negative"):
        runway_months(-1, 10)
    with pytest.raises(ValueError, match="net new ARR must be positive"):
        burn_multiple(100, 0)
    with pytest.raises(ValueError, match="monthly growth must be between -1 and 1"):
        default_alive(1, 1, 2, 8)
    with pytest.raises(ValueError, match="MFU must be in \\(0, 1\\]"):
        gpu_hours(1e20, mfu=40)
    with pytest.raises(ValueError, match="parameter and token counts must be positive"):
        training_flops(-7e9, 1e12)
    with pytest.raises(ValueError, match="utilization must be in \\(0, 1\\]"):
        self_hosted_cost_per_m_tokens(2.0, 100, 1.5)
    with pytest.raises(ValueError, match="revenue must be positive"):
        gross_margin(0, 1)
    with pytest.raises(ValueError, match="input_tokens must be non-negative"):
        api_cost_per_request(-1, 0, 0.15, 0.6)
    with pytest.raises(ValueError, match="capex must be non-negative"):
        breakeven_months(-1, 3.0, 0.5)


# --- the chapter's exercises ----------------------------------------------------------------

def test_exercise_three_billion_params():
    hours = gpu_hours(training_flops(3e9, 60e9), mfu=0.4)
    assert training_flops(3e9, 60e9) == pytest.approx(1.08e21)
    assert round(hours) == 758 and round(training_cost(hours, 3.99)) == 3025


def test_exercises_burn_and_break_even():
    assert burn_multiple(3_600_000, 1_000_000) == pytest.approx(3.6)
    assert burn_multiple_grade(3.6) == "bad"
    assert f"{breakeven_months(30_000, 3.99, 0.5):.1f}" == "20.9"


def test_strategy_chapter_llama_bill_at_todays_prices():
    # Strategy chapter: Meta's reported 30.84M H100 GPU-hours priced at the chapter's three rates
    assert [f"{training_cost(30.84e6, p) / 1e6:.1f}" for p in (2.69, 3.99, 6.88)] == ["83.0", "123.1", "212.2"]
    # DeepSeek-V3: 2.788M H800 GPU-hours at the report's assumed USD 2 per GPU-hour
    assert training_cost(2.788e6, 2.0) == pytest.approx(5.576e6)
