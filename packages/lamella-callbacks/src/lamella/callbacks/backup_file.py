"""The file ``BackupAndRestore`` writes: the whole training state in one HDF5 file.

One file, written atomically (temporary file, fsync, rename), so the weights, the
optimizer, the metrics and the position in training can never disagree, whatever
moment a process is killed at::

    /                      lamella's weights layout (``model.load_weights`` reads
                           it): every layer's weights and random-number states
    /_lamella_training/optimizer   the optimizer's variables (iterations, slots, EMA)
    /_lamella_training/metrics     the running metrics of the epoch
    /_lamella_training/seeds       every random-number state, in the model's order
                                   (the weights file matches the states of layers
                                   without weights by layer name, which a model
                                   rebuilt in the same process does not share)
    attrs["training_state"]        JSON: format, epoch and step to resume at, steps
                                   per epoch, the host generator's state (which
                                   draws the epoch's shuffling), lamella's version

Reading checks everything against the model before a variable changes.
"""

import dataclasses
import json

import numpy as np

from lamella.saving import keras_weights, weights_file
from lamella.saving import weight_assignment as assignment
from lamella.saving.model_file import ModelFileError
from lamella.utils import file_io

FORMAT = "lamella-training-backup"
FORMAT_VERSION = 1
_GROUP = "_lamella_training"


def metric_variables(model):
    """The variables of the compiled metrics, in the engine's order."""
    return [v for metric in model.metrics for v in metric.variables]


def _groups(model):
    seeds = [v for v in model.variables if getattr(v, "_is_seed_state", False)]
    return (("optimizer", model.optimizer.variables), ("metrics", metric_variables(model)), ("seeds", seeds))


def write(path, model, epoch, step, steps_per_epoch, rng_state):
    """Writes the training state to ``path`` atomically.

    Args:
        path: the file.
        model: the model, whose variables hold the state to save.
        epoch: the epoch to resume at.
        step: the batch of that epoch to resume at (0: the epoch's start).
        steps_per_epoch: the number of batches per epoch of this ``fit``.
        rng_state: the host generator's state to resume with (the state before
            that epoch's shuffle was drawn).
    """
    import h5py

    from lamella import _version

    state = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "epoch": int(epoch), "step": int(step),
        "steps_per_epoch": int(steps_per_epoch), "host_rng": rng_state,
        "lamella_version": _version.__version__,
    }
    with file_io.atomic_open(path, "wb") as f, h5py.File(f, "w") as h5:
        weights_file.write_model_weights(h5, model)
        group = h5.create_group(_GROUP)
        for name, variables in _groups(model):
            part = group.create_group(name)
            part.attrs["weight_names"] = weights_file.string_list(weights_file.write_variables(part, variables))
        h5.attrs["training_state"] = json.dumps(state)


@dataclasses.dataclass
class Backup:
    """A backup read and checked against a model, ready to be put back."""

    epoch: int
    step: int
    steps_per_epoch: int
    rng_state: dict
    pairs: list

    def restore(self):
        """Assigns every saved value to its variable."""
        assignment.assign_all(self.pairs)


def read(path, model):
    """The backup at ``path``, checked against ``model`` (``ModelFileError`` when
    it is damaged or not a backup, ``WeightsMismatchError`` when it does not fit)."""
    import h5py

    try:
        h5 = h5py.File(path, "r")
    except (OSError, ValueError) as error:
        raise ModelFileError(f"The backup {path} cannot be read ({error}): it is damaged.") from None
    with h5:
        try:
            state = _training_state(h5, path)
            stored = keras_weights.legacy_stored_layers(h5)
            pairs = assignment.match_by_topology(model, stored, source=f"backup {path}")
            for name, variables in _groups(model):
                pairs += _pairs(h5, path, name, variables)
        except (OSError, RuntimeError, KeyError) as error:
            # HDF5 checksum failures and truncated datasets surface here.
            raise ModelFileError(f"The backup {path} is damaged: reading it failed ({error}).") from None
    return Backup(state["epoch"], state["step"], state["steps_per_epoch"], state["host_rng"], pairs)


def _training_state(h5, path):
    text = weights_file.decode(h5.attrs.get("training_state"))
    try:
        state = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        state = None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ModelFileError(
            f"{path} is not a BackupAndRestore backup (it has no training state). The "
            "backup folder must hold nothing but the callback's own files."
        )
    if int(state.get("format_version", 0)) > FORMAT_VERSION:
        raise ModelFileError(
            f"The backup {path} was written by lamella {state.get('lamella_version')} in a "
            "newer format than this lamella-callbacks reads: upgrade it."
        )
    return state


def _pairs(h5, path, name, variables):
    group = h5[f"{_GROUP}/{name}"]
    names = weights_file.decode(group.attrs.get("weight_names", []))
    if len(names) != len(variables):
        raise assignment.WeightsMismatchError(
            f"The backup {path} holds {len(names)} {name} variables, but this model's "
            f"{name} have {len(variables)}: it was written for another model or compile "
            "configuration."
        )
    pairs = []
    for variable, stored_name in zip(variables, names):
        value = np.asarray(group[stored_name][()])
        if tuple(value.shape) != tuple(variable.shape):
            raise assignment.WeightsMismatchError(
                f"The backup {path} holds {name} variable {stored_name!r} with shape "
                f"{tuple(value.shape)}, but {variable.path!r} has shape {tuple(variable.shape)}."
            )
        pairs.append((variable, value))
    return pairs
