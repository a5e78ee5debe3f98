"""BatchNorm, LayerNorm and RMSNorm written from their formulas, checked against torch.nn."""
import torch
from torch import nn


def batch_norm_train(x, gamma, beta, running_mean, running_var, momentum=0.1, eps=1e-5):
    """x: (N, C). Normalize each channel over the batch; update the running statistics in place."""
    n = x.shape[0]
    mean, var = x.mean(0), x.var(0, unbiased=False)  # the batch is normalized with the biased variance
    running_mean.mul_(1 - momentum).add_(momentum * mean)
    running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))  # ... but stored unbiased
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


def batch_norm_eval(x, gamma, beta, running_mean, running_var, eps=1e-5):
    """At inference the running statistics replace the batch's: each sample is treated alone."""
    return gamma * (x - running_mean) / torch.sqrt(running_var + eps) + beta


def layer_norm(x, gamma, beta, eps=1e-5):
    """Normalize each token over its own features; no batch statistics, same in training and inference."""
    mean, var = x.mean(-1, keepdim=True), x.var(-1, unbiased=False, keepdim=True)
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


def rms_norm(x, gamma, eps=1e-6):
    """LayerNorm without the mean and the bias: divide by the root mean square."""
    return gamma * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)


torch.manual_seed(0)
C = 8
bn = nn.BatchNorm1d(C)  # momentum 0.1, eps 1e-5
with torch.no_grad():
    bn.weight.uniform_(0.5, 1.5)
    bn.bias.uniform_(-0.5, 0.5)
gamma, beta = bn.weight.detach(), bn.bias.detach()
running_mean, running_var = torch.zeros(C), torch.ones(C)
for step in range(5):  # training: batch statistics, running averages move towards them
    x = 3 * torch.randn(16, C) + 2
    assert torch.allclose(batch_norm_train(x, gamma, beta, running_mean, running_var), bn(x), atol=1e-5)
assert torch.allclose(running_mean, bn.running_mean) and torch.allclose(running_var, bn.running_var)

bn.eval()
x = 3 * torch.randn(4, C) + 2
assert torch.allclose(batch_norm_eval(x, gamma, beta, running_mean, running_var), bn(x), atol=1e-5)
assert torch.allclose(bn(x[:1]), bn(x)[:1])  # in eval mode a sample's output ignores the rest of the batch
bn.train()
assert not torch.allclose(bn(x[:2])[:1], bn(x)[:1])  # in train mode it depends on the batch

tokens = torch.randn(2, 5, 16) * 4 + 1
ln, rms = nn.LayerNorm(16), nn.RMSNorm(16, eps=1e-6)
with torch.no_grad():
    for p in [ln.weight, ln.bias, rms.weight]:
        p.normal_()
assert torch.allclose(layer_norm(tokens, ln.weight, ln.bias), ln(tokens), atol=1e-5)
assert torch.allclose(rms_norm(tokens, rms.weight), rms(tokens), atol=1e-5)
print("BatchNorm1d (train and eval), LayerNorm and RMSNorm match their formulas")
