"""Thresholded confusion counts (TruePositives ... FalseNegatives), Precision and
Recall (thresholds, top_k, class_id) against Keras 3 over weighted batches; the
bucket and the comparison computations of the counts agree."""

import jax
import numpy as np
import pytest

from lamella import metrics
from lamella.metrics.confusion_counts import confusion_counts


def binary_batches(rng, shape=(8, 3), count=3, full_weights=True):
    """Batches of binary targets, scores in [0, 1] (exact 0 and 1 included) and a
    weight of each kind (per value too, with ``full_weights``)."""
    batches = []
    for index in range(count):
        y_true = rng.integers(0, 2, size=shape).astype(np.float32)
        y_pred = rng.uniform(size=shape).astype(np.float32)
        y_pred.reshape(-1)[:2] = [0.0, 1.0]
        full = rng.uniform(0, 2, size=shape) if full_weights else rng.uniform(0, 2, size=shape[:1])
        weight = [None, rng.uniform(0, 2, size=shape[:1]), full][index % 3]
        batches.append((y_true, y_pred, None if weight is None else weight.astype(np.float32)))
    return batches


COUNTS = ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, thresholds",
    [(cls, None) for cls in COUNTS] + [(cls, [0.0, 0.25, 0.5, 0.75, 1.0]) for cls in COUNTS]  # buckets
    + [("TruePositives", 0.3), ("FalseNegatives", [0.1, 0.8])],
    ids=str,
)
def test_confusion_counts_match_keras(keras, rng, helpers, cls, thresholds):
    helpers.check_metric(keras, cls, binary_batches(rng), thresholds=thresholds)


@pytest.mark.keras_parity
@pytest.mark.parametrize("cls", ["Precision", "Recall"])
@pytest.mark.parametrize(
    "options",
    [{}, {"thresholds": [0.2, 0.5, 0.9]}, {"class_id": 1}, {"top_k": 2}, {"top_k": 1, "class_id": 2}],
    ids=str,
)
def test_precision_and_recall_match_keras(keras, rng, helpers, cls, options):
    # Keras cannot broadcast per-value weights over one class's column.
    batches = binary_batches(rng, full_weights="class_id" not in options)
    helpers.check_metric(keras, cls, batches, **options)


def test_precision_and_recall_formulas(helpers):
    precision, recall = metrics.Precision(), metrics.Recall()
    y_true, y_pred = [0, 1, 1, 1, 0], [0.9, 0.8, 0.2, 0.6, 0.1]
    for metric in (precision, recall):
        metric.update_state(y_true, y_pred)
    helpers.assert_close(precision.result(), 2 / 3)  # TP 2 of 3 predicted positives
    helpers.assert_close(recall.result(), 2 / 3)  # TP 2 of 3 positives


def test_counts_with_no_positives_give_a_zero_ratio_not_nan(helpers):
    precision = metrics.Precision()
    precision.update_state([0, 0], [0.1, 0.2])
    helpers.assert_close(precision.result(), 0.0)


@pytest.mark.parametrize("multi_label", [False, True])
def test_bucket_and_comparison_counts_agree(rng, multi_label):
    thresholds = list(np.linspace(0.0, 1.0, 11))
    y_true = rng.integers(0, 2, size=(20, 3)).astype(np.float32)
    # Scores off the threshold grid: at a threshold exactly, the two methods may
    # round differently.
    y_pred = (rng.integers(0, 100, size=(20, 3)) / 100.0 + 0.005).astype(np.float32)
    weight = rng.uniform(size=(20,)).astype(np.float32)
    direct = confusion_counts(y_true, y_pred, thresholds, sample_weight=weight, multi_label=multi_label)
    bucketed = jax.jit(lambda t, p, w: confusion_counts(t, p, thresholds, sample_weight=w, multi_label=multi_label, buckets=True))(y_true, y_pred, weight)
    for a, b in zip(direct, bucketed):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cls, options", [("Precision", {"thresholds": [0.5, 2.0]}), ("TruePositives", {"thresholds": -0.1})])
def test_thresholds_outside_0_1_are_refused(cls, options):
    with pytest.raises(ValueError, match="thresholds"):
        getattr(metrics, cls)(**options)


@pytest.mark.parametrize("options, message", [({"top_k": 0}, "top_k=0"), ({"class_id": -1}, "class_id=-1")])
def test_invalid_top_k_and_class_id_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        metrics.Recall(**options)


def test_class_id_needs_a_class_axis():
    with pytest.raises(ValueError, match="class_id"):
        metrics.Precision(class_id=0).update_state([1, 0], [0.6, 0.4])


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "cls, options",
    [("TruePositives", {"thresholds": [0.2, 0.6]}), ("FalseNegatives", {}),
     ("Precision", {"thresholds": [0.3], "top_k": 2, "class_id": 1, "name": "p"}), ("Recall", {"thresholds": 0.4})],
)
def test_configs_round_trip_and_match_keras(keras, helpers, cls, options):
    helpers.check_metric_config(keras, cls, **options)


def test_fit_resets_metric_state_every_epoch_like_keras(keras, rng):
    # A count makes accumulation visible: carried over, epoch 2 would double it.
    import lamella
    from lamella.testing import Linear, PlainSGD

    x = rng.normal(size=(24, 2)).astype(np.float32)
    y = (x[:, :1] > 0).astype(np.float32)
    # A fixed kernel: a random one can point away from the positives and count none.
    model = lamella.Sequential([lamella.Input((2,)), Linear(1, activation="sigmoid", kernel_initializer="ones")])
    model.compile(optimizer=PlainSGD(0.0), loss="binary_crossentropy", metrics=[metrics.TruePositives(), metrics.AUC()])
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    expected = metrics.TruePositives()
    expected.update_state(y, model.predict(x, verbose=0))
    keras_count = keras.metrics.TruePositives()
    keras_count.update_state(y, model.predict(x, verbose=0))
    assert history.history["true_positives"] == [float(expected.result())] * 3
    assert float(expected.result()) == float(keras_count.result()) > 0
    assert len(set(history.history["auc"])) == 1
