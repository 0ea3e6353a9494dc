"""``AdditiveAttention``: against Keras 3 and numpy."""

import numpy as np
import pytest

from lamella import layers


@pytest.mark.keras_parity
@pytest.mark.parametrize("use_scale", [True, False])
@pytest.mark.parametrize("masked", [False, True])
def test_additive_attention_matches_keras(keras, qv, same_outputs, use_scale, masked):
    query, value, query_mask, value_mask = qv
    ours = layers.AdditiveAttention(use_scale=use_scale)
    theirs = keras.layers.AdditiveAttention(use_scale=use_scale)
    theirs([query, value])
    ours([query, value])
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    kwargs = {"mask": [query_mask, value_mask]} if masked else {}
    same_outputs(ours([query, value], return_attention_scores=True, **kwargs),
                 theirs([query, value], return_attention_scores=True, **kwargs))


def test_additive_attention_scores_match_numpy(qv):
    query, value, *_ = qv
    layer = layers.AdditiveAttention()
    _, weights = layer([query, value], return_attention_scores=True)
    scale = layer.get_weights()[0]
    scores = np.sum(scale * np.tanh(query[:, :, None] + value[:, None]), axis=-1)
    expected = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    np.testing.assert_allclose(weights, expected, rtol=1e-5, atol=1e-6)


def test_additive_attention_config_round_trips():
    layer = layers.AdditiveAttention(use_scale=False)
    assert layers.AdditiveAttention.from_config(layer.get_config()).get_config() == layer.get_config()
