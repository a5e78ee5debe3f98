"""Early stopping with patience: stop when the validation loss has not improved for `patience` epochs."""


class EarlyStopping:
    def __init__(self, patience: int, min_delta: float = 0.0):
        if patience < 1:
            raise ValueError(f"patience must be at least 1 epoch, got {patience}")
        if min_delta < 0:
            raise ValueError(f"min_delta must be >= 0, got {min_delta}")
        self.patience, self.min_delta = patience, min_delta
        self.best, self.best_epoch, self.bad_epochs = float("inf"), -1, 0

    def should_stop(self, epoch: int, val_loss: float) -> bool:
        """Call once per epoch. An improvement must beat the best loss by more than min_delta."""
        if val_loss < self.best - self.min_delta:
            self.best, self.best_epoch, self.bad_epochs = val_loss, epoch, 0
            return False  # a real loop saves model.state_dict() here, to restore it at the end
        self.bad_epochs += 1
        return self.bad_epochs >= self.patience


def run(val_losses, patience):
    """Returns (best_epoch, stop_epoch) for a recorded validation curve."""
    stopper = EarlyStopping(patience)
    for epoch, val_loss in enumerate(val_losses):
        if stopper.should_stop(epoch, val_loss):
            return stopper.best_epoch, epoch
    return stopper.best_epoch, len(val_losses) - 1


# Validation loss of a model that starts to overfit after epoch 6.
val_losses = [0.92, 0.71, 0.60, 0.55, 0.53, 0.54, 0.52, 0.53, 0.55, 0.58, 0.62, 0.67]
best_epoch, stop_epoch = run(val_losses, patience=3)
print(f"best epoch {best_epoch} (val loss {val_losses[best_epoch]}), stopped after epoch {stop_epoch}")
assert (best_epoch, stop_epoch) == (6, 9)
assert run(val_losses, patience=1) == (4, 5)  # too impatient: stops at the first bump, misses epoch 6
