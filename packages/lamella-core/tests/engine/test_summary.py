"""model.summary(): layers, shapes, connections and parameter counts."""

import numpy as np

import lamella
from lamella.testing import Linear, PlainSGD, squared_error


def _summary(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return lines[0]


def _nested():
    inner_in = lamella.Input((3,), name="inner_in")
    inner = lamella.Model(inner_in, Linear(4, name="inner_dense")(inner_in), name="inner")
    x = lamella.Input((3,), name="x")
    frozen = Linear(2, name="frozen")
    frozen_out = frozen(inner(x))
    frozen.trainable = False
    return lamella.Model(x, frozen_out, name="outer"), inner


def test_nested_model_counts_trainable_and_frozen_weights():
    model, _ = _nested()
    text = _summary(model, expand_nested=True, show_trainable=True)
    assert "inner (Functional)" in text and "  inner_dense (Linear)" in text
    assert "inner[0][0]" in text  # the frozen layer's connection
    assert "Total params: 26 (104.00 B)" in text  # 3*4+4 + 4*2+2
    assert "Trainable params: 16 (64.00 B)" in text
    assert "Non-trainable params: 10 (40.00 B)" in text


def test_optimizer_state_is_never_counted(rng):
    model, _ = _nested()
    before = _summary(model)
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    model.fit(rng.normal(size=(8, 3)).astype(np.float32), np.zeros((8, 2), np.float32),
              epochs=1, verbose=0)
    assert _summary(model).splitlines()[-4:] == before.splitlines()[-4:]


def test_subclassed_model_summary_after_build_shows_shapes():
    class TwoLayers(lamella.Model):
        def __init__(self):
            super().__init__()
            self.hidden = Linear(8)
            self.head = Linear(1)

        def call(self, x):
            return self.head(self.hidden(x))

    model = TwoLayers()
    assert "not built" in _summary(model)
    model(np.ones((2, 5), np.float32))
    text = _summary(model)
    rows = [line for line in text.splitlines() if "(Linear)" in line]
    assert "(None, 8)" in rows[0] and "48" in rows[0]
    assert "(None, 1)" in rows[1] and "9" in rows[1]
    assert "Total params: 57" in text
