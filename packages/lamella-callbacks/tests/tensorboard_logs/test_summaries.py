"""Summary protos for TensorBoard's plugins, checked against numpy and read back
through TensorBoard's own conversion (``data_compat``)."""

import io

import numpy as np
import pytest
from PIL import Image
from tensorboard import data_compat
from tensorboard.util import tensor_util

from lamella.callbacks.tensorboard_logs import summaries


def test_a_scalar_is_a_float_tensor_of_the_scalar_plugin():
    value = summaries.scalar("epoch_loss", 0.25)
    assert value.metadata.plugin_data.plugin_name == "scalars"
    assert tensor_util.make_ndarray(value.tensor).item() == np.float32(0.25)


def test_a_histogram_counts_like_numpy_and_loads_as_tensorboard_buckets():
    values = np.random.default_rng(0).normal(size=1000)
    value = summaries.histogram("w", values, buckets=10)
    counts, edges = np.histogram(values, bins=10)
    np.testing.assert_array_equal(value.histo.bucket, counts)
    np.testing.assert_allclose(value.histo.bucket_limit, edges[1:])
    assert value.histo.num == 1000 and value.histo.min == values.min() and value.histo.max == values.max()
    np.testing.assert_allclose(value.histo.sum, values.sum())
    migrated = data_compat.migrate_value(value)
    buckets = tensor_util.make_ndarray(migrated.tensor)  # rows of (left, right, count)
    assert migrated.metadata.plugin_data.plugin_name == "histograms"
    np.testing.assert_allclose(buckets[:, 2], counts)
    np.testing.assert_allclose(buckets[:, 0], edges[:-1], rtol=1e-6)


def test_a_constant_and_an_empty_histogram():
    constant = summaries.histogram("c", np.full(7, 2.0))
    assert list(constant.histo.bucket) == [7.0] and constant.histo.min == constant.histo.max == 2.0
    assert summaries.histogram("e", np.array([])).histo.num == 0


def test_an_image_is_a_png_that_decodes_to_the_pixels():
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    value = summaries.image("w/image", pixels)
    assert (value.image.height, value.image.width, value.image.colorspace) == (3, 4, 1)
    decoded = np.asarray(Image.open(io.BytesIO(value.image.encoded_image_string)))
    np.testing.assert_array_equal(decoded, pixels)


def test_weights_become_a_min_black_max_white_image():
    kernel = np.array([[0.0, 1.0], [2.0, 4.0], [-4.0, 0.0]])
    pixels = summaries.weights_image(kernel)
    assert pixels.shape == (2, 3)  # the long side horizontal
    np.testing.assert_array_equal(pixels, np.round((kernel.T + 4) / 8 * 255).astype(np.uint8))
    assert summaries.weights_image(np.zeros((3, 3, 2, 5))).shape == (5, 18)
    assert summaries.weights_image(np.ones(4)).tolist() == [[0, 0, 0, 0]]


def test_an_image_needs_uint8_pixels():
    with pytest.raises(ValueError, match="uint8 array of shape"):
        summaries.image("x", np.zeros((2, 2), np.float32))


def test_text_is_a_string_tensor_of_the_text_plugin():
    value = summaries.text("model_summary", "    a | b")
    assert value.metadata.plugin_data.plugin_name == "text"
    assert tensor_util.make_ndarray(value.tensor).item() == b"    a | b"
