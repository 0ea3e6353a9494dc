"""``Discretization``: numbers to bucket indices by boundaries (given or adapted)."""

import jax.numpy as jnp
import numpy as np

from lamella.engine.layer import Layer
from lamella.layers.preprocessing import encoding


def _quantile_boundaries(values, num_bins, epsilon):
    """``num_bins - 1`` boundaries between equally filled buckets of ``values``.

    As Keras does it: a summary of the sorted values (every ``len / (1/epsilon)``-th
    value when there are more than ``1/epsilon``, each standing for that many), then
    the values at cumulative weight fractions ``1/num_bins, 2/num_bins, ...``
    interpolated from it.
    """
    values = np.sort(np.asarray(values, np.float64).reshape(-1))
    step = max(len(values) / (1.0 / epsilon), 1)
    summary = values[int(step - 1)::int(step)]
    weights = np.full(len(summary), step)
    if len(summary) / num_bins < 1:
        return summary[:-1]
    fractions = 1.0 / num_bins + np.arange(0.0, 1.0, 1.0 / num_bins)
    cumulative = np.cumsum(weights)
    return np.interp(fractions, cumulative / cumulative[-1], summary)[:-1]


class Discretization(Layer):
    """Replaces each number by the index of its bucket.

    With ``bin_boundaries`` ``[b_0, ..., b_{n-1}]``, values below ``b_0`` go to 0,
    values in ``[b_{i-1}, b_i)`` to ``i``, values from ``b_{n-1}`` up to ``n``.
    ``adapt`` finds ``num_bins - 1`` boundaries at the quantiles of the data
    (approximately, with precision ``epsilon``, as Keras does). Runs on the device.

    Args:
        bin_boundaries: the sorted boundaries, or ``None`` to ``adapt`` them.
        num_bins: the number of buckets to adapt.
        epsilon: the precision of the adapted quantiles.
        output_mode: ``int``, ``one_hot``, ``multi_hot`` or ``count``.

    Input shape:
        Any (at most 2-D for the vector modes).

    Output shape:
        The input's (``int``), or ``(..., number of buckets)``.

    Example:

    >>> Discretization(bin_boundaries=[0.0, 1.0, 2.0])(np.array([[-1.5, 1.0, 3.4, 0.5]])).tolist()
    [[0, 2, 3, 1]]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if bin_boundaries is None and num_bins is None:
            raise ValueError("Discretization needs either bin_boundaries or num_bins (to adapt them).")
        if bin_boundaries is not None and num_bins is not None and len(bin_boundaries) != num_bins - 1:
            # Both only as an adapted layer's config has them: num_bins - 1 boundaries.
            raise ValueError("Discretization takes bin_boundaries or num_bins, not both. "
                             f"Received: bin_boundaries={bin_boundaries!r}, num_bins={num_bins!r}")
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins < 1):
            raise ValueError(f"Discretization expected a positive integer for num_bins. Received: num_bins={num_bins!r}")
        if bin_boundaries is not None and list(bin_boundaries) != sorted(bin_boundaries):
            raise ValueError(f"Discretization expected sorted bin_boundaries. Received: bin_boundaries={bin_boundaries!r}")
        encoding.check_output_mode("Discretization", output_mode, ("int", "one_hot", "multi_hot", "count"))
        if sparse:
            raise ValueError("Discretization: lamella tensors are dense. Received: sparse=True")
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def adapt(self, data, batch_size=None, steps=None):
        """Sets the boundaries at the quantiles of ``data`` (an array or batches)."""
        if self.num_bins is None:
            raise ValueError("Discretization was given bin_boundaries: there is nothing to adapt.")
        from lamella.layers.preprocessing.index_lookup import _batches

        values = np.concatenate([np.asarray(b, np.float64).reshape(-1) for b in _batches(data, steps)])
        self.bin_boundaries = [float(b) for b in _quantile_boundaries(values, self.num_bins, self.epsilon)]

    def _depth(self):
        return (len(self.bin_boundaries) + 1) if self.bin_boundaries is not None else self.num_bins

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(f"Discretization '{self.name}' has no bin_boundaries yet: call adapt(data) first.")
        boundaries = jnp.asarray(self.bin_boundaries, dtype=inputs.dtype if jnp.issubdtype(inputs.dtype, jnp.floating) else jnp.float32)
        ids = jnp.searchsorted(boundaries, inputs, side="right").astype(jnp.int32)
        if self.output_mode == "int":
            return ids
        return encoding.encode_ids(ids, self.output_mode, self._depth(), jnp.float32, xp=jnp)

    def compute_output_shape(self, input_shape):
        return encoding.encoded_shape(input_shape, self.output_mode, self._depth())

    def get_config(self):
        return {**super().get_config(), "bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode, "sparse": False}
