"""lamella.utils' image functions without Pillow: a clear message naming what to
install (with Pillow, lamella-preprocessing's tests check their values)."""

import sys

import numpy as np
import pytest

from lamella import utils


@pytest.mark.parametrize("call", [
    lambda: utils.load_img("any.png"),
    lambda: utils.array_to_img(np.zeros((2, 2, 3))),
])
def test_without_pillow_the_error_names_the_distribution(monkeypatch, call):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="needs Pillow.*pip install lamella-preprocessing"):
        call()


def test_img_to_array_needs_no_pillow():
    x = utils.img_to_array(np.arange(6, dtype=np.uint8).reshape(2, 3))
    assert x.shape == (2, 3, 1) and x.dtype == np.float32
    assert utils.img_to_array(np.zeros((2, 3, 4)), data_format="channels_first").shape == (4, 2, 3)
    with pytest.raises(ValueError, match=r"Unsupported image shape: \(2,\)"):
        utils.img_to_array(np.zeros(2))
    with pytest.raises(ValueError, match="Received: data_format='nhwc'"):
        utils.img_to_array(np.zeros((2, 2)), data_format="nhwc")
