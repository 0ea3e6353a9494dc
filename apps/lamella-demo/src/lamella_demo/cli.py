"""``lamella-demo``: the seed tutorial's MLP, trained and evaluated.

This is the code of the Keras tutorial with ``lamella`` in place of ``keras``.
"""

import argparse
import time

from lamella_demo.glyph_digits import load_data


def build_model(num_classes=10):
    from lamella.layers import Dense, Dropout
    from lamella.models import Sequential

    model = Sequential()
    model.add(Dense(512, activation="relu", input_shape=(784,)))
    model.add(Dropout(0.2))
    model.add(Dense(512, activation="relu"))
    model.add(Dropout(0.2))
    model.add(Dense(num_classes, activation="softmax"))
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(prog="lamella-demo", description=__doc__)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--train-samples", type=int, default=20000)
    parser.add_argument("--test-samples", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from lamella.utils import set_random_seed, to_categorical

    set_random_seed(args.seed)
    started = time.perf_counter()
    (x_train, y_train), (x_test, y_test) = load_data(args.train_samples, args.test_samples, args.seed)
    print(f"Generated {len(x_train)} training and {len(x_test)} test digits "
          f"in {time.perf_counter() - started:.1f} s.")
    y_train, y_test = to_categorical(y_train, 10), to_categorical(y_test, 10)

    model = build_model()
    model.summary()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(
        x_train, y_train, batch_size=args.batch_size, epochs=args.epochs,
        validation_data=(x_test, y_test),
    )
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test loss: {loss:.4f}")
    print(f"Test accuracy: {accuracy:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
