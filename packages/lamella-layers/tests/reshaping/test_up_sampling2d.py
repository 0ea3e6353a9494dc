"""``UpSampling2D`` against Keras 3: nearest and the interpolations."""

import numpy as np
import pytest

from lamella import layers
from lamella.testing import check_layer


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic", "lanczos3"])
@pytest.mark.parametrize("size", [2, (3, 2)])
def test_up_sampling2d_matches_keras(twins, random_input, size, interpolation, data_format):
    x = random_input(2, 3, 4, 2)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1).copy()
    twins.compare("UpSampling2D", dict(size=size, interpolation=interpolation, data_format=data_format), x,
                  rtol=1e-5, atol=1e-6)


def test_nearest_repeats_each_pixel():
    x = np.array([[[[1.0], [2.0]], [[3.0], [4.0]]]], np.float32)
    out = np.asarray(layers.UpSampling2D((2, 3))(x))[0, :, :, 0]
    np.testing.assert_array_equal(out, [[1, 1, 1, 2, 2, 2]] * 2 + [[3, 3, 3, 4, 4, 4]] * 2)


def test_bilinear_of_a_constant_image_is_constant():
    out = np.asarray(layers.UpSampling2D(2, interpolation="bilinear")(np.full((1, 3, 3, 2), 7.0, np.float32)))
    np.testing.assert_allclose(out, 7.0, rtol=1e-6)


def test_up_sampling2d_keeps_the_layer_contract():
    check_layer(layers.UpSampling2D, {"size": 2, "interpolation": "bilinear"}, input_shape=(1, 3, 3, 2),
                expected_output_shape=(1, 6, 6, 2), registered_as="UpSampling2D")


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(interpolation="area"), "interpolation='area'"),
    (dict(size=0), "size=0"),
    (dict(size=(2, 2, 2)), "size=(2, 2, 2)"),
])
def test_bad_arguments_raise_quoting_them(kwargs, fragment):
    with pytest.raises(ValueError, match="UpSampling2D") as error:
        layers.UpSampling2D(**kwargs)
    assert fragment in str(error.value)
