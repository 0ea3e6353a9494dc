import numpy as np
import pytest

from lamella_resnet.shapes import SHAPES, draw_shape, make_dataset


def test_draw_shape_depends_only_on_the_generator_state():
    a = np.asarray(draw_shape("star", np.random.default_rng(3)))
    b = np.asarray(draw_shape("star", np.random.default_rng(3)))
    c = np.asarray(draw_shape("star", np.random.default_rng(4)))
    assert a.shape == (64, 64, 3) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_covers_a_visible_area_in_a_contrasting_colour(shape):
    rng = np.random.default_rng(1)
    for _ in range(5):
        pixels = np.asarray(draw_shape(shape, rng, size=96)).astype(np.float32)
        # The most common colour of the border is the background (or near it).
        border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
        distance = np.linalg.norm(pixels - np.median(border, axis=0), axis=-1)
        covered = (distance > 100).mean()
        assert 0.04 < covered < 0.6, covered


def test_make_dataset_is_balanced_and_labelled_by_index():
    images, labels = make_dataset(60, seed=2, size=32)
    assert images.shape == (60, 32, 32, 3) and labels.dtype == np.int32
    assert np.bincount(labels).tolist() == [10] * len(SHAPES)
    again, again_labels = make_dataset(60, seed=2, size=32)
    np.testing.assert_array_equal(images, again)
    np.testing.assert_array_equal(labels, again_labels)


def test_an_unknown_shape_is_refused():
    with pytest.raises(ValueError, match="Received: shape='oval'"):
        draw_shape("oval", np.random.default_rng(0))
