"""Precision, recall and F1 from 0/1 predictions; F1 is the harmonic mean of P and R."""
import torch


def precision_recall_f1(y_pred: torch.Tensor, y_true: torch.Tensor) -> tuple[float, float, float]:
    """Binary precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2PR/(P+R)."""
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shapes differ: {tuple(y_pred.shape)} vs {tuple(y_true.shape)}")
    tp = int(((y_pred == 1) & (y_true == 1)).sum())
    fp = int(((y_pred == 1) & (y_true == 0)).sum())
    fn = int(((y_pred == 0) & (y_true == 1)).sum())
    if tp + fp == 0 or tp + fn == 0:
        raise ValueError("precision or recall is undefined: no predicted or no actual positives")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 0.0 if tp == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


# 20 samples, 4 of them positive: TP = 3, FN = 1, FP = 3, TN = 13.
y_true = torch.tensor([1] * 4 + [0] * 16)
y_pred = torch.tensor([1, 1, 1, 0] + [1] * 3 + [0] * 13)
precision, recall, f1 = precision_recall_f1(y_pred, y_true)
accuracy = int((y_pred == y_true).sum()) / len(y_true)
assert (precision, recall) == (0.5, 0.75) and abs(f1 - 0.6) < 1e-12
assert accuracy == 0.8  # accuracy is not precision: 16 of 20 right, F1 only 0.6
print(f"precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.2f}, accuracy {accuracy:.2f}")
