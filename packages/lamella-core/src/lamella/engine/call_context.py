"""The context of a layer call: the ``training`` flag as it flows to sublayers.

When a model is called with ``training=True`` every layer inside receives
``training=True`` unless its own call passes another value, as in Keras.

It also says whether the host stage already ran: the training engine applies
host-side layers (those working on strings, which XLA cannot hold) in its input
pipeline, and inside its compiled steps those layers pass their (already
preprocessed) inputs through.
"""

import contextlib
import threading

_local = threading.local()


def current_training():
    return getattr(_local, "training", None)


@contextlib.contextmanager
def training_context(training):
    previous = getattr(_local, "training", None)
    _local.training = training
    try:
        yield
    finally:
        _local.training = previous


def host_stage_done():
    return getattr(_local, "host_stage_done", False)


@contextlib.contextmanager
def host_stage_done_context():
    previous = getattr(_local, "host_stage_done", False)
    _local.host_stage_done = True
    try:
        yield
    finally:
        _local.host_stage_done = previous
