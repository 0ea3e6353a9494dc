"""The random augmentation layers: deterministic settings against Keras 3 and numpy,
statistics of the random ones, seeds, inference, and the compiled training step."""

import numpy as np
import pytest

import lamella
from lamella import layers
from lamella.testing import PlainSGD, squared_error

IMAGES = np.random.default_rng(0).uniform(0, 255, size=(3, 8, 10, 2)).astype(np.float32)
SQUARE = np.random.default_rng(1).uniform(0, 255, size=(2, 7, 7, 1)).astype(np.float32)


@pytest.mark.keras_parity
@pytest.mark.parametrize("turn", [0.25, -0.25, 0.5])
def test_quarter_turns_are_exact_rotations_like_keras(keras, turn):
    ours = np.asarray(layers.RandomRotation((turn, turn), interpolation="nearest")(SQUARE))
    np.testing.assert_array_equal(ours, np.rot90(SQUARE, k=int(round(turn * 4)), axes=(1, 2)))
    theirs = keras.layers.RandomRotation((turn, turn), interpolation="nearest")(SQUARE, training=True)
    np.testing.assert_allclose(ours, theirs, atol=1e-3)


@pytest.mark.keras_parity
@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
def test_fixed_translation_matches_keras(keras, fill_mode):
    kwargs = {"height_factor": (0.25, 0.25), "width_factor": (-0.2, -0.2), "fill_mode": fill_mode,
              "interpolation": "nearest", "fill_value": 7.0}
    ours = np.asarray(layers.RandomTranslation(**kwargs)(IMAGES))
    theirs = np.asarray(keras.layers.RandomTranslation(**kwargs)(IMAGES, training=True))
    np.testing.assert_allclose(ours, theirs, atol=1e-3)
    np.testing.assert_array_equal(ours[:, 2:, :8], IMAGES[:, :6, 2:])  # 2 rows down, 2 columns left


@pytest.mark.keras_parity
def test_fixed_zoom_and_brightness_match_keras(keras):
    kwargs = {"height_factor": (0.5, 0.5), "fill_mode": "constant", "interpolation": "nearest"}
    zoomed = np.asarray(layers.RandomZoom(**kwargs)(SQUARE))
    np.testing.assert_allclose(zoomed, keras.layers.RandomZoom(**kwargs)(SQUARE, training=True), atol=1e-3)
    brighter = layers.RandomBrightness((0.1, 0.1))(IMAGES)
    np.testing.assert_allclose(brighter, np.clip(IMAGES + 25.5, 0, 255), rtol=1e-6)
    np.testing.assert_allclose(brighter, keras.layers.RandomBrightness((0.1, 0.1))(IMAGES, training=True), rtol=1e-5)


def test_flip_gives_one_of_the_flips_and_both_happen():
    images = np.random.default_rng(2).uniform(size=(64, 4, 5, 1)).astype(np.float32)
    out = np.asarray(layers.RandomFlip("horizontal", seed=3)(images))
    same = (out == images).all(axis=(1, 2, 3))
    flipped = (out == images[:, :, ::-1]).all(axis=(1, 2, 3))
    assert (same | flipped).all() and 10 < flipped.sum() < 54
    both = np.asarray(layers.RandomFlip(seed=4)(images))
    variants = [images, images[:, ::-1], images[:, :, ::-1], images[:, ::-1, ::-1]]
    assert all(any((b == v[i]).all() for v in variants) for i, b in enumerate(both))


def test_contrast_keeps_the_mean_and_scales_deviations():
    out = np.asarray(layers.RandomContrast(0.5, seed=1, value_range=(-1e9, 1e9))(IMAGES))
    np.testing.assert_allclose(out.mean(axis=(1, 2)), IMAGES.mean(axis=(1, 2)), rtol=1e-4)
    ratio = out.std(axis=(1, 2)) / IMAGES.std(axis=(1, 2))
    assert ((ratio > 0.5 - 1e-4) & (ratio < 1.5 + 1e-4)).all()
    assert np.allclose(ratio[..., 0], ratio[..., 1])  # one factor per image


