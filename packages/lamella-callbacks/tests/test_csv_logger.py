"""``CSVLogger``: a CSV file that parses back to the History."""

import csv

import numpy as np
import pytest

from lamella.callbacks import CSVLogger


def _rows(path, separator=","):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=separator))


def test_the_file_parses_back_to_the_history(tmp_path, problem, make_model):
    x, y = problem(60)
    path = tmp_path / "logs" / "training.csv"
    history = make_model().fit(x[:40], y[:40], validation_data=(x[40:], y[40:]), epochs=3,
                               batch_size=10, verbose=0, callbacks=[CSVLogger(path)])
    rows = _rows(path)
    assert list(rows[0]) == ["epoch", "loss", "val_loss"]
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose([float(r[key]) for r in rows], history.history[key], rtol=1e-12)


def test_append_and_separator(tmp_path, problem, make_model):
    x, y = problem()
    path = tmp_path / "log.tsv"
    model = make_model()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[CSVLogger(path, separator="\t")])
    model.fit(x, y, epochs=3, initial_epoch=2, verbose=0, callbacks=[CSVLogger(path, separator="\t", append=True)])
    rows = _rows(path, "\t")
    assert [r["epoch"] for r in rows] == ["0", "1", "2"]  # one header, rows of both fits
    assert path.read_text().count("epoch") == 1
    model.fit(x, y, epochs=1, verbose=0, callbacks=[CSVLogger(path, separator="\t")])
    assert [r["epoch"] for r in _rows(path, "\t")] == ["0"]  # without append: overwritten


def test_missing_values_are_na(tmp_path, problem, make_model):
    x, y = problem(60)
    path = tmp_path / "log.csv"
    make_model().fit(x[:40], y[:40], validation_data=(x[40:], y[40:]), validation_freq=[1, 3], epochs=3,
                     verbose=0, callbacks=[CSVLogger(path)])
    rows = _rows(path)
    assert [r["val_loss"] for r in rows][1] == "NA"
    assert float(rows[0]["val_loss"]) > 0 and float(rows[2]["val_loss"]) > 0


def test_rows_are_on_disk_after_each_epoch(tmp_path, problem, make_model, scripted):
    x, y = problem()
    path = tmp_path / "log.csv"
    seen = []

    class Peek(scripted):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(len(_rows(path)))

    make_model().fit(x, y, epochs=3, verbose=0, callbacks=[CSVLogger(path), Peek("x", [])])
    assert seen == [1, 2, 3]


def test_bad_separator():
    with pytest.raises(ValueError, match="one-character separator. Received: separator=';;'"):
        CSVLogger("x.csv", separator=";;")
