"""The progress bar: live on a terminal, one line per epoch otherwise."""

import io
import re

from lamella.training.progbar import Progbar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_non_terminal_prints_only_the_final_line():
    stream = io.StringIO()
    bar = Progbar(10, stream=stream, interval=0)
    for step in range(1, 10):
        bar.update(step, {"loss": 1.0 / step})
    assert stream.getvalue() == ""
    bar.update(10, {"loss": 0.1, "accuracy": 0.9})
    line = stream.getvalue()
    assert re.fullmatch(r"10/10 - 0s - \d+us/step - loss: 0\.1000 - accuracy: 0\.9000\n", line)


def test_terminal_redraws_in_place():
    stream = Terminal()
    bar = Progbar(4, stream=stream, interval=0)
    bar.update(2, {"loss": 0.5})
    assert stream.getvalue().startswith("\r2/4 [==============>...............]")
    assert "ETA" in stream.getvalue()
    bar.update(4, {"loss": 0.25})
    assert stream.getvalue().endswith("- loss: 0.2500\n")


def test_verbose_two_prints_one_line():
    stream = Terminal()
    bar = Progbar(3, stream=stream, verbose=2, interval=0, prefix="Epoch 2/5 - ")
    bar.update(1)
    bar.update(3, {"loss": 2.0})
    assert re.fullmatch(r"Epoch 2/5 - 3/3 - 0s - \d+us/step - loss: 2\.0000\n", stream.getvalue())


def test_verbose_zero_prints_nothing():
    stream = Terminal()
    bar = Progbar(3, stream=stream, verbose=0, interval=0)
    bar.update(1, {"loss": 1.0})
    bar.update(3, {"loss": 2.0})
    assert stream.getvalue() == ""


def test_small_and_large_values_use_scientific_notation():
    stream = io.StringIO()
    Progbar(1, stream=stream).update(1, {"loss": 2.5e-5, "count": 123456.0, "zero": 0.0})
    assert "- loss: 2.5000e-05 - count: 1.2346e+05 - zero: 0.0000" in stream.getvalue()


def test_the_speed_leaves_out_the_time_before_the_first_update(monkeypatch):
    now = [0.0]
    monkeypatch.setattr("lamella.training.progbar.time.monotonic", lambda: now[0])
    stream = Terminal()
    bar = Progbar(11, stream=stream, interval=0)
    now[0] = 5.0  # 5 s to the first step (compiling)
    bar.update(1)
    now[0] = 5.2
    bar.update(11, finalize=True)  # 10 more steps in 0.2 s
    assert stream.getvalue().rstrip().endswith("- 5s 20ms/step")


def test_unknown_target_counts_steps():
    stream = Terminal()
    bar = Progbar(None, stream=stream, interval=0)
    bar.update(7, {"loss": 1.0})
    assert stream.getvalue().startswith("\r7/Unknown - loss: 1.0000")
