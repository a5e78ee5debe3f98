"""What autograd records: a graph of backward functions, built while the forward pass runs."""
import torch

x = torch.tensor(1.5)
w = torch.tensor(0.8, requires_grad=True)  # leaves: tensors we create and want gradients for
b = torch.tensor(-0.5, requires_grad=True)


def forward():
    return 0.5 * (torch.sigmoid(w * x + b) - 1.0) ** 2


def backward_nodes(fn):
    """Backward nodes from the loss towards w, following each node's first input."""
    nodes = []
    while fn is not None:
        nodes.append(fn)
        fn = next((f for f, _ in fn.next_functions if f is not None), None)
    return nodes


loss = forward()
nodes = backward_nodes(loss.grad_fn)
assert w.is_leaf and w.grad_fn is None and loss.grad_fn is not None
assert [n.name() for n in nodes] == ["MulBackward0", "PowBackward0", "SubBackward0",
                                     "SigmoidBackward0", "AddBackward0", "MulBackward0",
                                     "torch::autograd::AccumulateGrad"]
sigmoid_node = nodes[3]  # it saved its output a, because sigmoid'(z) = a * (1 - a)
assert torch.equal(sigmoid_node._saved_result, torch.sigmoid(w * x + b).detach())

loss.backward()  # walks the graph once, then frees the tensors the nodes saved
first = w.grad.clone()
try:
    loss.backward()
    raise AssertionError("a second backward through a freed graph should fail")
except RuntimeError:
    pass

forward().backward()  # a new forward pass records a new graph ...
assert torch.allclose(w.grad, 2 * first)  # ... and .grad accumulates: zero it between steps
w.grad = None

with torch.no_grad():  # nothing is recorded: evaluation and parameter updates
    assert forward().grad_fn is None

# The graph is whatever code actually ran, Python control flow included.
z = w * x + b
out = z * 2 if z > 0 else z**2
assert out.grad_fn.name() == "MulBackward0"
print(" <- ".join(n.name() for n in nodes))
