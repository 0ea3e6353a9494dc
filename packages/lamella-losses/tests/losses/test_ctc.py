"""The CTC loss against Keras 3 (variable label lengths, repeated labels, sample
weights), against a brute-force sum over alignments, and its gradients."""

import itertools

import jax
import numpy as np
import pytest

from lamella import losses


def _brute_force(labels, logits):
    """-log of the total probability of every frame path that collapses to labels."""
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    frames, classes = logits.shape
    total = 0.0
    for path in itertools.product(range(classes), repeat=frames):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
        if collapsed == list(labels):
            total += np.exp(sum(log_probs[t, c] for t, c in enumerate(path)))
    return -np.log(total)


def test_ctc_equals_the_sum_over_alignments(rng):
    logits = rng.normal(size=(3, 5, 3)).astype(np.float64)
    labels = np.array([[1, 2, 0], [1, 1, 0], [2, 0, 0]])
    actual = np.asarray(losses.ctc(labels, logits.astype(np.float32)))
    expected = [_brute_force([c for c in row if c], lg) for row, lg in zip(labels, logits)]
    np.testing.assert_allclose(actual, expected, rtol=1e-5)  # float32 against float64


@pytest.mark.keras_parity
def test_ctc_matches_keras(keras, rng, helpers):
    logits = rng.normal(size=(4, 8, 5)).astype(np.float32)
    labels = np.array([[1, 2, 3, 0], [4, 4, 0, 0], [2, 3, 2, 1], [0, 0, 0, 0]])
    # rtol 1e-5: sums over many alignments in a different order.
    helpers.assert_close(losses.ctc(labels, logits), keras.losses.ctc(labels, logits), rtol=1e-5)
    weight = helpers.sample_weight("batch", (4,), rng)
    helpers.check_loss_class(keras, "CTC", labels, logits, weight, rtol=1e-5)


def test_ctc_gradients_are_finite_and_match_finite_differences(rng):
    logits = rng.normal(size=(2, 4, 3)).astype(np.float32)
    labels = np.array([[1, 2], [2, 0]])
    loss = losses.CTC()
    grad = jax.jit(jax.grad(lambda z: loss(labels, z)))(logits)
    assert np.isfinite(grad).all()
    step = 1e-2
    bump = np.zeros_like(logits)
    bump[0, 1, 2] = step
    numeric = (float(loss(labels, logits + bump)) - float(loss(labels, logits - bump))) / (2 * step)
    np.testing.assert_allclose(grad[0, 1, 2], numeric, rtol=1e-2, atol=1e-4)


def test_ctc_rejects_wrong_ranks():
    with pytest.raises(ValueError, match=r"y_true.shape=\(2,\)"):
        losses.ctc(np.zeros(2, np.int32), np.zeros((2, 3, 4), np.float32))
    with pytest.raises(ValueError, match=r"y_pred.shape=\(2, 3\)"):
        losses.ctc(np.zeros((2, 2), np.int32), np.zeros((2, 3), np.float32))


@pytest.mark.keras_parity
def test_config_round_trip(keras, helpers):
    helpers.check_loss_config(keras, "CTC")
