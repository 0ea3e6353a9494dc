"""The callbacks with real layers, losses and optimizers: an MLP on scikit-learn's
digits trained with Adam, EarlyStopping, ReduceLROnPlateau, CSVLogger and
TensorBoard together."""

import csv

import numpy as np
import pytest
from sklearn.datasets import load_digits
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.util import tensor_util

import lamella
from lamella.callbacks import BackupAndRestore, CSVLogger, EarlyStopping, ReduceLROnPlateau, TensorBoard
from lamella.layers import Dense, Dropout, Embedding, GlobalAveragePooling1D
from lamella.optimizers import Adam
from lamella.utils import to_categorical


def test_an_mlp_with_the_usual_callbacks(tmp_path):
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)[:1500]
    y = to_categorical(digits.target[:1500], 10)
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([lamella.Input((64,)), Dense(32, activation="relu"), Dense(10, activation="softmax")])
    model.compile(optimizer=Adam(learning_rate=0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    early = EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
    plateau = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1)
    history = model.fit(
        x[:1200], y[:1200], validation_data=(x[1200:], y[1200:]), epochs=25, batch_size=32, verbose=0,
        callbacks=[early, plateau, CSVLogger(tmp_path / "log.csv"),
                   TensorBoard(tmp_path / "tb", histogram_freq=5, update_freq=4)],
    )
    val_accuracy = history.history["val_accuracy"]
    assert max(val_accuracy) > 0.85
    assert early.direction() == "max" and early.best == max(val_accuracy)
    # The restored weights are the best epoch's: evaluating them gives its accuracy.
    _, accuracy = model.evaluate(x[1200:], y[1200:], verbose=0)
    np.testing.assert_allclose(accuracy, max(val_accuracy), rtol=1e-6)

    with open(tmp_path / "log.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(history.epoch)
    np.testing.assert_allclose([float(r["learning_rate"]) for r in rows], history.history["learning_rate"])
    assert history.history["learning_rate"][0] == np.float32(0.01)

    accumulator = EventAccumulator(str(tmp_path / "tb" / "train"), size_guidance={"tensors": 0})
    accumulator.Reload()
    accuracy_events = accumulator.Tensors("epoch_accuracy")
    np.testing.assert_allclose([tensor_util.make_ndarray(e.tensor_proto) for e in accuracy_events],
                               history.history["accuracy"], rtol=1e-6)
    steps_per_epoch = 38  # 1200 samples in batches of 32
    assert [e.step for e in accumulator.Tensors("batch_loss")][:4] == [4, 8, 12, 16]
    assert accumulator.Tensors("batch_loss")[-1].step <= steps_per_epoch * len(history.epoch)


class _TextModel(lamella.Model):
    """A subclassed model: its layers are built on its first call on data."""

    def __init__(self):
        super().__init__()
        self.words = Embedding(20, 4, name="words")
        self.pool = GlobalAveragePooling1D()
        self.out = Dense(1)

    def call(self, ids):
        return self.out(self.pool(self.words(ids)))


@pytest.mark.parametrize("kind", ["sequential", "subclassed"])
def test_tensorboard_writes_the_embedding_layers_table_for_the_projector(tmp_path, kind):
    from google.protobuf import text_format
    from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

    rng = np.random.default_rng(0)
    x = rng.integers(0, 20, size=(64, 5)).astype(np.int32)
    y = rng.normal(size=(64, 1)).astype(np.float32)
    lamella.utils.set_random_seed(0)
    if kind == "sequential":
        model = lamella.Sequential([lamella.Input((5,), dtype="int32"), Embedding(20, 4, name="words"),
                                    GlobalAveragePooling1D(), Dense(1)])
    else:
        model = _TextModel()
    model.compile(optimizer=Adam(learning_rate=0.05), loss="mse")
    (tmp_path / "labels.tsv").write_text("".join(f"w{i}\n" for i in range(20)))
    model.fit(x, y, epochs=2, batch_size=16, verbose=0,
              callbacks=[TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata={"words": "labels.tsv"})])
    config = text_format.Parse((tmp_path / "train" / "projector_config.pbtxt").read_text(), ProjectorConfig())
    [entry] = config.embeddings
    assert (entry.tensor_name, list(entry.tensor_shape)) == ("words/embeddings", [20, 4])
    table = np.loadtxt(tmp_path / "train" / entry.tensor_path, delimiter="\t")
    [words] = [layer for layer in model.layers if isinstance(layer, Embedding)]
    np.testing.assert_allclose(table, np.asarray(words.embeddings.value), rtol=1e-5, atol=1e-7)
    assert (tmp_path / "train" / entry.metadata_path).read_text() == (tmp_path / "labels.tsv").read_text()


class _Interrupted(Exception):
    pass


class _InterruptMidEpoch(lamella.callbacks.Callback):
    accepts_chunked_batches = True
    reads_model_per_batch = False

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.epoch == 1 and batch >= 10:  # 20 batches per epoch; backups every 7
            raise _Interrupted


def _dropout_mlp_run(backup_dir, callbacks=()):
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)[:800]
    y = to_categorical(digits.target[:800], 10)
    lamella.utils.set_random_seed(5)
    model = lamella.Sequential([
        lamella.Input((64,)), Dense(32, activation="relu"), Dropout(0.3), Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=Adam(learning_rate=0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    backup = [BackupAndRestore(backup_dir, save_freq=7)] if backup_dir else []
    history = model.fit(x, y, validation_split=0.2, epochs=3, batch_size=32, verbose=0,
                        callbacks=backup + list(callbacks))
    return model, history


def test_backup_and_restore_resumes_dropout_and_adam_exactly(tmp_path):
    reference, ref_history = _dropout_mlp_run(None)
    with pytest.raises(_Interrupted):
        _dropout_mlp_run(tmp_path / "backup", [_InterruptMidEpoch()])
    # A new model in the same process (its layers are named dense_2, dropout_1, ...):
    # the dropout keys, Adam's moments and the shuffle resume all the same.
    model, history = _dropout_mlp_run(tmp_path / "backup")
    assert history.epoch == [1, 2]
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert history.history["accuracy"] == ref_history.history["accuracy"][1:]
    assert history.history["val_loss"] == ref_history.history["val_loss"][1:]
