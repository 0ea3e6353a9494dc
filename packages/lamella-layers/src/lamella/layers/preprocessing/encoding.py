"""Integer ids to one-hot, multi-hot, count and tf-idf vectors (numpy or jax)."""

import numpy as np

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def check_output_mode(layer_name, output_mode, allowed=OUTPUT_MODES):
    if output_mode not in allowed:
        raise ValueError(
            f"{layer_name} expected output_mode to be one of {allowed}. Received: output_mode={output_mode!r}"
        )


def encode_ids(ids, output_mode, depth, dtype, count_weights=None, idf_weights=None, xp=np):
    """Vectors of ``depth`` entries for the ids of each sample (the last axis).

    ``one_hot`` encodes every id (a last axis of size 1 is replaced by the
    encoding); ``multi_hot``, ``count`` and ``tf_idf`` encode each sample (the last
    axis) in one vector: presence, (weighted) counts, counts times ``idf_weights``.
    Ids outside ``[0, depth)`` (the dropped mask token, -1) count for nothing.
    """
    if ids.ndim == 0:
        ids = ids[None]
    if output_mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = ids[..., 0]
        return (ids[..., None] == xp.arange(depth)).astype(dtype)
    if ids.ndim > 2:
        raise ValueError(
            f"With output_mode={output_mode!r}, inputs have at most 2 dimensions (samples of ids). "
            f"Received shape {tuple(ids.shape)}"
        )
    hits = (ids[..., None] == xp.arange(depth)).astype(dtype)
    if count_weights is not None and output_mode != "multi_hot":
        hits = hits * xp.asarray(count_weights, dtype)[..., None]
    counts = hits.sum(axis=-2)
    if output_mode == "multi_hot":
        return (counts > 0).astype(dtype)
    if output_mode == "tf_idf":
        return counts * xp.asarray(idf_weights, dtype)
    return counts


def encoded_shape(input_shape, output_mode, depth):
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot" and input_shape[-1] != 1:
        return (*input_shape, depth)
    return (*input_shape[:-1], depth)
