"""lamella-applications registers through its entry point like any plugin."""

import importlib.metadata

import lamella
from lamella import applications
from lamella.plugins import get_registry


def test_preprocess_input_is_registered_by_lamella_applications():
    entry = get_registry("preprocessors").lookup("imagenet_preprocess_input")
    assert entry.obj is applications.imagenet_utils.preprocess_input
    assert entry.provider.distribution == "lamella-applications"


def test_the_facade_reaches_the_distribution():
    assert lamella.applications is applications
    assert applications.__version__ == importlib.metadata.version("lamella-applications")


def test_the_resnet_builders_are_registered_by_name():
    registry = get_registry("applications")
    for name in ("ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2", "ResNet152V2"):
        entry = registry.lookup(name)
        assert entry.obj is getattr(applications, name)
        assert entry.provider.distribution == "lamella-applications"
