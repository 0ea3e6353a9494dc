#!/usr/bin/env python3
"""Trains the embedded demo model of ``lamella-resnet`` and writes it into the package.

    .venv/bin/python apps/lamella-resnet/scripts/train_demo_model.py

Draws images of shapes with Pillow (``lamella_resnet.shapes``), trains the small
ResNet of ``lamella_resnet.demo_model`` on them, checks it on freshly drawn images and
saves ``src/lamella_resnet/data/demo_shapes.keras`` (without optimizer state) with its
sidecar ``demo_shapes.labels.json``. Nothing is downloaded; a few minutes on 2 cores.
"""

import argparse
import json
import os
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "lamella_resnet" / "data"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train-samples", type=int, default=12000)
    parser.add_argument("--test-samples", type=int, default=1200)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=DATA / "demo_shapes.keras")
    args = parser.parse_args(argv)

    import numpy as np

    import lamella
    from lamella_resnet.demo_model import INPUT_SIZE, build_demo_resnet
    from lamella_resnet.shapes import SHAPES, make_dataset

    lamella.utils.set_random_seed(args.seed)
    started = time.perf_counter()
    x_train, y_train = make_dataset(args.train_samples, seed=args.seed, size=INPUT_SIZE[0])
    # A different seed: the test images are never seen in training.
    x_test, y_test = make_dataset(args.test_samples, seed=args.seed + 1000, size=INPUT_SIZE[0])
    print(f"Drew {len(x_train)} training and {len(x_test)} test images in "
          f"{time.perf_counter() - started:.1f} s.", flush=True)

    model = build_demo_resnet(len(SHAPES))
    print(f"{model.count_params()} weights.")
    schedule = lamella.optimizers.schedules.CosineDecay(
        3e-3, decay_steps=args.epochs * (len(x_train) // args.batch_size))
    model.compile(optimizer=lamella.optimizers.Adam(schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    started = time.perf_counter()
    model.fit(x_train.astype(np.float32), y_train, batch_size=args.batch_size,
              epochs=args.epochs, validation_data=(x_test.astype(np.float32), y_test), verbose=2)
    print(f"Trained in {time.perf_counter() - started:.0f} s.")
    loss, accuracy = model.evaluate(x_test.astype(np.float32), y_test, verbose=0)
    print(f"Test loss {loss:.4f}, test accuracy {accuracy:.4f} on {len(x_test)} new images.")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.output, include_optimizer=False)
    sidecar = args.output.with_suffix(".labels.json")
    info = {"labels": list(SHAPES), "input_size": list(INPUT_SIZE), "preprocessing": "none",
            "description": "Demo ResNet trained on generated shapes "
                           f"(test accuracy {accuracy:.3f}); see scripts/train_demo_model.py"}
    tmp = sidecar.with_suffix(".tmp")
    tmp.write_text(json.dumps(info, indent=1) + "\n")
    os.replace(tmp, sidecar)
    print(f"Wrote {args.output} ({args.output.stat().st_size // 1024} KiB) and {sidecar}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
