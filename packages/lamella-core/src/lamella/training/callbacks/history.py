"""``History``: the per-epoch logs of ``fit``, returned by it."""

from lamella.training.callbacks.callback import Callback


class History(Callback):
    """Records every epoch's logs.

    Attributes:
        epoch: the epoch indices seen.
        history: ``{name: [value per epoch]}``, e.g. ``history['val_accuracy']``.
    """

    reads_model_per_batch = False

    def __init__(self):
        super().__init__()
        self.epoch = []
        self.history = {}

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
