"""The catalogue of layers: every layer registered through lamella-layers' entry
point, its docstring example runs, and it writes out its shape and config."""

import doctest

import numpy as np
import pytest

from lamella import layers
from lamella.engine.layer import Layer
from lamella.plugins import get_registry

ALL = list(layers.LAYERS)


@pytest.mark.parametrize("cls", ALL, ids=lambda cls: cls.__name__)
def test_each_layer_is_registered_by_lamella_layers(cls):
    entry = get_registry("layers").lookup(cls.__name__)
    assert entry is not None and entry.obj is cls
    assert entry.provider.distribution == "lamella-layers"
    assert layers.get(cls.__name__) is cls


@pytest.mark.parametrize("alias", sorted(layers.ALIASES))
def test_keras_aliases_name_the_same_classes(alias):
    assert getattr(layers, alias) is layers.ALIASES[alias]
    assert layers.get(alias) is layers.ALIASES[alias]


@pytest.mark.parametrize("obj", [*layers.LAYERS, *layers.FUNCTIONS], ids=lambda obj: obj.__name__)
def test_docstring_examples_run(obj):
    if isinstance(obj, type):
        assert "Example:" in obj.__doc__ and "Args:" in obj.__doc__, obj.__name__
    # Examples may use any public name of lamella.layers (wrappers name inner layers).
    globs = {"np": np, **{name: getattr(layers, name) for name in layers.__all__}}
    tests = doctest.DocTestFinder(recurse=False).find(obj, obj.__name__, globs=globs)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    assert runner.failures == 0


@pytest.mark.parametrize("cls", layers.LAYERS, ids=lambda cls: cls.__name__)
def test_each_layer_writes_out_its_output_shape_and_config(cls):
    # RNN cells are called by RNN with (inputs, states), one step at a time, never on
    # a symbolic sequence: their output size is ``output_size``, as in Keras.
    if not cls.__name__.endswith(("Cell", "Cells")):
        assert cls.compute_output_shape is not Layer.compute_output_shape
    assert cls.get_config is not Layer.get_config
