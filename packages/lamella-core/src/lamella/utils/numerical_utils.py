"""Label and array helpers: ``to_categorical`` and ``normalize``."""

import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encodes integer class labels into a float32 matrix.

    Args:
        x: array-like of class indices (any shape; a trailing axis of size 1 is
            dropped, as Keras does).
        num_classes: the number of classes; default ``max(x) + 1``.

    Returns:
        A numpy array of shape ``x.shape + (num_classes,)``.

    Example:

    >>> to_categorical([0, 2, 1]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    x = np.asarray(x)
    if x.dtype.kind == "f":
        if not np.all(np.equal(np.mod(x, 1), 0)):
            raise ValueError(
                "to_categorical expects integer class labels. Received non-integer "
                f"values such as {x[np.mod(x, 1) != 0].ravel()[:3].tolist()}"
            )
    elif x.dtype.kind not in "iub":
        raise ValueError(
            f"to_categorical expects integer class labels. Received dtype {x.dtype}"
        )
    x = x.astype(np.int64)
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])
    if x.size and x.min() < 0:
        raise ValueError(
            f"to_categorical expects non-negative labels. Received: {x.min()}"
        )
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    elif x.size and x.max() >= num_classes:
        raise ValueError(
            f"to_categorical received label {int(x.max())}, which is out of range for "
            f"num_classes={num_classes}."
        )
    categorical = np.zeros((x.size, num_classes), dtype=np.float32)
    categorical[np.arange(x.size), x.ravel()] = 1
    return categorical.reshape((*x.shape, num_classes))


def normalize(x, axis=-1, order=2):
    """``x`` divided by its ``order``-norm along ``axis`` (rows of zeros stay zero).

    Returns a numpy array for numpy input (as in Keras 2), a jax array otherwise.
    """
    if isinstance(x, np.ndarray) or isinstance(x, list | tuple):
        x = np.asarray(x, dtype=np.float32 if np.asarray(x).dtype.kind != "f" else None)
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis)
    from lamella.ops.nn import normalize as normalize_tensor

    return normalize_tensor(x, axis=axis, order=order)