@pytest.mark.keras_parity
def test_random_crop_windows_and_inference_like_keras(keras):
    crops = np.asarray(layers.RandomCrop(4, 5, seed=2)(IMAGES))
    assert crops.shape == (3, 4, 5, 2)
    for crop, image in zip(crops, IMAGES):
        assert any((crop == image[t:t + 4, l:l + 5]).all() for t in range(5) for l in range(6))
    # At inference: the centre window of the target's aspect ratio, resized, as Keras
    # documents it (Keras 3.15's code passes the images through unchanged instead,
    # which would change the output shape between fit and predict).
    ours = layers.RandomCrop(4, 5)(IMAGES, training=False)
    expected = keras.layers.Resizing(4, 5, crop_to_aspect_ratio=True)(IMAGES)
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("cls, kwargs", [
    (layers.RandomFlip, {}), (layers.RandomRotation, {"factor": 0.2}), (layers.RandomZoom, {"height_factor": 0.3}),
    (layers.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.2}), (layers.RandomContrast, {"factor": 0.4}),
    (layers.RandomBrightness, {"factor": 0.3}),
])
def test_seeds_inference_and_config(cls, kwargs):
    first, second = cls(seed=5, **kwargs), cls(seed=5, **kwargs)
    np.testing.assert_array_equal(first(IMAGES), second(IMAGES))
    assert not np.array_equal(first(IMAGES), IMAGES)
    np.testing.assert_array_equal(first(IMAGES, training=False), IMAGES)
    rebuilt = cls.from_config(first.get_config())
    assert rebuilt.get_config() == first.get_config()
    assert layers.serialize(first)["class_name"] == cls.__name__
    # Inside a model: augmentation in fit only, identity in predict.
    model = lamella.Sequential([lamella.Input((8, 10, 2)), cls(seed=1, **kwargs)])
    np.testing.assert_array_equal(model.predict(IMAGES, verbose=0), IMAGES)


def test_augmentation_runs_in_the_compiled_training_step():
    # A linear head on per-image means: flips and translations with 'wrap' keep them.
    lamella.utils.set_random_seed(0)
    head = layers.Dense(1, kernel_initializer="zeros")
    inputs = lamella.Input((8, 10, 2))
    augmented = layers.RandomTranslation(0.3, 0.3, fill_mode="wrap", interpolation="nearest", seed=0)(
        layers.RandomFlip(seed=0)(inputs))
    pooled = layers.Rescaling(1 / 255)(augmented)
    model = lamella.Model(inputs, head(layers.Flatten()(pooled)))
    model.compile(optimizer=PlainSGD(0.001), loss=squared_error)
    history = model.fit(IMAGES, np.ones((3, 1), np.float32), epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    seeds = [v for v in model.non_trainable_variables if "seed" in v.name]
    assert seeds and int(np.asarray(seeds[0].value)[1]) > 0  # the seed counters advanced in the step


def test_contract_and_errors():
    crop = layers.RandomCrop(2, 3, seed=1)
    assert tuple(crop(lamella.Input((4, 5, 1))).shape) == (None, 2, 3, 1)
    assert layers.deserialize(layers.serialize(crop)).get_config() == crop.get_config()
    with pytest.raises(ValueError, match="mode to be one of"):
        layers.RandomFlip("diagonal")
    with pytest.raises(ValueError, match="fill_mode to be one of"):
        layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="Received: factor='x'"):
        layers.RandomRotation("x")
    with pytest.raises(ValueError, match="within \\[-1.0, 1.0\\]"):
        layers.RandomTranslation(2.0, 0.1)
    with pytest.raises(ValueError, match="RandomContrast expected factor .*Received: factor=1.5"):
        layers.RandomContrast(1.5)
    with pytest.raises(ValueError, match="value_range to be \\(low, high\\)"):
        layers.RandomBrightness(0.1, value_range=(1, 0))
