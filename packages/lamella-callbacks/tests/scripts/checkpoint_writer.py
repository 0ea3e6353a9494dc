"""Trains and checkpoints every epoch until killed (``test_model_checkpoint``).

    python checkpoint_writer.py FOLDER CHECKPOINT_NAME

After each checkpoint, the kernel it holds is written (atomically) to
``FOLDER/reference-<epoch>.npy``, so the test can tell which epoch a surviving
checkpoint must hold.
"""

import os
import sys

import numpy as np

import lamella
from lamella.callbacks import Callback, ModelCheckpoint
from lamella.testing import Linear, PlainSGD, squared_error


class Reference(Callback):
    reads_model_per_batch = False

    def __init__(self, folder):
        super().__init__()
        self.folder = folder

    def on_epoch_end(self, epoch, logs=None):
        temporary = os.path.join(self.folder, "reference.tmp.npy")
        np.save(temporary, self.model.get_weights()[0])
        os.replace(temporary, os.path.join(self.folder, f"reference-{epoch + 1}.npy"))


def main(folder, name):
    lamella.utils.set_random_seed(0)
    # Half a megabyte of weights: a save takes a moment to write and sync.
    model = lamella.Sequential([lamella.Input((256,)), Linear(512)])
    model.compile(optimizer=PlainSGD(0.01), loss=squared_error)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 256)).astype(np.float32)
    y = rng.normal(size=(8, 512)).astype(np.float32)
    checkpoint = ModelCheckpoint(os.path.join(folder, name), save_weights_only=name.endswith(".weights.h5"))
    model.fit(x, y, batch_size=4, epochs=100_000, verbose=0, callbacks=[checkpoint, Reference(folder)])


if __name__ == "__main__":
    main(*sys.argv[1:])
