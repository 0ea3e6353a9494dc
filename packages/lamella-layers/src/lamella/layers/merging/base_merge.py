"""``Merge``: the base of layers that combine a list of tensors elementwise."""

import jax.numpy as jnp

from lamella.engine.layer import Layer


def check_list_of_shapes(layer, input_shape, exactly=None):
    """Raises unless ``input_shape`` is a list of shapes (of ``exactly`` items)."""
    is_list = isinstance(input_shape, list | tuple) and input_shape and all(
        isinstance(s, list | tuple) for s in input_shape
    )
    if not is_list:
        raise ValueError(
            f"A {type(layer).__name__} layer should be called on a list of inputs. "
            f"Received: input_shape={input_shape}"
        )
    if exactly is not None and len(input_shape) != exactly:
        raise ValueError(
            f"A {type(layer).__name__} layer should be called on exactly {exactly} "
            f"inputs. Received: {len(input_shape)} inputs with shapes "
            f"{[tuple(s) for s in input_shape]}"
        )


class Merge(Layer):
    """Combines a list of tensors of broadcast-compatible shapes into one.

    Shapes are aligned on their last axes, as numpy broadcasting does but with the
    batch axis kept first: an input of lower rank gets size-1 axes inserted after
    its batch axis, and sizes must match or be 1. The batch sizes must agree.
    Subclasses define ``_merge_function(inputs)``.

    Args:
        **kwargs: base layer arguments.
    """

    # Set by subclasses that take exactly this many inputs.
    num_inputs = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError(f"{type(self).__name__} must define _merge_function.")

    def _broadcast_shape(self, shape1, shape2, shapes):
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        out = list(shape1[: len(shape1) - len(shape2)])
        for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): inputs have "
                    f"incompatible shapes. Received shapes {shapes}"
                )
        return tuple(out)

    def compute_output_shape(self, input_shape):
        check_list_of_shapes(self, input_shape, self.num_inputs)
        shapes = [tuple(s) for s in input_shape]
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) cannot merge tensors with "
                f"different batch sizes. Received shapes {shapes}"
            )
        output = shapes[0][1:]
        for shape in shapes[1:]:
            output = self._broadcast_shape(output, shape[1:], shapes)
        batch = next(iter(batch_sizes)) if batch_sizes else None
        return (batch, *output)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        rank = max(x.ndim for x in inputs)
        # Lower-rank inputs broadcast from the right, after their batch axis.
        inputs = [
            x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in inputs
        ]
        return self._merge_function(inputs)

    def compute_mask(self, inputs, mask=None):
        """A position is kept when every input's mask keeps it."""
        if mask is None or all(m is None for m in mask):
            return None
        masks = [jnp.asarray(m, bool) for m in mask if m is not None]
        result = masks[0]
        for m in masks[1:]:
            result = jnp.logical_and(result, m)
        return result

    def get_config(self):
        # Merge layers have no hyper-parameters of their own.
        return super().get_config()
