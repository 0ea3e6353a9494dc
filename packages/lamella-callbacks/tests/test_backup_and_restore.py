"""BackupAndRestore: a fit interrupted anywhere (SIGKILL included) and started again
ends with exactly the weights of an uninterrupted run."""

import importlib.util
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from lamella.callbacks import BackupAndRestore, Callback
from lamella.saving.model_file import ModelFileError
from lamella.saving.weight_assignment import WeightsMismatchError

_SCRIPT = Path(__file__).parent / "scripts" / "resumable_training.py"
_spec = importlib.util.spec_from_file_location("resumable_training", _SCRIPT)
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)


class Interrupted(Exception):
    pass


class InterruptIn(run.PauseForKill):
    """Raises in the first batch hook of ``epoch`` at or after ``batch``."""

    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch >= self.batch:
            raise Interrupted


class InterruptAtEpoch(Callback):
    reads_model_per_batch = False

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise Interrupted


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run, without BackupAndRestore: its weights and history."""
    model, history, _ = run.train(str(tmp_path_factory.mktemp("reference")), backup=False)
    return model.get_weights(), history.history


def _state(path):
    with h5py.File(path, "r") as h5:
        return json.loads(h5.attrs["training_state"])


def _assert_same_weights(weights, reference):
    assert len(weights) == len(reference[0])
    for a, b in zip(weights, reference[0]):
        np.testing.assert_array_equal(a, b)


def test_a_process_killed_mid_epoch_resumes_to_the_uninterrupted_weights(tmp_path, reference):
    process = subprocess.Popen(
        [sys.executable, str(_SCRIPT), str(tmp_path), "--pause-in", "2:5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "paused", process.stderr.read()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    backup = tmp_path / "backup" / "latest.weights.h5"
    state = _state(backup)
    # Backed up every 4 batches of 10: the last before batch 6 of epoch 2 (the
    # 26th) was after the 24th, batch 4 of epoch 2; a chunk may also have run on to
    # the 28th before the pause.
    assert (state["epoch"], state["step"]) in ((2, 4), (2, 8))
    finished = subprocess.run([sys.executable, str(_SCRIPT), str(tmp_path)], capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    final = np.load(tmp_path / "final.npz")
    _assert_same_weights([final[f"arr_{i}"] for i in range(len(final.files))], reference)
    with open(tmp_path / "history.json") as f:
        history = json.load(f)
    # The resumed epoch's running loss was restored too: its logs are the same.
    assert history["epoch"] == [2, 3]
    assert history["loss"] == reference[1]["loss"][2:]
    assert history["val_loss"] == reference[1]["val_loss"][2:]
    assert not (tmp_path / "backup").exists()  # deleted once fit completed


def test_an_interrupted_epoch_resumes_at_its_backed_up_batch(tmp_path, reference):
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptIn(1, 9)])
    state = _state(tmp_path / "backup" / "latest.weights.h5")
    assert (state["epoch"], state["step"]) == (1, 6)  # after batch 16, the 6th of epoch 1
    model, history, _ = run.train(str(tmp_path))
    _assert_same_weights(model.get_weights(), reference)
    assert history.epoch == [1, 2, 3]
    assert history.history["loss"] == reference[1]["loss"][1:]


def test_epoch_backups_resume_at_the_next_epoch(tmp_path, reference):
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptAtEpoch(3)], save_freq="epoch")
    assert _state(tmp_path / "backup" / "latest.weights.h5")["epoch"] == 3
    model, history, _ = run.train(str(tmp_path), save_freq="epoch")
    _assert_same_weights(model.get_weights(), reference)
    assert history.epoch == [3]


def test_a_backup_due_at_an_epochs_last_batch_is_taken_at_its_end(tmp_path, reference):
    # Every 5 batches of 10: after batch 10 of epoch 0, i.e. at the start of epoch 1.
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptAtEpoch(1)], save_freq=5)
    state = _state(tmp_path / "backup" / "latest.weights.h5")
    assert (state["epoch"], state["step"]) == (1, 0)
    model, _, _ = run.train(str(tmp_path), save_freq=5)
    _assert_same_weights(model.get_weights(), reference)


def test_double_checkpoint_falls_back_on_the_previous_backup(tmp_path, reference):
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptIn(2, 3)], double_checkpoint=True)
    latest = tmp_path / "backup" / "latest.weights.h5"
    assert (_state(latest)["epoch"], _state(latest)["step"]) == (2, 4)
    assert _state(str(latest) + ".bkp")["step"] == 0  # after batch 20: epoch 2's start
    latest.write_bytes(latest.read_bytes()[:1000])  # damaged on disk
    model, history, _ = run.train(str(tmp_path), double_checkpoint=True)
    _assert_same_weights(model.get_weights(), reference)
    assert history.epoch == [2, 3]


def test_a_damaged_backup_is_a_clear_error_and_changes_nothing(tmp_path):
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptAtEpoch(1)], save_freq="epoch")
    latest = tmp_path / "backup" / "latest.weights.h5"
    latest.write_bytes(latest.read_bytes()[:1000])
    with pytest.raises(ModelFileError, match=r"latest.weights.h5 cannot be read .* Delete the backup folder"):
        run.train(str(tmp_path), save_freq="epoch")


def test_a_backup_of_another_model_is_refused_before_anything_changes(tmp_path, problem, make_model):
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptAtEpoch(1)], save_freq="epoch")
    x, y = problem(features=4)
    other = make_model(features=4)
    before = other.get_weights()
    with pytest.raises(WeightsMismatchError, match="holds weights for 2 layers"):
        other.fit(x, y, epochs=1, verbose=0, callbacks=[BackupAndRestore(tmp_path / "backup")])
    _assert_same_weights(other.get_weights(), (before,))


def test_a_mid_epoch_backup_needs_the_same_epoch_length(tmp_path):
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptIn(1, 5)])
    model = run.build_model()
    x, y = run.data()
    with pytest.raises(ValueError, match="epoch of 10 batches, but an epoch of this fit has 5"):
        model.fit(x, y, batch_size=16, epochs=2, validation_split=0.25, verbose=0,
                  callbacks=[BackupAndRestore(tmp_path / "backup", save_freq=4)])


def test_delete_checkpoint_false_keeps_a_backup_that_load_weights_reads(tmp_path):
    _, history, _ = run.train(str(tmp_path), save_freq="epoch", delete_checkpoint=False)
    latest = tmp_path / "backup" / "latest.weights.h5"
    assert _state(latest)["epoch"] == run.EPOCHS
    fresh = run.build_model()
    fresh.load_weights(latest)  # the backup is a lamella weights file too
    # Started again, the finished run trains nothing.
    _, again, _ = run.train(str(tmp_path), save_freq="epoch", delete_checkpoint=False)
    assert again.epoch == [] and len(history.epoch) == run.EPOCHS


def test_temporaries_of_a_killed_save_are_removed(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    stale = folder / ".latest.weights.h5.abc123.tmp"
    stale.write_bytes(b"half")
    run.train(str(tmp_path), save_freq="epoch")
    assert not folder.exists()


def test_epoch_backups_ask_for_no_batch_hooks(tmp_path):
    assert not BackupAndRestore(tmp_path).uses_batch_hooks("train")
    assert BackupAndRestore(tmp_path, save_freq=3).uses_batch_hooks("train")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"backup_dir": ""}, ValueError, "needs a backup_dir"),
        ({"backup_dir": 3}, TypeError, "expected a folder path"),
        ({"backup_dir": "b", "save_freq": 0}, ValueError, "Received: save_freq=0"),
        ({"backup_dir": "b", "save_freq": False}, ValueError, "Received: save_freq=False"),
        ({"backup_dir": "b", "save_freq": "batch"}, ValueError, "'epoch' or a positive integer"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        BackupAndRestore(**kwargs)


def test_the_backup_is_written_atomically(tmp_path, monkeypatch):
    # A failure while writing (a full disk) leaves the previous backup in place.
    with pytest.raises(Interrupted):
        run.train(str(tmp_path), [InterruptIn(1, 0)])
    latest = tmp_path / "backup" / "latest.weights.h5"
    before = latest.read_bytes()
    from lamella.saving import weights_file

    def failing(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(weights_file, "write_model_weights", failing)
    with pytest.raises(OSError, match="No space left"):
        run.train(str(tmp_path))
    assert latest.read_bytes() == before
    assert os.listdir(latest.parent) == ["latest.weights.h5"]
