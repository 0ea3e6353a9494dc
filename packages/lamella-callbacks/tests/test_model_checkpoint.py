"""ModelCheckpoint: templated paths, best-only saving, batch-frequency saving at
exact steps, Keras's naming rules, and writes that survive a SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import lamella
from lamella.callbacks import ModelCheckpoint
from lamella.testing import Linear, PlainSGD, squared_error

CUSTOM = {"Linear": Linear, "PlainSGD": PlainSGD, "squared_error": squared_error}


def _load(path):
    return lamella.models.load_model(path, custom_objects=CUSTOM)


def test_the_path_template_is_filled_with_the_epoch_and_the_logs(tmp_path, problem, make_model):
    x, y = problem()
    model = make_model()
    template = str(tmp_path / "ckpt" / "{epoch:02d}-{val_loss:.3f}.keras")
    history = model.fit(x, y, validation_split=0.25, epochs=3, verbose=0, callbacks=[ModelCheckpoint(template)])
    expected = {f"{e + 1:02d}-{v:.3f}.keras" for e, v in enumerate(history.history["val_loss"])}
    assert {p.name for p in (tmp_path / "ckpt").iterdir()} == expected
    last = _load(tmp_path / "ckpt" / f"03-{history.history['val_loss'][2]:.3f}.keras")
    for a, b in zip(last.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(last.optimizer.iterations.value) == int(model.optimizer.iterations.value)


def test_a_name_missing_from_the_logs_is_a_key_error_naming_it(tmp_path, problem, make_model):
    x, y = problem()
    checkpoint = ModelCheckpoint(str(tmp_path / "{epoch}-{val_accuracy:.2f}.keras"))
    with pytest.raises(KeyError, match=r"no 'val_accuracy'. Available: epoch, loss, val_loss"):
        make_model().fit(x, y, validation_split=0.25, epochs=1, verbose=0, callbacks=[checkpoint])


def test_save_best_only_keeps_the_best_epochs_weights(tmp_path, problem, make_model, scripted):
    x, y = problem()
    script = scripted("val_loss", [3.0, 1.0, 2.0, 1.5])
    path = tmp_path / "best.weights.h5"
    checkpoint = ModelCheckpoint(str(path), save_best_only=True, save_weights_only=True)
    make_model().fit(x, y, epochs=4, verbose=0, callbacks=[script, checkpoint])
    assert checkpoint.best == 1.0
    restored = make_model(seed=99)
    restored.load_weights(path)
    for stored, best in zip(restored.get_weights(), script.weights[1]):
        np.testing.assert_array_equal(stored, best)
    assert not np.array_equal(script.weights[1][0], script.weights[3][0])


def test_mode_max_and_initial_value_threshold_decide_what_is_best(tmp_path, problem, make_model, scripted):
    x, y = problem()
    script = scripted("val_auc", [0.5, 0.7, 0.6, 0.8])
    template = str(tmp_path / "{epoch}.weights.h5")
    checkpoint = ModelCheckpoint(template, monitor="val_auc", mode="max", save_best_only=True,
                                 save_weights_only=True, initial_value_threshold=0.65)
    make_model().fit(x, y, epochs=4, verbose=0, callbacks=[script, checkpoint])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2.weights.h5", "4.weights.h5"]


def test_save_best_only_without_the_monitored_value_warns_and_saves(tmp_path, problem, make_model):
    x, y = problem()
    checkpoint = ModelCheckpoint(str(tmp_path / "m.keras"), save_best_only=True)
    with pytest.warns(UserWarning, match="monitors 'val_loss', which is not in the logs"):
        make_model().fit(x, y, epochs=1, verbose=0, callbacks=[checkpoint])
    assert (tmp_path / "m.keras").exists()


def test_an_integer_save_freq_saves_after_exactly_those_batches(tmp_path, problem, make_model):
    x, y = problem(n=48)  # 12 batches of 4 per epoch
    template = str(tmp_path / "{epoch}-{batch}.keras")
    make_model().fit(x, y, batch_size=4, epochs=2, verbose=0,
                     callbacks=[ModelCheckpoint(template, save_freq=5)])
    # Every 5 batches counted over epochs: after global batches 5, 10, 15 and 20.
    names = {"1-5.keras": 5, "1-10.keras": 10, "2-3.keras": 15, "2-8.keras": 20}
    assert {p.name for p in tmp_path.iterdir()} == set(names)
    for name, steps in names.items():
        assert int(_load(tmp_path / name).optimizer.iterations.value) == steps
    # The file written after batch 5 holds the weights of 5 steps (the engine's
    # device loop stopped there, not at the end of a longer chunk).
    reference = make_model()
    reference.fit(x, y, batch_size=4, epochs=1, steps_per_epoch=5, verbose=0)
    for a, b in zip(_load(tmp_path / "1-5.keras").get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_epoch_saving_asks_for_no_batch_hooks(tmp_path):
    assert not ModelCheckpoint(str(tmp_path / "m.keras")).uses_batch_hooks("train")
    assert ModelCheckpoint(str(tmp_path / "m.keras"), save_freq=3).uses_batch_hooks("train")


def test_a_whole_model_h5_checkpoint_loads(tmp_path, problem, make_model):
    x, y = problem()
    model = make_model()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(str(tmp_path / "m.h5"))])
    for a, b in zip(_load(tmp_path / "m.h5").get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_an_existing_folder_as_filepath_is_refused(tmp_path, problem, make_model):
    x, y = problem()
    (tmp_path / "m.keras").mkdir()
    with pytest.raises(IsADirectoryError, match="is an existing folder"):
        make_model().fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(str(tmp_path / "m.keras"))])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"filepath": "m.keras", "save_weights_only": True}, ValueError, "names end in .weights.h5"),
        ({"filepath": "m.h5", "save_weights_only": True}, ValueError, "names end in .weights.h5"),
        ({"filepath": "m.weights.h5"}, ValueError, "pass save_weights_only=True"),
        ({"filepath": "m.txt"}, ValueError, "must end in .keras"),
        ({"filepath": "m-{epoch.keras"}, ValueError, "could not read filepath"),
        ({"filepath": "m-{}.keras"}, ValueError, "has the field {}"),
        ({"filepath": 3}, TypeError, "expected a file path"),
        ({"filepath": "m.keras", "save_freq": 0}, ValueError, "Received: save_freq=0"),
        ({"filepath": "m.keras", "save_freq": "batch"}, ValueError, "'epoch' or a positive integer"),
        ({"filepath": "m.keras", "mode": "up"}, ValueError, "mode 'auto', 'min' or 'max'"),
        ({"filepath": "m.keras", "initial_value_threshold": "0.5"}, ValueError, "initial_value_threshold"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message.replace("{", r"\{").replace("(", r"\(")):
        ModelCheckpoint(**kwargs)


def test_a_format_that_does_not_fit_the_value_is_a_clear_error(tmp_path, problem, make_model):
    x, y = problem()
    checkpoint = ModelCheckpoint(str(tmp_path / "{loss:03d}.keras"))
    with pytest.raises(ValueError, match=r"could not fill filepath .*Unknown format code 'd'"):
        make_model().fit(x, y, epochs=1, verbose=0, callbacks=[checkpoint])


# -- a process killed while saving -----------------------------------------------------

_WRITER = Path(__file__).parent / "scripts" / "checkpoint_writer.py"


def _kill_while_saving(folder, checkpoint_name):
    """Starts a process that checkpoints every epoch, SIGKILLs it while a checkpoint
    is half-written (its temporary file exists), and returns whether it caught one."""
    process = subprocess.Popen(
        [sys.executable, str(_WRITER), str(folder), checkpoint_name],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            names = os.listdir(folder)
            # Once one checkpoint is complete, the next temporary file is a save
            # in progress over it.
            if checkpoint_name in names and any(n.startswith(f".{checkpoint_name}.") for n in names):
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()
    return any(n.startswith(f".{checkpoint_name}.") for n in os.listdir(folder))


@pytest.mark.parametrize("checkpoint_name", ["model.keras", "model.weights.h5"])
def test_a_process_killed_while_saving_leaves_the_previous_checkpoint_whole(tmp_path, checkpoint_name):
    for attempt in range(3):  # the kill may land just after a rename: try again
        folder = tmp_path / str(attempt)
        folder.mkdir()
        if _kill_while_saving(folder, checkpoint_name):
            break
    else:
        pytest.fail("the writer was never caught in the middle of a save")
    # The half-written file is a hidden temporary; the checkpoint is the last
    # complete one (the writer records each epoch's kernel after its checkpoint),
    # and it loads with that epoch's weights.
    path = folder / checkpoint_name
    epoch = max(int(n[len("reference-"):-len(".npy")]) for n in os.listdir(folder) if n.startswith("reference-"))
    if checkpoint_name.endswith(".keras"):
        model = _load(path)
        assert int(model.optimizer.iterations.value) == 2 * epoch  # 2 steps per epoch
    else:
        model = lamella.Sequential([lamella.Input((256,)), Linear(512)])
        model.load_weights(path)
    np.testing.assert_array_equal(model.get_weights()[0], np.load(folder / f"reference-{epoch}.npy"))
