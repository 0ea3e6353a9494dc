"""``HostLayer``: the base of preprocessing layers that run on the host, in numpy.

Lookups by vocabulary and string processing have no XLA form (XLA has no strings
and no hash tables), so these layers compute with numpy. Called on data they
return arrays; inside a model they run in the training engine's input pipeline,
before the compiled step (``lamella.training.host_stage``), and must come first:
at the start of a ``Sequential``, or on a model ``Input``.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamella.engine import call_context
from lamella.engine.layer import Layer


class HostLayer(Layer):
    """A layer computed by ``host_apply(numpy array) -> numpy array``."""

    runs_on_host = True

    def _convert_inputs(self, inputs):
        if isinstance(inputs, jax.core.Tracer):
            return inputs
        # Strings stay numpy; numbers come back from the device once, here.
        return inputs if isinstance(inputs, np.ndarray) else np.asarray(inputs)

    def call(self, inputs):
        if call_context.host_stage_done():
            # Inside a compiled step: the input pipeline already applied this layer.
            return inputs
        if isinstance(inputs, jax.core.Tracer):
            raise ValueError(
                f"{type(self).__name__} '{self.name}' runs on the host (numpy): it cannot be "
                "called inside jax.jit or another trace. Apply it to the data, or put it first "
                "in a model, where fit/predict run it in the input pipeline."
            )
        outputs = self.host_apply(inputs)
        if outputs.dtype.kind in "USO":
            return outputs  # strings (StringLookup(invert=True)) stay on the host
        return jnp.asarray(outputs)

    def host_apply(self, inputs):
        raise NotImplementedError(f"{type(self).__name__} must define host_apply(inputs).")
