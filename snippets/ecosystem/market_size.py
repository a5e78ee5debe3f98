"""TAM / SAM / SOM, top-down (shares of a total) and bottom-up (accounts x annual contract value)."""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class MarketSize:
    tam: float  # total addressable market, per year
    sam: float  # serviceable: the part your product and channels can reach
    som: float  # obtainable: what you can realistically win in the plan's horizon


@dataclass(frozen=True)
class Segment:
    name: str
    accounts: int                # number of potential customers in the segment
    acv: float                   # annual contract value per customer
    reachable: float             # share of the segment your product and channels serve, 0-1


def _real(name: str, x: object) -> None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"{name} must be a number, got {type(x).__name__} {x!r}")


def _share(name: str, x: float) -> None:
    _real(name, x)
    if not (math.isfinite(x) and 0.0 <= x <= 1.0):
        raise ValueError(f"{name} must be a share between 0 and 1, got {x}")


def _money(name: str, x: float) -> None:
    _real(name, x)
    if not (math.isfinite(x) and x >= 0):
        raise ValueError(f"{name} must be a non-negative amount, got {x}")


def top_down(total: float, serviceable_share: float, obtainable_share: float) -> MarketSize:
    """TAM = total; SAM = TAM * serviceable_share; SOM = SAM * obtainable_share."""
    _money("total", total)
    _share("serviceable_share", serviceable_share)
    _share("obtainable_share", obtainable_share)
    sam = total * serviceable_share
    return MarketSize(total, sam, sam * obtainable_share)


def bottom_up(segments: list[Segment], win_rate: float) -> MarketSize:
    """TAM = sum N_i * ACV_i; SAM = sum r_i * N_i * ACV_i; SOM = win_rate * SAM."""
    if not segments:
        raise ValueError("bottom_up needs at least one segment")
    _share("win_rate", win_rate)
    for s in segments:
        if isinstance(s.accounts, bool) or not isinstance(s.accounts, int) or s.accounts < 0:
            raise ValueError(f"segment {s.name!r}: accounts must be >= 0, got {s.accounts}")
        _money(f"segment {s.name!r}: acv", s.acv)
        _share(f"segment {s.name!r}: reachable", s.reachable)
    tam = sum(s.accounts * s.acv for s in segments)
    sam = sum(s.reachable * s.accounts * s.acv for s in segments)
    return MarketSize(tam, sam, win_rate * sam)


# Worked example (the page's numbers are assumptions, not market data): a contract-review tool.
segments = [
    Segment("law firms, 50-200 lawyers", accounts=2_000, acv=120_000, reachable=0.5),
    Segment("in-house legal teams", accounts=8_000, acv=60_000, reachable=0.25),
]
bottom = bottom_up(segments, win_rate=0.10)
top = top_down(total=1.2e9, serviceable_share=0.3, obtainable_share=0.10)
for label, m in [("bottom-up", bottom), ("top-down", top)]:
    print(f"{label:9s} TAM {m.tam / 1e6:6.0f}M  SAM {m.sam / 1e6:5.0f}M  SOM {m.som / 1e6:4.0f}M")
assert (bottom.tam, bottom.sam) == (720e6, 240e6) and math.isclose(bottom.som, 24e6)
assert math.isclose(top.sam, 360e6) and math.isclose(top.som, 36e6)
assert bottom.tam >= bottom.sam >= bottom.som
