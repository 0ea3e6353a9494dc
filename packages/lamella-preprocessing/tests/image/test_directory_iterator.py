"""flow_from_directory over generated PNGs: classes, subsets, and fit learns from it."""

import jax.numpy as jnp
import numpy as np
import pytest
from PIL import Image

import lamella
from lamella.preprocessing.image import ImageDataGenerator
from lamella.testing import Linear, PlainSGD, squared_error


class Flatten(lamella.Layer):
    # lamella-preprocessing depends on core alone (no lamella-layers in its tests).
    def call(self, x):
        return jnp.reshape(x, (x.shape[0], -1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], int(np.prod(input_shape[1:])))




def test_classes_files_and_labels(image_folder, capsys):
    iterator = ImageDataGenerator().flow_from_directory(image_folder, target_size=(8, 8), batch_size=5,
                                                        shuffle=False, class_mode="sparse")
    assert "Found 24 images belonging to 2 classes." in capsys.readouterr().out
    assert iterator.class_indices == {"bright": 0, "dark": 1}
    assert iterator.samples == 24 and len(iterator) == 5
    assert iterator.filenames[0] == "bright/01.png" and "bright/nested/00.png" in iterator.filenames
    x, y = iterator[0]
    assert x.shape == (5, 8, 8, 3) and x.dtype == np.float32
    np.testing.assert_array_equal(y, [0, 0, 0, 0, 0])
    expected = np.asarray(Image.open(image_folder / iterator.filenames[0]), np.float32)
    np.testing.assert_array_equal(x[0], expected)


@pytest.mark.parametrize("class_mode, check", [
    ("categorical", lambda y: y.shape == (24, 2) and (y.sum(axis=1) == 1).all()),
    ("binary", lambda y: y.shape == (24,) and set(y.tolist()) == {0.0, 1.0}),
    ("input", lambda y: y.shape == (24, 4, 4, 1)),
])
def test_class_modes(image_folder, class_mode, check):
    iterator = ImageDataGenerator().flow_from_directory(
        image_folder, target_size=(4, 4), color_mode="grayscale", class_mode=class_mode, batch_size=24)
    assert check(iterator[0][1])
    only = ImageDataGenerator().flow_from_directory(image_folder, class_mode=None, batch_size=3)
    assert only[0].shape == (3, 256, 256, 3)


def test_validation_split_takes_the_first_files_of_each_class(image_folder):
    datagen = ImageDataGenerator(validation_split=0.25)
    train = datagen.flow_from_directory(image_folder, target_size=(8, 8), subset="training")
    validation = datagen.flow_from_directory(image_folder, target_size=(8, 8), subset="validation")
    assert (train.samples, validation.samples) == (18, 6)
    assert not set(train.filenames) & set(validation.filenames)
    assert np.bincount(validation.classes).tolist() == [3, 3]


def test_errors(image_folder):
    datagen = ImageDataGenerator()
    with pytest.raises(ValueError, match="Invalid class_mode: 'onehot'"):
        datagen.flow_from_directory(image_folder, class_mode="onehot")
    with pytest.raises(ValueError, match="Invalid color mode: 'bgr'"):
        datagen.flow_from_directory(image_folder, color_mode="bgr")
    with pytest.raises(ValueError, match="is not a directory"):
        datagen.flow_from_directory(image_folder / "missing")
    with pytest.raises(ValueError, match="Invalid subset name: 'test'"):
        ImageDataGenerator(validation_split=0.5).flow_from_directory(image_folder, subset="test")


def test_fit_learns_from_flow_from_directory(image_folder):
    datagen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True, rotation_range=15)
    options = {"target_size": (4, 4), "color_mode": "grayscale", "class_mode": "binary"}
    train = datagen.flow_from_directory(image_folder, batch_size=6, seed=0, **options)
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([lamella.Input((4, 4, 1)), Flatten(), Linear(1)])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    history = model.fit(train, epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    plain = ImageDataGenerator(rescale=1 / 255).flow_from_directory(image_folder, shuffle=False, **options)
    predicted = model.predict(plain, verbose=0)[:, 0] > 0.5
    assert (predicted == plain.classes.astype(bool)).mean() == 1.0
