"""``InputSpec``: what a layer accepts, checked on every call.

The check runs on symbolic tensors while a model is assembled and on arrays (or
tracers) when it runs, so a model built for 784 features fed 100 fails at once with
both shapes and the layer's name, not deep inside a matrix product.
"""


class InputSpec:
    """Constraints on one input of a layer.

    Args:
        dtype: the expected dtype.
        shape: the expected shape (``None`` entries match anything).
        ndim: the exact rank.
        max_ndim: the largest rank.
        min_ndim: the smallest rank.
        axes: ``{axis: size}`` for axes that must have a given size.
        allow_last_axis_squeeze: accept an input whose last axis of size 1 is missing
            or extra.
        name: the input's name, for functional models with named inputs.
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
    ):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        if self.axes and self.ndim is None and self.min_ndim is not None:
            largest = max(self.axes)
            if largest >= 0 and largest >= self.min_ndim:
                raise ValueError(
                    f"Axis {largest} is greater than the minimum rank {self.min_ndim}."
                )

    def __repr__(self):
        fields = {
            k: v
            for k, v in (
                ("dtype", self.dtype), ("shape", self.shape), ("ndim", self.ndim),
                ("max_ndim", self.max_ndim), ("min_ndim", self.min_ndim),
                ("axes", self.axes or None),
            )
            if v is not None
        }
        return "InputSpec(" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")"

    def get_config(self):
        return {
            "dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
            "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises ``ValueError`` naming the layer when ``inputs`` break ``input_spec``."""
    if not input_spec:
        return
    specs = input_spec if isinstance(input_spec, list | tuple) else [input_spec]
    flat = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
    if isinstance(inputs, dict):
        flat = list(inputs.values())
    if len(specs) != len(flat):
        raise ValueError(
            f"Layer '{layer_name}' expects {len(specs)} input(s), but it received "
            f"{len(flat)} input tensors."
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None:
            continue
        shape = getattr(x, "shape", None)
        if shape is None:
            continue
        shape = tuple(shape)
        rank = len(shape)
        prefix = f"Input {index} of layer '{layer_name}' is incompatible with the layer:"
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
            raise ValueError(
                f"{prefix} expected ndim={spec.ndim}, found ndim={rank}. "
                f"Full shape received: {shape}"
            )
        if spec.max_ndim is not None and rank > spec.max_ndim:
            raise ValueError(
                f"{prefix} expected max_ndim={spec.max_ndim}, found ndim={rank}. "
                f"Full shape received: {shape}"
            )
        if spec.min_ndim is not None and rank < spec.min_ndim:
            raise ValueError(
                f"{prefix} expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                f"Full shape received: {shape}"
            )
        for axis, size in spec.axes.items():
            if size is None:
                continue
            if axis >= rank or axis < -rank:
                raise ValueError(
                    f"{prefix} expected axis {axis} of the input to have size {size}, "
                    f"but the input has only {rank} axes. Full shape received: {shape}"
                )
            if shape[axis] is not None and shape[axis] != size:
                raise ValueError(
                    f"{prefix} expected axis {axis} of input shape to have value "
                    f"{size}, but received input with shape {shape}"
                )
        if spec.shape is not None and not spec.allow_last_axis_squeeze:
            for expected, actual in zip(spec.shape, shape):
                if expected is not None and actual is not None and expected != actual:
                    raise ValueError(
                        f"{prefix} expected shape={spec.shape}, found shape={shape}"
                    )
