"""``SwapEMAWeights``: evaluate (and save) with the optimizer's moving averages."""

from lamella.training.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Puts the optimizer's moving averages in the model for evaluation, then swaps back.

    With an optimizer created with ``use_ema=True``, the optimizer keeps an
    exponential moving average of every weight (Polyak averaging). This callback
    assigns those averages to the model's weights in ``on_test_begin`` (the
    validation of ``fit`` and ``evaluate``) and ``on_predict_begin``, and assigns
    the model's own weights back when they end: validation metrics are those of
    the averaged model, and training goes on from its own weights.

    With ``swap_on_epoch=True`` the averages are also in the model from the end of
    each epoch to the start of the next, so that the callbacks after this one in
    the list (``ModelCheckpoint``) see and save them. When ``fit`` ends, the
    weights are the averages either way (``use_ema`` does that).

    The swap moves references to device arrays: no copy, no transfer to the host.
    Before the first training step the averages are still zeros.

    Args:
        swap_on_epoch: also swap at the end and start of epochs.

    Raises:
        ValueError: when the model's optimizer does not have ``use_ema=True``.

    Example:

    >>> # optimizer = lamella.optimizers.SGD(0.01, use_ema=True)
    >>> # model.compile(optimizer=optimizer, loss="mse")
    >>> # model.fit(x, y, validation_split=0.2, callbacks=[SwapEMAWeights()])
    >>> # Checkpoints of the averaged weights:
    >>> # callbacks=[SwapEMAWeights(swap_on_epoch=True), ModelCheckpoint("ema.keras")]
    """

    reads_model_per_batch = False

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = bool(swap_on_epoch)
        # The model's own weights while the averages are assigned in their place.
        self._own_weights = None

    def _optimizer(self):
        optimizer = getattr(self.model, "optimizer", None)
        # A LossScaleOptimizer keeps the averages in the optimizer it wraps.
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if optimizer is None or not getattr(optimizer, "use_ema", False):
            raise ValueError(
                "SwapEMAWeights needs the model's optimizer to keep moving averages: "
                "create it with use_ema=True. Received: "
                + ("no optimizer (compile the model first)." if optimizer is None
                   else f"{type(optimizer).__name__} with use_ema={getattr(optimizer, 'use_ema', None)}.")
            )
        return optimizer

    def _swap_in(self):
        if self._own_weights is not None:
            return
        optimizer = self._optimizer()
        if not optimizer.built:
            optimizer.build(self.model.trainable_variables)
        variables = optimizer._trainable_variables
        self._own_weights = [v.value for v in variables]
        for variable, average in zip(variables, optimizer._averages):
            variable.assign(average.value)

    def _swap_out(self):
        if self._own_weights is None:
            return
        for variable, value in zip(self._optimizer()._trainable_variables, self._own_weights):
            variable.assign(value)
        self._own_weights = None

    def on_train_begin(self, logs=None):
        self._optimizer()  # a clear error before the first epoch, not after it
        self._own_weights = None

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._swap_out()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._swap_in()

    def on_train_end(self, logs=None):
        # fit has just written the averages into the weights (use_ema): they stay.
        self._own_weights = None

    def on_test_begin(self, logs=None):
        self._swap_in()

    def on_test_end(self, logs=None):
        self._swap_out()

    def on_predict_begin(self, logs=None):
        self._swap_in()

    def on_predict_end(self, logs=None):
        self._swap_out()
