"""A training run that ``BackupAndRestore`` resumes (``test_backup_and_restore``).

    python resumable_training.py FOLDER [--pause-in EPOCH:BATCH] [--no-backup]

Trains a small model whose every step draws random numbers (``Jitter``, from the
layer's own seed state), with a shuffled, validated fit, an optimizer with state
(moving averages) and a last partial batch; backs up every 4 batches to
``FOLDER/backup``. ``--pause-in`` stops in a batch hook of that epoch, from that
batch on, and prints ``paused`` for the test to SIGKILL it. At the end, the weights
go to ``FOLDER/final.npz`` and the history to ``FOLDER/history.json``.
"""

import argparse
import json
import os
import time

import numpy as np

import lamella
from lamella.callbacks import BackupAndRestore, Callback
from lamella.testing import Linear, PlainSGD, squared_error

EPOCHS = 4
BATCH_SIZE = 8  # 78 training samples: 9 batches of 8 and one of 6 per epoch
SAVE_FREQ = 4


class Jitter(lamella.Layer):
    """Adds Gaussian noise of ``stddev`` while training."""

    def __init__(self, stddev=0.1, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed_generator = lamella.random.SeedGenerator(name=f"{self.name}_seed")

    def call(self, inputs, training=False):
        if not training:
            return inputs
        noise = lamella.random.normal(inputs.shape, stddev=self.stddev, seed=self.seed_generator)
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape


class PauseForKill(Callback):
    """Waits (to be killed) in the first batch hook of ``epoch`` at or after ``batch``."""

    accepts_chunked_batches = True
    reads_model_per_batch = False

    def __init__(self, epoch, batch):
        super().__init__()
        self.epoch, self.batch, self.current = epoch, batch, None

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch >= self.batch:
            print("paused", flush=True)
            time.sleep(600)


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(104, 4)).astype(np.float32)
    y = np.sin(x @ rng.normal(size=(4, 1))).astype(np.float32)
    return x, y


def build_model():
    lamella.utils.set_random_seed(1)
    model = lamella.Sequential([lamella.Input((4,)), Linear(8, activation="tanh"), Jitter(0.1), Linear(1)])
    model.compile(optimizer=PlainSGD(0.05, use_ema=True, ema_momentum=0.9), loss=squared_error)
    return model


def train(folder, callbacks=(), backup=True, **backup_kwargs):
    """Builds the model and fits it; returns ``(model, history, backup callback)``."""
    model = build_model()
    x, y = data()
    backup_kwargs.setdefault("save_freq", SAVE_FREQ)
    keeper = BackupAndRestore(os.path.join(folder, "backup"), **backup_kwargs) if backup else None
    history = model.fit(
        x, y, batch_size=BATCH_SIZE, epochs=EPOCHS, validation_split=0.25, verbose=0,
        callbacks=[keeper] * backup + list(callbacks),
    )
    return model, history, keeper


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--pause-in", default=None)
    parser.add_argument("--no-backup", action="store_true")
    args = parser.parse_args()
    callbacks = []
    if args.pause_in:
        callbacks.append(PauseForKill(*map(int, args.pause_in.split(":"))))
    model, history, _ = train(args.folder, callbacks, backup=not args.no_backup)
    np.savez(os.path.join(args.folder, "final.npz"), *model.get_weights())
    with open(os.path.join(args.folder, "history.json"), "w") as f:
        json.dump({"epoch": history.epoch, **history.history}, f)


if __name__ == "__main__":
    main()
