"""``BaseCropping``: removes rows/columns/steps at both ends of spatial axes."""

from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers.utils import arguments


class BaseCropping(Layer):
    """Crops ``cropping[i] = (before, after)`` positions off spatial axis ``i``.

    Args:
        rank: the number of spatial axes.
        cropping: an int, or per axis an int (symmetric) or a ``(before, after)``
            pair (for one axis, a pair).
        data_format: ``'channels_last'`` or ``'channels_first'`` (``None`` for the
            1D layer, whose inputs are always ``(batch, steps, features)``).
        **kwargs: base layer arguments.
    """

    def __init__(self, rank, cropping, data_format=None, has_data_format=True, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.cropping = arguments.int_pairs(cls, "cropping", cropping, rank)
        if not has_data_format and data_format is not None:
            raise TypeError(
                f"{type(self).__name__} takes no data_format argument: its inputs are "
                f"(batch, steps, features). Received: data_format={data_format!r}"
            )
        self._has_data_format = has_data_format
        self.data_format = arguments.data_format(cls, data_format) if has_data_format else "channels_last"
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def _first_spatial_axis(self):
        return 1 if self.data_format == "channels_last" else 2

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = self._first_spatial_axis()
        for d, (before, after) in enumerate(self.cropping):
            size = shape[first + d]
            if size is None:
                continue
            if before + after >= size:
                raise ValueError(
                    f"Layer '{self.name}': cropping={self.cropping} removes every position "
                    f"of axis {first + d}, of size {size}. Received: input_shape="
                    f"{tuple(input_shape)}"
                )
            shape[first + d] = size - before - after
        return tuple(shape)

    def call(self, inputs):
        self.compute_output_shape(inputs.shape)
        index = [slice(None)] * inputs.ndim
        first = self._first_spatial_axis()
        for d, (before, after) in enumerate(self.cropping):
            index[first + d] = slice(before, inputs.shape[first + d] - after)
        return inputs[tuple(index)]

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping[0] if self.rank == 1 else self.cropping
        if self._has_data_format:
            config["data_format"] = self.data_format
        return config
