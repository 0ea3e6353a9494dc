"""R2Score against Keras 3: every class aggregation, the adjusted score, sample
weights and accumulation; the formula; inside compile."""

import numpy as np
import pytest

import lamella
from lamella import metrics


def _batches(rng, outputs=2):
    batches = []
    for weight_kind in (None, "batch", "full"):
        y_true = rng.normal(size=(6, outputs)).astype(np.float32)
        y_pred = (y_true + 0.5 * rng.normal(size=(6, outputs))).astype(np.float32)
        weight = {None: None, "batch": rng.uniform(0, 2, size=(6,)), "full": rng.uniform(0, 2, size=(6, outputs))}[weight_kind]
        batches.append((y_true, y_pred, None if weight is None else weight.astype(np.float32)))
    return batches


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "options",
    [{}, {"class_aggregation": "variance_weighted_average"}, {"class_aggregation": None}, {"num_regressors": 3}],
    ids=str,
)
def test_r2_score_matches_keras(keras, rng, helpers, options):
    helpers.check_metric(keras, "R2Score", _batches(rng), rtol=1e-5, atol=1e-6, **options)


def test_r2_score_formula(helpers):
    y_true = np.array([[1.0], [2.0], [3.0], [4.0]], np.float32)
    y_pred = np.array([[1.5], [2.0], [2.5], [4.5]], np.float32)
    metric = metrics.R2Score()
    metric.update_state(y_true, y_pred)
    expected = 1 - np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2)
    helpers.assert_close(metric.result(), expected, rtol=1e-6)
    adjusted = metrics.R2Score(num_regressors=1)
    adjusted.update_state(y_true, y_pred)
    helpers.assert_close(adjusted.result(), 1 - (1 - expected) * 3 / 2, rtol=1e-6)
    too_many = metrics.R2Score(num_regressors=5)  # n - 1 <= p: the plain score
    too_many.update_state(y_true, y_pred)
    helpers.assert_close(too_many.result(), expected, rtol=1e-6)


def test_r2_score_in_compile_builds_its_state_from_the_output_shape():
    from lamella.testing import Linear, PlainSGD

    rng = np.random.default_rng(4)
    x = rng.normal(size=(32, 3)).astype(np.float32)
    y = x @ rng.normal(size=(3, 2)).astype(np.float32)
    model = lamella.Sequential([lamella.Input((3,)), Linear(2)])
    model.compile(optimizer=PlainSGD(0.1), loss="mse", metrics=[metrics.R2Score(class_aggregation=None)])
    model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    logs = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    reference = metrics.R2Score(class_aggregation=None)
    reference.update_state(y, model.predict(x, verbose=0))
    np.testing.assert_allclose(logs["r2_score"], reference.result(), rtol=1e-5)


@pytest.mark.parametrize("options, message", [({"class_aggregation": "mean"}, "class_aggregation"), ({"num_regressors": -1}, "num_regressors")])
def test_invalid_arguments_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        metrics.R2Score(**options)


def test_inputs_must_be_two_dimensional():
    with pytest.raises(ValueError, match=r"\(batch_size, outputs\)"):
        metrics.R2Score().update_state(np.ones((2, 2, 2)), np.ones((2, 2, 2)))


@pytest.mark.keras_parity
def test_config_round_trips_and_matches_keras(keras, helpers):
    helpers.check_metric_config(keras, "R2Score", class_aggregation="variance_weighted_average", num_regressors=2)
