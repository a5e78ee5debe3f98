"""The quality and speed targets of the training examples, in one place: the GPU tests assert the quality targets,
the GPU benchmark prints both and times the way to the quality targets, and the site's result table marks them
(hooks/training_results.py).

Selection is done on validation data, never on the test set: the MNIST examples pick the epoch with the best
validation accuracy and score only that model on the test set, once; the time to target is the time to the first
evaluation whose *validation* number meets the bar. The DCGAN is scored by the judge CNN (chosen the same way)
on generated digits, with the Frechet distance to held-out validation digits each epoch; the GPT, as nanoGPT,
reports the best loss on its validation split.
"""

ACCURACY = {"mnist_mlp": 98.0, "mnist_cnn": 99.3}  # test accuracy, %, of the model chosen on validation
CONFIDENCE, SMALLEST_CLASS = 0.90, 0.05  # the DCGAN: mean top-class probability; the rarest digit's share of samples
VAL_LOSS = 1.50  # the GPT: best validation loss, nats per character
QUALITY = {  # example -> the target as the site shows it
    **{example: f"≥ {bar:.1f} %" for example, bar in ACCURACY.items()},
    "dcgan": f"≥ {CONFIDENCE:.2f}, every class ≥ {100 * SMALLEST_CLASS:.0f} %",
    "char_gpt": f"≤ {VAL_LOSS:.2f}",
}
TARGETS = QUALITY  # the name the hook and the tests import
# seconds of training to the quality target on one H100 (bf16, compiled; compile time reported apart): printed, not asserted
SPEED_S = {"mnist_cnn": 3.0, "dcgan": 60.0, "char_gpt": 30.0}


def smallest_share(histogram: list[int]) -> float:
    return min(histogram) / sum(histogram)


def meets(example: str, h: dict) -> bool:
    """Does one evaluation in a run's history meet the target (on validation data for the MNIST classifiers)?"""
    if example in ACCURACY:
        return h["val_accuracy"] >= ACCURACY[example]
    if example == "dcgan":
        return h["confidence"] >= CONFIDENCE and smallest_share(h["class_histogram"]) >= SMALLEST_CLASS
    return h["val_loss"] <= VAL_LOSS


def first_reached(example: str, history: list[dict]) -> dict | None:
    """The first evaluation of the run that meets the target (its time_s is the time to target), or None."""
    return next((h for h in history if meets(example, h)), None)


def reached(example: str, metrics: dict) -> bool:
    """Whether a finished run meets its target: for the classifiers the test accuracy of the model chosen on
    validation; for the GAN the model the run ends with; for the GPT its best validation loss (nanoGPT's number)."""
    if example in ACCURACY:
        return metrics["test_accuracy"] >= ACCURACY[example]
    if example == "char_gpt":
        return metrics["best_val_loss"] <= VAL_LOSS
    return meets(example, metrics["history"][-1])
