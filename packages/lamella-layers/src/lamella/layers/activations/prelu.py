"""``PReLU``: a leaky ReLU whose negative slopes are learned."""

import jax.numpy as jnp

from lamella import constraints, initializers, regularizers
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class PReLU(Layer):
    """Parametric ReLU: ``f(x) = x`` for ``x >= 0`` and ``alpha * x`` otherwise,
    with ``alpha`` a learned weight of the input's sample shape.

    ``shared_axes`` share one slope along those axes: with inputs ``(batch, rows,
    cols, channels)``, ``shared_axes=[1, 2]`` learns one slope per channel.

    Args:
        alpha_initializer: initializer of the slopes (default ``'zeros'``: a ReLU).
        alpha_regularizer: regularizer of the slopes.
        alpha_constraint: constraint of the slopes.
        shared_axes: an int or a list of axes (1-based: the batch is axis 0) along
            which the slopes are shared.
        **kwargs: base layer arguments.

    Input shape:
        Any.

    Output shape:
        The input's.

    Example:

    >>> PReLU(alpha_initializer="ones")(np.array([[-2.0, 3.0]])).tolist()
    [[-2.0, 3.0]]
    """

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = arguments.axis_list("PReLU", "shared_axes", shared_axes)
            self.shared_axes = (axes,) if isinstance(axes, int) else axes
        self.supports_masking = True

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        shape = list(input_shape[1:])
        if self.shared_axes is not None:
            for axis in self.shared_axes:
                if not 1 <= axis < len(input_shape):
                    raise ValueError(
                        f"Layer '{self.name}': shared_axes={self.shared_axes} must name "
                        f"axes 1..{len(input_shape) - 1}. Received: input_shape={input_shape}"
                    )
                shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(
                f"Layer '{self.name}' needs known sizes on the axes that are not shared. "
                f"Received: input_shape={input_shape}, shared_axes={self.shared_axes}"
            )
        self.alpha = self.add_weight(
            name="alpha", shape=tuple(shape), initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer, constraint=self.alpha_constraint,
        )
        axes = {i: input_shape[i] for i in range(1, len(input_shape)) if shape[i - 1] != 1}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        return jnp.where(inputs >= 0, inputs, inputs * self.alpha.value)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes,
            }
        )
        return config
