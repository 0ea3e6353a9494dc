"""``TerminateOnNaN``: stops training when the loss becomes NaN or infinite."""

import math

from lamella.training.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops ``fit`` at the first batch whose loss is NaN or infinite.

    It reads the loss after every batch, which makes the host wait for each step: a
    safety net for unstable runs, at some speed cost on small models.
    """

    reads_model_per_batch = False

    def __init__(self):
        super().__init__()
        self.stopped_batch = None

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            print(f"Batch {batch}: invalid loss {loss}, terminating training")
            self.stopped_batch = batch
            self.model.stop_training = True
