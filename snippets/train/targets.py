"""The quality targets of the training examples, in one place: the GPU tests assert them, the GPU benchmark
times the way to them, and the site's result table marks them (hooks/training_results.py)."""

TARGETS = {  # example -> (the target as the site shows it, does one evaluation of a run's history meet it?)
    "mnist_mlp": ("≥ 98.0 %", lambda h: h["test_accuracy"] >= 98.0),
    "mnist_cnn": ("≥ 99.3 %", lambda h: h["test_accuracy"] >= 99.3),
    "dcgan": ("≥ 0.90, 10 / 10", lambda h: h["confidence"] >= 0.90 and min(h["class_histogram"]) > 0),
    "char_gpt": ("≤ 1.50", lambda h: h["val_loss"] <= 1.50),
}


def first_reached(example: str, history: list[dict]) -> dict | None:
    """The first evaluation of the run that meets the target (its time_s is the time to target), or None."""
    return next((h for h in history if TARGETS[example][1](h)), None)


def reached(example: str, metrics: dict) -> bool:
    """Whether a finished run meets its target: the last evaluation for the classifiers and the GAN (the model
    the run ends with), the best validation loss for the GPT (what nanoGPT reports, since that model overfits)."""
    if example == "char_gpt":
        return first_reached(example, metrics["history"]) is not None
    return TARGETS[example][1](metrics["history"][-1])
