"""lamella-callbacks registers its callbacks through its entry point, by class name."""

import importlib.metadata

import lamella
from lamella import callbacks
from lamella.plugins import get_manager, get_registry
from lamella.training.callbacks import Callback


def test_the_entry_point_is_named_after_the_distribution():
    points = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="lamella")}
    assert points["lamella-callbacks"] == "lamella.callbacks._plugin"


def test_callbacks_are_registered_by_lamella_callbacks():
    registry = get_registry("callbacks")
    for cls in callbacks.CALLBACKS:
        entry = registry.lookup(cls.__name__)
        assert entry.obj is cls
        assert entry.provider.distribution == "lamella-callbacks"
    assert "lamella-callbacks" in get_manager().plugins


def test_the_facade_reaches_the_distribution():
    assert lamella.callbacks is callbacks
    assert callbacks.__version__ == importlib.metadata.version("lamella-callbacks")
    assert callbacks.Callback is Callback
