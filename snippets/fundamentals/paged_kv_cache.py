"""Paged KV cache: fixed-size blocks and a block table instead of one contiguous slab per request."""
import math

import torch
import torch.nn.functional as F

BLOCK = 16  # tokens per block (vLLM makes this a setting, --block-size)


def reserved_slots_contiguous(lengths: list[int], max_len: int) -> int:
    """A contiguous cache reserves max_len token slots per request, however long it turns out to be."""
    return len(lengths) * max_len


def reserved_slots_paged(lengths: list[int], block: int = BLOCK) -> int:
    """A paged cache allocates blocks as tokens arrive: at most block - 1 unused slots per request."""
    return sum(math.ceil(n / block) * block for n in lengths)


def gather(pool: torch.Tensor, block_table: list[int], length: int) -> torch.Tensor:
    """Read one sequence's keys (or values) out of the shared pool. pool: (n_blocks, BLOCK, h, d)."""
    return pool[block_table].flatten(0, 1)[:length]  # (length, h, d)


lengths = [37, 512, 90, 1_200, 8]  # tokens actually held by five requests
used = sum(lengths)
contiguous, paged = reserved_slots_contiguous(lengths, 2_048), reserved_slots_paged(lengths)
print(f"slots used {used:,}; contiguous reserves {contiguous:,} ({used / contiguous:.0%} used), "
      f"paged reserves {paged:,} ({used / paged:.0%} used)")
assert paged - used < len(lengths) * BLOCK and used / contiguous < 0.2

# Attention over a paged cache gives the same result as over a contiguous one.
torch.manual_seed(0)
h, d, length = 4, 32, 37
k, v = torch.randn(length, h, d), torch.randn(length, h, d)
n_blocks = math.ceil(length / BLOCK)
table = torch.randperm(50)[:n_blocks].tolist()  # any free blocks, in any order
k_pool, v_pool = torch.zeros(50, BLOCK, h, d), torch.zeros(50, BLOCK, h, d)
for i, block in enumerate(table):  # write the tokens block by block
    chunk = slice(i * BLOCK, min((i + 1) * BLOCK, length))
    k_pool[block, : chunk.stop - chunk.start], v_pool[block, : chunk.stop - chunk.start] = k[chunk], v[chunk]
q = torch.randn(h, 1, d)  # the new token's query
paged_out = F.scaled_dot_product_attention(q, gather(k_pool, table, length).transpose(0, 1),
                                           gather(v_pool, table, length).transpose(0, 1))
dense_out = F.scaled_dot_product_attention(q, k.transpose(0, 1), v.transpose(0, 1))
assert torch.equal(paged_out, dense_out)
print(f"blocks {table}: paged attention == contiguous attention")
