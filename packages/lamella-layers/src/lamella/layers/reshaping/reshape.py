"""``Reshape``: gives each sample a new shape."""

import math
import numbers

from lamella.engine.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (the batch axis is kept).

    One entry of ``target_shape`` may be ``-1``: it is inferred so that the number
    of elements per sample does not change.

    Args:
        target_shape: a tuple of positive ints, at most one of them ``-1``.
        **kwargs: base layer arguments.

    Input shape:
        ``(batch_size, ...)``, any shape whose sample size matches.

    Output shape:
        ``(batch_size, *target_shape)``.

    Example:

    >>> Reshape((2, -1))(np.zeros((4, 3, 4))).shape
    (4, 2, 6)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target = tuple(target_shape)
        except TypeError:
            target = None
        valid = target is not None and not isinstance(target_shape, str) and all(
            isinstance(d, numbers.Integral) and not isinstance(d, bool) and (d > 0 or d == -1)
            for d in target
        )
        if not valid or (target is not None and list(target).count(-1) > 1):
            raise ValueError(
                "Reshape expected target_shape to be a tuple of positive integers, with "
                f"at most one -1. Received: target_shape={target_shape!r}"
            )
        self.target_shape = tuple(int(d) for d in target)
        self.built = True

    def _resolve(self, input_shape):
        """The output's sample shape (``-1`` resolved when the input size is known)."""
        sample = tuple(input_shape)[1:]
        if any(d is None for d in sample):
            return tuple(None if d == -1 else d for d in self.target_shape)
        size = math.prod(sample)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if size % known:
                raise ValueError(self._mismatch(input_shape))
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if size != known:
            raise ValueError(self._mismatch(input_shape))
        return self.target_shape

    def _mismatch(self, input_shape):
        return (
            f"Layer '{self.name}' cannot reshape samples of shape {tuple(input_shape)[1:]} "
            f"to target_shape={self.target_shape}: the number of elements must not "
            "change."
        )

    def compute_output_shape(self, input_shape):
        return (tuple(input_shape)[0], *self._resolve(input_shape))

    def call(self, inputs):
        return inputs.reshape(inputs.shape[0], *self._resolve(inputs.shape))

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
