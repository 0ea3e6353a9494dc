"""In-memory training data: validated, split, put on the device once.

Inputs ``x``, targets ``y`` and ``sample_weight`` may each be an array, a list of
arrays (several inputs or outputs) or a dict by name. They are flattened into lists
in the model's input and output order, checked for a common number of samples, and
moved to the device in one transfer; batching and shuffling then happen inside the
compiled step (a gather by a permutation), so the host never touches a batch.
"""

import jax
import jax.numpy as jnp
import numpy as np

from lamella.backend import config


def _as_array(x, what):
    if isinstance(x, jax.Array):
        return x
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    try:
        array = np.asarray(x)
    except ValueError:
        raise ValueError(
            f"{what} could not be converted to a numeric array (ragged: its "
            "sequences have different lengths, or mixed types). Pad sequences to one "
            "length (pad_sequences), or feed batches from a generator or PyDataset."
        ) from None
    if array.dtype == object and array.size and isinstance(array.reshape(-1)[0], str | bytes):
        # Text, for the model's host-side layers (host_stage.py); checked there.
        return array.astype(str if isinstance(array.reshape(-1)[0], str) else bytes)
    if array.dtype.kind in "US":
        return array
    if array.dtype == object:
        raise ValueError(
            f"{what} could not be converted to a numeric array (ragged or mixed "
            f"types). Received an object array of shape {array.shape}."
        )
    if array.dtype == np.float64:
        array = array.astype(config.floatx())
    elif array.dtype == np.int64:
        array = array.astype(np.int32)
    return array


def flatten_inputs(model, x):
    """``x`` as a list in the order of the model's inputs."""
    if isinstance(x, dict):
        names = getattr(model, "input_names", None) or []
        if names and sorted(x) == sorted(names):
            return [_as_array(x[n], f"x[{n!r}]") for n in names]
        if names:
            raise ValueError(
                f"Model {model.name!r} has inputs {names}; fit received a dict with keys "
                f"{sorted(x)}."
            )
        return [_as_array(v, f"x[{k!r}]") for k, v in x.items()]
    if isinstance(x, list | tuple):
        return [_as_array(v, f"x[{i}]") for i, v in enumerate(x)]
    return [_as_array(x, "x")]


def flatten_targets(output_names, y, what="y"):
    """``y`` as a list in the order of the model's outputs (``None`` for missing)."""
    count = len(output_names)
    if y is None:
        return [None] * count
    if isinstance(y, dict):
        unknown = sorted(set(y) - set(output_names))
        if unknown:
            raise ValueError(
                f"{what} has keys {unknown} that are not outputs of the model "
                f"{output_names}."
            )
        return [None if y.get(n) is None else _as_array(y[n], f"{what}[{n!r}]") for n in output_names]
    if isinstance(y, list | tuple) and count > 1:
        if len(y) != count:
            raise ValueError(
                f"The model has {count} outputs {output_names}, but {what} is a list of "
                f"{len(y)} arrays."
            )
        return [None if v is None else _as_array(v, f"{what}[{i}]") for i, v in enumerate(y)]
    if count == 1:
        if isinstance(y, list | tuple) and len(y) == 1 and hasattr(y[0], "shape"):
            y = y[0]
        return [_as_array(y, what)]
    raise ValueError(
        f"The model has {count} outputs {output_names}: give {what} as a list of "
        f"{count} arrays or a dict by output name. Received one array."
    )


def num_samples(arrays):
    """The common first dimension of ``arrays``; a clear error when they disagree."""
    sizes = {tuple(a.shape)[0] for a in arrays if a is not None and np.ndim(a) > 0}
    if len(sizes) > 1:
        shapes = [tuple(a.shape) for a in arrays if a is not None]
        raise ValueError(
            "Data cardinality is ambiguous: all arrays must have the same number of "
            f"samples (first dimension). Received arrays of shapes {shapes}."
        )
    if not sizes:
        raise ValueError("No data: the arrays have no samples.")
    return sizes.pop()


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from ``{class: weight}`` and integer or one-hot labels."""
    y = np.asarray(y)
    if y.ndim >= 2 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = y.reshape(y.shape[0], -1)[:, 0] if y.ndim > 1 else y
        labels = np.round(labels).astype(np.int64)
    if labels.ndim > 1:
        raise ValueError(
            "class_weight needs one class per sample; received targets of shape "
            f"{y.shape}."
        )
    weights = np.ones(labels.shape[0], dtype=config.floatx())
    for cls, weight in class_weight.items():
        weights[labels == int(cls)] = weight
    missing = sorted(set(np.unique(labels).tolist()) - {int(c) for c in class_weight})
    if missing:
        raise ValueError(
            f"class_weight has no entry for classes {missing} present in the targets. "
            f"Received: class_weight={class_weight}"
        )
    return weights


class ArrayData:
    """``(x, y, sample_weight)`` lists on the device, with their sample count."""

    def __init__(self, x, y, sample_weight, num):
        self.x = x
        self.y = y
        self.sample_weight = sample_weight
        self.num_samples = num

    @classmethod
    def from_lists(cls, x, y, sample_weight):
        num = num_samples([*x, *y, *sample_weight])
        put = lambda arrays: [None if a is None else jax.device_put(a) for a in arrays]  # noqa: E731
        return cls(put(x), put(y), put(sample_weight), num)

    def as_tree(self):
        return (self.x, self.y, self.sample_weight)


def split_validation(x, y, sample_weight, validation_split):
    """Takes the last ``validation_split`` of the samples for validation (before any
    shuffling, as Keras does)."""
    if not 0 < validation_split < 1:
        raise ValueError(
            "validation_split must be a float in (0, 1). "
            f"Received: validation_split={validation_split}"
        )
    total = num_samples([*x, *y, *sample_weight])
    split = int(total * (1 - validation_split))
    if split == 0 or split == total:
        raise ValueError(
            f"validation_split={validation_split} leaves no samples for "
            f"{'training' if split == 0 else 'validation'} out of {total}."
        )
    head = lambda arrays: [None if a is None else a[:split] for a in arrays]  # noqa: E731
    tail = lambda arrays: [None if a is None else a[split:] for a in arrays]  # noqa: E731
    return (head(x), head(y), head(sample_weight)), (tail(x), tail(y), tail(sample_weight))


def take_batch(data, indices):
    """The rows ``indices`` of every array of ``data`` (inside the compiled step)."""
    # Indices come from a permutation: always in range and unique, so no fill
    # masking is needed (the default mode adds a select per element).
    return jax.tree.map(lambda a: jnp.take(a, indices, axis=0, mode="clip", unique_indices=True), data)
