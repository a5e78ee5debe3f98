"""RoPE beyond the trained length: the angles a model has seen, position interpolation, and a larger base."""
import math

import torch


def rope_angles(positions: torch.Tensor, d: int, base: float = 10000.0, scale: float = 1.0) -> torch.Tensor:
    """Angle of each rotation pair: (position * scale) * base^(-2i/d). scale = L / L' is position interpolation."""
    omega = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    return (positions.to(torch.float64) * scale).unsqueeze(-1) * omega  # (T, d/2)


d, trained, target = 128, 8192, 32768
seen = rope_angles(torch.arange(trained), d)
naive = rope_angles(torch.arange(target), d)
interpolated = rope_angles(torch.arange(target), d, scale=trained / target)
# Past the trained length, the slow pairs turn to angles the model never saw in training ...
assert (naive.amax(0) > seen.amax(0)).all()
# ... position interpolation keeps every pair within the angles of positions 0..L, at the price of finer steps
assert (interpolated.amax(0) < rope_angles(torch.tensor([trained]), d)[0]).all()
assert torch.allclose(interpolated[4], seen[1])  # four new positions per old one

for base in (10_000, 500_000):  # the slowest pair's wavelength: positions for one full turn
    slowest = 2 * math.pi / base ** (-(d - 2) / d)
    print(f"base {base:>7,}: slowest pair turns once every {slowest:,.0f} positions")
