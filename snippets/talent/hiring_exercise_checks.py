"""Public checks for the attention take-home. A submission is a function
causal_self_attention(x, w_qkv, w_out, num_heads) -> tensor; failures(fn) lists the checks it fails."""
# --8<-- [start:checks]
import torch
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode


def make_case(seed=0, batch=2, seq=6, d_model=8, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, seq, d_model, generator=g, dtype=dtype)
    w_qkv = torch.randn(3 * d_model, d_model, generator=g, dtype=dtype) / d_model**0.5
    w_out = torch.randn(d_model, d_model, generator=g, dtype=dtype) / d_model**0.5
    return x, w_qkv, w_out


def sdpa_attention(x, w_qkv, w_out, num_heads):
    """Trusted answer built on torch.nn.functional.scaled_dot_product_attention."""
    batch, seq, d_model = x.shape
    q, k, v = (t.view(batch, seq, num_heads, -1).transpose(1, 2)
               for t in (x @ w_qkv.T).split(d_model, dim=-1))
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return out.transpose(1, 2).reshape(batch, seq, d_model) @ w_out.T


def check_shape(fn):
    x, w_qkv, w_out = make_case()
    assert fn(x, w_qkv, w_out, 2).shape == x.shape


def check_matches_sdpa(fn):
    for num_heads in (1, 2, 4):
        x, w_qkv, w_out = make_case(seed=num_heads)
        torch.testing.assert_close(fn(x, w_qkv, w_out, num_heads), sdpa_attention(x, w_qkv, w_out, num_heads))


def check_matches_nn_multihead(fn):
    x, w_qkv, w_out = make_case(dtype=torch.float32)
    seq, d_model = x.shape[1], x.shape[2]
    mha = torch.nn.MultiheadAttention(d_model, num_heads=4, bias=False, batch_first=True)
    with torch.no_grad():
        mha.in_proj_weight.copy_(w_qkv)
        mha.out_proj.weight.copy_(w_out)
    future = torch.triu(torch.ones(seq, seq, dtype=torch.bool), diagonal=1)  # True = may not attend
    expected, _ = mha(x, x, x, attn_mask=future, need_weights=False)
    torch.testing.assert_close(fn(x, w_qkv, w_out, 4), expected, atol=1e-5, rtol=1e-4)


def check_causal(fn):
    x, w_qkv, w_out = make_case()
    noise, y = make_case(seed=99)[0], fn(x, w_qkv, w_out, 2)
    for t in range(x.shape[1] - 1):
        x_changed = x.clone()
        x_changed[:, t + 1:] += noise[:, t + 1:]  # change only the future
        torch.testing.assert_close(fn(x_changed, w_qkv, w_out, 2)[:, : t + 1], y[:, : t + 1])


def check_first_token(fn):
    # token 0 can only attend to itself: its output is its own value vector, projected
    x, w_qkv, w_out = make_case()
    d_model = x.shape[-1]
    w_v = w_qkv[2 * d_model:]
    torch.testing.assert_close(fn(x, w_qkv, w_out, 2)[:, 0], x[:, 0] @ w_v.T @ w_out.T)


def check_prefix_mean(fn):
    # with W_q = 0 every score is 0, so token t averages the values of tokens 0..t
    x, w_qkv, w_out = make_case()
    d_model, seq = x.shape[-1], x.shape[1]
    w_qkv = w_qkv.clone()
    w_qkv[:d_model] = 0
    values = x @ w_qkv[2 * d_model:].T
    prefix_mean = values.cumsum(dim=1) / torch.arange(1, seq + 1, dtype=x.dtype).view(1, seq, 1)
    torch.testing.assert_close(fn(x, w_qkv, w_out, 2), prefix_mean @ w_out.T)


def check_gradients(fn):
    tensors = make_case()
    leaves = [t.clone().requires_grad_(True) for t in tensors]
    grads = torch.autograd.grad(fn(*leaves, 2).square().sum(), leaves)
    expected = torch.autograd.grad(sdpa_attention(*leaves, 2).square().sum(), leaves)
    for got, want in zip(grads, expected):
        torch.testing.assert_close(got, want)


def check_stable(fn):
    x, w_qkv, w_out = make_case(dtype=torch.float32)
    assert torch.isfinite(fn(1e3 * x, w_qkv, w_out, 2)).all()  # scores ~1e6: naive exp overflows


class _OpLog(TorchDispatchMode):
    """Records the name of every low-level (aten) operation run inside the `with` block."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.names.add(func.name())
        return func(*args, **(kwargs or {}))


FORBIDDEN_OPS = ("scaled_dot_product", "multi_head_attention")  # substrings of aten op names


def check_no_forbidden_api(fn):
    # rule 1: no fused attention. The Python entry points raise while fn runs, and every aten op it
    # reaches is logged, so calls through torch.ops.aten or torch._C are caught as well.
    x, w_qkv, w_out = make_case()

    def refuse(*args, **kwargs):
        raise AssertionError("forbidden API called")

    saved = (F.scaled_dot_product_attention, F.multi_head_attention_forward, torch.nn.MultiheadAttention.forward)
    F.scaled_dot_product_attention = F.multi_head_attention_forward = torch.nn.MultiheadAttention.forward = refuse
    try:
        with _OpLog() as log:
            fn(x, w_qkv, w_out, 2)
    finally:
        F.scaled_dot_product_attention, F.multi_head_attention_forward, torch.nn.MultiheadAttention.forward = saved
    used = sorted(name for name in log.names if any(bad in name for bad in FORBIDDEN_OPS))
    assert not used, f"forbidden fused attention ops: {used}"


CHECKS = {
    "shape": check_shape,
    "matches_sdpa": check_matches_sdpa,
    "matches_nn_multihead": check_matches_nn_multihead,
    "causal": check_causal,
    "first_token": check_first_token,
    "prefix_mean": check_prefix_mean,
    "gradients": check_gradients,
    "stable": check_stable,
    "no_forbidden_api": check_no_forbidden_api,
}


def failures(fn):
    """Names of the checks that fn fails (an exception counts as a failure)."""
    failed = []
    for name, check in CHECKS.items():
        try:
            check(fn)
        except Exception:  # a crash is as much a failure as a wrong number
            failed.append(name)
    return failed
# --8<-- [end:checks]


if __name__ == "__main__":
    import importlib.util
    from pathlib import Path

    def load(name):
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.causal_self_attention

    reference = failures(load("hiring_exercise_reference"))
    planted = failures(load("hiring_exercise_planted_bug"))
    assert reference == [], reference
    assert "causal" in planted and "shape" not in planted, planted
    print("reference fails:", reference)
    print("planted bug fails:", planted)
