"""``Attention``: dot and concat scores against Keras 3 and numpy, masks, errors."""

import numpy as np
import pytest

import lamella
from lamella import layers

CALLS = [
    {},
    {"use_causal_mask": True},
    {"return_attention_scores": True},
    {"masks": True},
    {"masks": True, "use_causal_mask": True, "return_attention_scores": True},
]


@pytest.mark.keras_parity
@pytest.mark.parametrize("kwargs", [{}, {"use_scale": True}, {"score_mode": "concat"},
                                    {"score_mode": "concat", "use_scale": True}],
                         ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "default")
@pytest.mark.parametrize("call", CALLS, ids=lambda c: "-".join(c) or "plain")
def test_attention_matches_keras(keras, qv, same_outputs, kwargs, call):
    query, value, query_mask, value_mask = qv
    ours, theirs = layers.Attention(**kwargs), keras.layers.Attention(**kwargs)
    theirs([query, value])
    ours([query, value])
    ours.set_weights([np.asarray(w) * 1.5 for w in theirs.get_weights()])
    theirs.set_weights([np.asarray(w) * 1.5 for w in theirs.get_weights()])
    call = dict(call)
    if call.pop("masks", False):
        call["mask"] = [query_mask, value_mask]
    same_outputs(ours([query, value], **call), theirs([query, value], **call))


def test_attention_dot_scores_match_numpy(qv):
    query, value, _, value_mask = qv
    key = value[..., ::-1].copy()
    out, weights = layers.Attention()([query, value, key], mask=[None, value_mask],
                                      return_attention_scores=True)
    scores = query @ np.swapaxes(key, 1, 2)
    scores = np.where(value_mask[:, None, :], scores, -np.inf)
    expected = np.exp(scores - scores.max(-1, keepdims=True))
    expected /= expected.sum(-1, keepdims=True)
    np.testing.assert_allclose(weights, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, expected @ value, rtol=1e-5, atol=1e-6)


def test_attention_in_a_functional_model_takes_propagated_masks():
    tokens = lamella.Input((None,), dtype="int32")
    embedded = layers.Embedding(10, 4, mask_zero=True)(tokens)
    attended = layers.Attention()([embedded, embedded])
    model = lamella.Model(tokens, attended)
    ids = np.array([[3, 5, 0, 0]])
    out = np.asarray(model(ids))
    short = np.asarray(model(ids[:, :2]))
    np.testing.assert_allclose(out[:, :2], short, atol=1e-6)
    np.testing.assert_array_equal(out[:, 2:], 0.0)


def test_attention_symbolic_outputs_with_scores():
    q, v = lamella.Input((4, 3)), lamella.Input((5, 3))
    out, scores = layers.Attention()([q, v], return_attention_scores=True)
    assert out.shape == (None, 4, 3) and scores.shape == (None, 4, 5)


def test_attention_config_round_trips():
    layer = layers.Attention(use_scale=True, score_mode="concat", dropout=0.1, seed=3)
    assert layers.Attention.from_config(layer.get_config()).get_config() == layer.get_config()


def test_attention_rejects_bad_arguments(qv):
    query, value, *_ = qv
    with pytest.raises(ValueError, match="score_mode 'dot' or 'concat'"):
        layers.Attention(score_mode="general")
    with pytest.raises(ValueError, match="must be called on a list of inputs"):
        layers.Attention()(query)
    with pytest.raises(ValueError, match="list of 2 or 3 inputs"):
        layers.Attention()([query])
    with pytest.raises(ValueError, match="float in \\[0, 1\\) for dropout"):
        layers.Attention(dropout=2)
