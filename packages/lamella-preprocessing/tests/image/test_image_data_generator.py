"""ImageDataGenerator: standardization, augmentations reproducible with a seed and
keeping labels aligned, fit statistics, validation_split, and its errors."""

import numpy as np
import pytest

from lamella.preprocessing.image import ImageDataGenerator


def _labelled_images(n=12, size=8):
    # Image i is constant with value 10 * label: any geometric transform with
    # fill_mode='nearest' keeps it, so a batch's labels can be read off its images.
    labels = np.arange(n) % 4
    x = np.ones((n, size, size, 3), np.float32) * (10 * labels)[:, None, None, None]
    return x, labels


AUGMENTING = dict(rotation_range=30, width_shift_range=0.2, height_shift_range=0.2, shear_range=10,
                  zoom_range=0.2, horizontal_flip=True, vertical_flip=True, fill_mode="nearest")


def test_flow_keeps_labels_aligned_with_their_images():
    x, labels = _labelled_images()
    iterator = ImageDataGenerator(**AUGMENTING, rescale=0.5).flow(x, labels, batch_size=5, seed=3)
    assert len(iterator) == 3
    seen = []
    for index in range(len(iterator)):
        batch_x, batch_y = iterator[index]
        np.testing.assert_allclose(batch_x.mean(axis=(1, 2, 3)), 5 * batch_y, rtol=1e-5)
        seen.extend(batch_y.tolist())
    assert sorted(seen) == sorted(labels.tolist())  # one epoch visits every sample once
    assert iterator[2][0].shape == (2, 8, 8, 3)


def test_augmentations_repeat_with_a_seed_and_differ_without():
    x = np.random.default_rng(0).uniform(0, 255, (6, 10, 10, 3)).astype(np.float32)
    datagen = ImageDataGenerator(**AUGMENTING, channel_shift_range=20, brightness_range=(0.5, 1.5))
    first = datagen.flow(x, batch_size=3, seed=11)
    second = datagen.flow(x, batch_size=3, seed=11)
    for _ in range(3):
        np.testing.assert_array_equal(next(first), next(second))
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(datagen.flow(x, batch_size=3, seed=12)[0], datagen.flow(x, batch_size=3, seed=11)[0])
    np.testing.assert_array_equal(datagen.random_transform(x[0], seed=4), datagen.random_transform(x[0], seed=4))


def test_no_augmentation_and_no_shuffle_is_the_data():
    x, labels = _labelled_images()
    batch_x, batch_y, weights = ImageDataGenerator().flow(x, labels, sample_weight=labels * 2.0, batch_size=12,
                                                          shuffle=False)[0]
    np.testing.assert_array_equal(batch_x, x)
    np.testing.assert_array_equal(weights, labels * 2.0)


def test_transform_parameters_and_their_application():
    datagen = ImageDataGenerator(horizontal_flip=True, data_format="channels_last")
    x = np.arange(2 * 3 * 1, dtype=np.float32).reshape(2, 3, 1)
    flipped = datagen.apply_transform(x, {"flip_horizontal": True})
    np.testing.assert_array_equal(flipped[:, :, 0], x[:, ::-1, 0])
    params = ImageDataGenerator(width_shift_range=[2, 3], height_shift_range=0.5).get_random_transform((10, 20, 3), seed=0)
    assert abs(params["ty"]) in (2, 3) and abs(params["tx"]) <= 5
    assert set(params) == {"theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical",
                           "channel_shift_intensity", "brightness"}


def test_samplewise_and_featurewise_standardization():
    rng = np.random.default_rng(1)
    x = rng.normal(5, 3, (20, 4, 4, 3)).astype(np.float32)
    sample = ImageDataGenerator(samplewise_center=True, samplewise_std_normalization=True).standardize(x[0].copy())
    np.testing.assert_allclose([sample.mean(), sample.std()], [0, 1], atol=1e-4)
    datagen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    datagen.fit(x)
    np.testing.assert_allclose(datagen.mean.reshape(-1), x.mean(axis=(0, 1, 2)), rtol=1e-5)
    np.testing.assert_allclose(datagen.std.reshape(-1), x.std(axis=(0, 1, 2)), rtol=1e-4)
    out = np.stack([datagen.standardize(image.copy()) for image in x])
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, atol=1e-3)
    with pytest.warns(UserWarning, match="hasn't been fit on any training data"):
        ImageDataGenerator(featurewise_center=True).standardize(x[0])


def test_zca_whitening_decorrelates_the_pixels():
    rng = np.random.default_rng(2)
    base = rng.normal(size=(200, 2, 2, 1)).astype(np.float32)
    x = base + 0.8 * base[:, ::-1, ::-1]  # correlated pixels
    with pytest.warns(UserWarning, match="overrides setting of featurewise_center"):
        datagen = ImageDataGenerator(zca_whitening=True, zca_epsilon=1e-8)
    datagen.fit(x)
    white = np.stack([datagen.standardize(image) for image in x]).reshape(200, -1)
    # ZCA whitens the second moments of the (channel-)centred data, as Keras 2 does.
    np.testing.assert_allclose(white.T @ white / len(white), np.eye(4), atol=1e-4)


def test_validation_split_subsets():
    x, labels = _labelled_images(n=20)
    datagen = ImageDataGenerator(validation_split=0.2)
    assert datagen.flow(x, labels, subset="training").n == 16
    assert datagen.flow(x, labels, subset="validation").n == 4
    with pytest.raises(ValueError, match="different number of classes after the split"):
        datagen.flow(x, np.sort(labels), subset="validation")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"zoom_range": (0.5, 1, 2)}, "zoom_range should be a float or a tuple or list of two floats"),
        ({"brightness_range": 0.5}, "brightness_range should be a tuple or list of two floats"),
        ({"validation_split": 1.0}, "validation_split must be strictly between 0 and 1"),
        ({"data_format": "nhwc"}, "data_format should be 'channels_last'"),
        ({"fill_mode": "mirror"}, "fill_mode must be one of"),
        ({"rotation_range": "30"}, "expected a number for rotation_range"),
    ],
)
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ImageDataGenerator(**kwargs)


def test_flow_errors():
    datagen = ImageDataGenerator()
    with pytest.raises(ValueError, match="should have rank 4"):
        datagen.flow(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match="should have the same length"):
        datagen.flow(np.zeros((3, 4, 4, 1)), np.zeros(2))
    with pytest.raises(ValueError, match="Asked to retrieve element 5, but the Sequence has length 1"):
        datagen.flow(np.zeros((3, 4, 4, 1)))[5]
    with pytest.raises(ValueError, match="Input to .fit\\(\\) should have rank 4"):
        datagen.fit(np.zeros((3, 4)))
