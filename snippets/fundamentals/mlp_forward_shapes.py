"""An MLP built with nn.Sequential: assert every tensor shape of the forward pass."""
import torch
from torch import nn

torch.manual_seed(0)
batch_size = 32
model = nn.Sequential(
    nn.Linear(784, 256), nn.ReLU(),  # 784 = 28 * 28 pixels of an MNIST-sized image
    nn.Linear(256, 128), nn.ReLU(),
    nn.Linear(128, 10),  # no activation: the 10 outputs are logits for the loss
)
X = torch.randn(batch_size, 784)

# Layer by layer: nn.Linear stores W as (out_features, in_features), and the
# activations after layer l have shape (batch_size, n_l).
h = X
for layer in model:
    h = layer(h)
    if isinstance(layer, nn.Linear):
        assert layer.weight.shape == (layer.out_features, layer.in_features)
        assert layer.bias.shape == (layer.out_features,)
        assert h.shape == (batch_size, layer.out_features)
logits = model(X)
assert logits.shape == (batch_size, 10)

# The same forward pass as plain matrix products: H_l = relu(H_{l-1} W_l^T + b_l).
linears = [m for m in model if isinstance(m, nn.Linear)]
H = X
for i, linear in enumerate(linears):
    H = H @ linear.weight.T + linear.bias
    if i < len(linears) - 1:  # the output layer has no ReLU
        H = torch.relu(H)
max_diff = (H - logits).abs().max().item()
assert max_diff < 1e-5
print(f"input {tuple(X.shape)} -> logits {tuple(logits.shape)}; "
      f"matrix form matches nn.Sequential (max diff {max_diff:.1e})")
