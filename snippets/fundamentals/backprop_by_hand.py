"""Backprop by hand through one sigmoid neuron, checked against torch.autograd."""
import math

import torch


def neuron_forward_backward(x: float, y: float, w: float, b: float) -> dict[str, float]:
    """Forward values and hand-derived gradients of L = (sigmoid(w*x + b) - y)**2 / 2."""
    z = w * x + b
    a = 1.0 / (1.0 + math.exp(-z))
    loss = 0.5 * (a - y) ** 2
    dL_da = a - y  # derivative of (a - y)^2 / 2
    da_dz = a * (1.0 - a)  # sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))
    dL_dz = dL_da * da_dz  # chain rule: one multiplication per edge, output to input
    return {"z": z, "a": a, "loss": loss, "dL_da": dL_da, "da_dz": da_dz,
            "dL_dz": dL_dz, "dL_dw": dL_dz * x, "dL_db": dL_dz}


x, y, w, b = 1.5, 1.0, 0.8, -0.5
hand = neuron_forward_backward(x, y, w, b)

# autograd builds the same graph during the forward pass and walks it backwards.
w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
loss = 0.5 * (torch.sigmoid(w_t * x + b_t) - y) ** 2
loss.backward()
assert math.isclose(loss.item(), hand["loss"], rel_tol=1e-12)
assert math.isclose(w_t.grad.item(), hand["dL_dw"], rel_tol=1e-12)
assert math.isclose(b_t.grad.item(), hand["dL_db"], rel_tol=1e-12)

# Updating the parameters is the optimizer's job, not backprop's: one step against
# the gradient (lr = 1) lowers the loss.
lr = 1.0
after = neuron_forward_backward(x, y, w - lr * hand["dL_dw"], b - lr * hand["dL_db"])
assert after["loss"] < hand["loss"]
print("  ".join(f"{k}={v:+.4f}" for k, v in hand.items()))
print(f"loss {hand['loss']:.4f} -> {after['loss']:.4f} after one step with lr={lr}")
