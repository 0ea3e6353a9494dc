"""ModelParallel: variable layouts from the LayoutMap, checked against the shapes."""

import numpy as np
import pytest

import lamella
from lamella.distribution import DeviceMesh, LayoutMap, ModelParallel


def _variable(path, shape):
    variable = lamella.Variable(np.zeros(shape, np.float32))
    variable.path = path
    return variable


def test_variables_take_the_layout_of_their_path():
    layout_map = LayoutMap(DeviceMesh((1, 1), ["batch", "model"]))
    layout_map["dense.*kernel"] = (None, "model")
    distribution = ModelParallel(layout_map=layout_map, batch_dim_name="batch")
    assert distribution.layout_map is layout_map
    assert distribution.get_variable_layout(_variable("dense/kernel", (3, 4))).axes == (None, "model")
    assert distribution.get_variable_layout(_variable("dense/bias", (4,))).axes == (None,)
    assert distribution.get_data_layout((8, 3)).axes == ("batch", None)
    assert distribution.get_tensor_layout("dense_1/kernel").axes == (None, "model")


def test_layouts_that_do_not_fit_the_variable_are_errors():
    layout_map = LayoutMap(DeviceMesh((1, 1), ["batch", "model"]))
    layout_map["kernel"] = (None, "model")
    distribution = ModelParallel(layout_map=layout_map)
    with pytest.raises(ValueError, match="layout \\(None, 'model'\\) for variable 'dense/kernel' has 2 axes, but the variable has shape \\(3,\\)"):
        distribution.get_variable_layout(_variable("dense/kernel", (3,)))
    with pytest.raises(ValueError, match="ModelParallel expected a LayoutMap"):
        ModelParallel(layout_map={"kernel": (None, "model")})
