"""``Summary.Value`` protos for TensorBoard's scalar, histogram, image and text
plugins, built from numbers and numpy arrays (no TensorFlow).

Scalars and text are tensors with their plugin's metadata, as TensorFlow 2 writes
them; histograms are ``HistogramProto`` and images PNG-encoded ``Summary.Image``
(the forms TensorBoard converts on load, see ``tensorboard.data_compat``).
"""

import io

import numpy as np
from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.plugins.scalar import metadata as scalar_metadata
from tensorboard.plugins.text import metadata as text_metadata

DEFAULT_BUCKETS = 30


def scalar(tag, value):
    """A scalar summary (float32, as TensorBoard's scalar plugin stores them)."""
    tensor = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_FLOAT, float_val=[float(value)], tensor_shape=tensor_shape_pb2.TensorShapeProto()
    )
    metadata = scalar_metadata.create_summary_metadata(display_name=tag, description="")
    return summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)


def histogram(tag, values, buckets=DEFAULT_BUCKETS):
    """A histogram of ``values`` in ``buckets`` equal-width buckets from min to max.

    An empty array gives an empty histogram; a constant one a single bucket.
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    if values.size == 0:
        proto = summary_pb2.HistogramProto()
    else:
        low, high = float(values.min()), float(values.max())
        if low == high:
            counts, edges = np.array([values.size]), np.array([low, high])
        else:
            counts, edges = np.histogram(values, bins=buckets, range=(low, high))
        proto = summary_pb2.HistogramProto(
            min=low, max=high, num=float(values.size), sum=float(values.sum()),
            sum_squares=float(np.square(values).sum()),
            bucket_limit=[float(e) for e in edges[1:]], bucket=[float(c) for c in counts],
        )
    return summary_pb2.Summary.Value(tag=tag, histo=proto)


def image(tag, pixels):
    """An image summary from a ``(height, width)`` (grey) or ``(height, width, 3)``
    (RGB) uint8 array, encoded as PNG with Pillow."""
    from PIL import Image

    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim not in (2, 3) or (pixels.ndim == 3 and pixels.shape[-1] != 3):
        raise ValueError(
            "An image summary needs a uint8 array of shape (height, width) or "
            f"(height, width, 3). Received: dtype={pixels.dtype}, shape={pixels.shape}"
        )
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="L" if pixels.ndim == 2 else "RGB").save(buffer, format="PNG")
    proto = summary_pb2.Summary.Image(
        height=pixels.shape[0], width=pixels.shape[1], colorspace=1 if pixels.ndim == 2 else 3,
        encoded_image_string=buffer.getvalue(),
    )
    return summary_pb2.Summary.Value(tag=tag, image=proto)


def weights_image(values):
    """A weight array as a grey image: 1-D as one row, 2-D as is (wide side
    horizontal), higher ranks flattened to ``(prod(shape[:-1]), shape[-1])``;
    values scaled so that the smallest is black and the largest white."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 0:
        values = values.reshape(1, 1)
    elif values.ndim == 1:
        values = values.reshape(1, -1)
    elif values.ndim > 2:
        values = values.reshape(-1, values.shape[-1])
    if values.shape[0] > values.shape[1]:
        values = values.T
    low, high = np.nanmin(values), np.nanmax(values)
    scaled = np.zeros_like(values) if high == low else (values - low) / (high - low)
    return np.round(np.nan_to_num(scaled) * 255).astype(np.uint8)


def text(tag, markdown):
    """A text summary (TensorBoard renders it as Markdown)."""
    tensor = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_STRING, string_val=[markdown.encode("utf-8")],
        tensor_shape=tensor_shape_pb2.TensorShapeProto(),
    )
    metadata = text_metadata.create_summary_metadata(display_name=tag, description="")
    return summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)
