"""LayoutMap: variable paths to layouts, by exact key or one matching expression."""

import pytest

from lamella.distribution import DeviceMesh, LayoutMap, TensorLayout


@pytest.fixture
def layout_map():
    layout_map = LayoutMap(DeviceMesh((1, 1), ["batch", "model"]))
    layout_map["dense.*kernel"] = (None, "model")
    layout_map["dense.*bias"] = TensorLayout(("model",))
    return layout_map


def test_paths_are_matched_by_regular_expression(layout_map):
    assert layout_map["dense_1/kernel"].axes == (None, "model")
    assert layout_map["dense/bias"].axes == ("model",)
    assert layout_map["dense/bias"].device_mesh is layout_map.device_mesh
    assert layout_map["conv2d/kernel"] is None
    assert len(layout_map) == 2 and list(layout_map) == ["dense.*kernel", "dense.*bias"]


def test_an_exact_key_wins_over_expressions(layout_map):
    layout_map["dense_2/kernel"] = ("model", None)
    assert layout_map["dense_2/kernel"].axes == ("model", None)


def test_two_matching_expressions_are_an_error(layout_map):
    layout_map["kernel"] = (None, None)
    with pytest.raises(ValueError, match="matches several keys of the LayoutMap: \\['dense.\\*kernel', 'kernel'\\]"):
        layout_map["dense/kernel"]
    del layout_map["kernel"]
    assert layout_map["dense/kernel"].axes == (None, "model")


def test_invalid_entries_are_refused(layout_map):
    with pytest.raises(ValueError, match="already has a layout for 'dense.\\*bias'"):
        layout_map["dense.*bias"] = (None,)
    with pytest.raises(ValueError, match="not a valid regular expression"):
        layout_map["dense["] = (None,)
    with pytest.raises(ValueError, match="TensorLayouts or tuples"):
        layout_map["x"] = "model"
    with pytest.raises(ValueError, match="which the mesh does not have"):
        layout_map["y"] = ("data",)
    with pytest.raises(ValueError, match="LayoutMap expected a DeviceMesh"):
        LayoutMap("mesh")
