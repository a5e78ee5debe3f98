"""Exact and near-duplicate removal: SHA-256 of normalized text, then MinHash signatures and LSH banding."""
import hashlib
import re
import zlib

import torch

PRIME = 2**31 - 1  # hash values and coefficients stay below 2**31, so a * x + b fits in int64


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def exact_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def shingles(text: str, n: int = 3) -> set[str]:
    """The set of word n-grams; Jaccard similarity is measured on these sets."""
    words = normalize(text).split()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def minhash(doc_shingles: set[str], n_hashes: int = 128, seed: int = 0) -> torch.Tensor:
    """Signature: for each of n_hashes random hash functions (a x + b) mod p, the minimum over the shingles.
    Two signatures agree in one position with probability equal to the Jaccard similarity (Broder 1997)."""
    g = torch.Generator().manual_seed(seed)
    a = torch.randint(1, PRIME, (n_hashes, 1), generator=g)
    b = torch.randint(0, PRIME, (n_hashes, 1), generator=g)
    x = torch.tensor([zlib.crc32(s.encode("utf-8")) % PRIME for s in doc_shingles])  # stable across runs
    return ((a * x + b) % PRIME).min(dim=1).values


def lsh_candidates(signatures: list[torch.Tensor], bands: int, rows: int) -> set[tuple[int, int]]:
    """Pairs whose signatures agree on all rows of at least one band: P = 1 - (1 - s**rows)**bands."""
    pairs = set()
    for band in range(bands):
        buckets: dict[tuple, list[int]] = {}
        for i, sig in enumerate(signatures):
            buckets.setdefault(tuple(sig[band * rows:(band + 1) * rows].tolist()), []).append(i)
        for ids in buckets.values():
            pairs.update((i, j) for k, i in enumerate(ids) for j in ids[k + 1:])
    return pairs


def candidate_probability(s: float, bands: int, rows: int) -> float:
    return 1 - (1 - s**rows) ** bands


# A toy corpus: 300 documents of 80 words drawn from 2,000 made-up words ...
torch.manual_seed(0)
vocab = [f"w{i}" for i in range(2000)]
docs = [" ".join(vocab[i] for i in torch.randint(2000, (80,)).tolist()) for _ in range(300)]
# ... plus 10 exact copies (case and spacing changed) and 10 near-copies with 3 of 80 words replaced.
for i in range(10):
    docs.append("  " + docs[i].upper().replace(" ", "   ") + "\n")
for i in range(10, 20):
    words = docs[i].split()
    for pos in (5, 40, 70):
        words[pos] = "edited"
    docs.append(" ".join(words))
planted_near = {(i, 310 + i - 10) for i in range(10, 20)}

seen, kept = set(), []
for i, doc in enumerate(docs):  # exact dedup: keep the first document with each normalized hash
    if exact_key(doc) not in seen:
        seen.add(exact_key(doc))
        kept.append(i)
assert len(docs) - len(kept) == 10

bands, rows = 32, 4  # 128 hashes; the S-curve rises around (1/32)**(1/4) = 0.42
sets = {i: shingles(docs[i]) for i in kept}
sigs = [minhash(sets[i]) for i in kept]
found = {(kept[i], kept[j]) for i, j in lsh_candidates(sigs, bands, rows)}
near = {pair for pair in found if jaccard(sets[pair[0]], sets[pair[1]]) >= 0.7}  # verify candidates exactly
assert near == planted_near
print(f"{len(docs)} documents: {len(docs) - len(kept)} exact duplicates removed; LSH proposed {len(found)} "
      f"pairs, {len(near)} verified near-duplicates (Jaccard >= 0.7), all of them planted")
s = jaccard(*(sets[i] for i in next(iter(sorted(planted_near)))))
print(f"a planted pair has Jaccard {s:.2f}; LSH catches such a pair with probability "
      f"{candidate_probability(s, bands, rows):.3f}, a pair at 0.2 with {candidate_probability(0.2, bands, rows):.3f}")
