"""``MultiHeadAttention``: against Keras 3 with masks, causal masks, attention axes."""

import numpy as np
import pytest

import lamella
from lamella import layers


def _twins(keras, query, value, **kwargs):
    ours, theirs = layers.MultiHeadAttention(**kwargs), keras.layers.MultiHeadAttention(**kwargs)
    theirs(query, value)
    ours(query, value)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    return ours, theirs


@pytest.mark.keras_parity
@pytest.mark.parametrize(
    "call",
    [{}, {"use_causal_mask": True}, {"return_attention_scores": True}, {"value_mask": True},
     {"query_mask": True, "value_mask": True, "use_causal_mask": True}, {"attention_mask": True}],
    ids=lambda c: "-".join(c) or "plain",
)
def test_multi_head_attention_matches_keras(keras, qv, same_outputs, call):
    query, value, query_mask, value_mask = qv
    value = np.concatenate([value, value[..., :1]], axis=-1)  # another size than the query's
    ours, theirs = _twins(keras, query, value, num_heads=2, key_dim=3)
    call = dict(call)
    if call.pop("value_mask", False):
        call["value_mask"] = value_mask
    if call.pop("attention_mask", False):
        call["attention_mask"] = np.random.default_rng(4).random((2, 4, 5)) > 0.3
    if call.pop("query_mask", False):
        call["query_mask"] = query_mask
        # Keras 3.15 ignores the query_mask argument (see the test below); the
        # real queries are the same either way.
        ours_out, theirs_out = ours(query, value, **call), theirs(query, value, **call)
        same_outputs(ours_out[query_mask], np.asarray(theirs_out)[query_mask])
        return
    same_outputs(ours(query, value, **call), theirs(query, value, **call))


@pytest.mark.keras_parity
def test_multi_head_attention_gradients_match_keras(keras, qv):
    import jax
    import jax.numpy as jnp

    query, value, _, value_mask = qv
    ours, theirs = _twins(keras, query, value, num_heads=2, key_dim=3)
    weights = [np.asarray(w) for w in theirs.get_weights()]
    their_state = [v.value for v in theirs.non_trainable_variables]

    def gradients(layer, state):
        def loss(w, q, v):
            out, _ = layer.stateless_call(w, state, q, v, value_mask=value_mask, use_causal_mask=True)
            return jnp.sum(jnp.sin(3.0 * out))

        return jax.grad(loss, argnums=(0, 1, 2))(weights, query, value)

    (our_w, our_q, our_v), (their_w, their_q, their_v) = gradients(ours, []), gradients(theirs, their_state)
    np.testing.assert_allclose(our_q, their_q, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(our_v, their_v, rtol=1e-4, atol=1e-5)
    for a, b in zip(our_w, their_w, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.keras_parity
def test_padded_queries_attend_to_nothing(keras, qv, same_outputs):
    # Keras 3.15 reads the query mask from the query tensor only and ignores the
    # query_mask argument; lamella applies it: a padded query's weights are zero
    # (Keras's masked softmax rule), the real queries' match Keras.
    query, value, query_mask, value_mask = qv
    ours, theirs = _twins(keras, query, value, num_heads=2, key_dim=3)
    out, weights = ours(query, value, query_mask=query_mask, value_mask=value_mask,
                        return_attention_scores=True)
    expected, expected_weights = theirs(query, value, value_mask=value_mask,
                                        return_attention_scores=True)
    same_outputs(np.asarray(out)[query_mask], np.asarray(expected)[query_mask])
    weights, expected_weights = np.asarray(weights), np.asarray(expected_weights)
    np.testing.assert_array_equal(weights[1, :, 2:], 0.0)
    np.testing.assert_allclose(weights[0], expected_weights[0], atol=1e-6)
    bias = ours.get_weights()[-1]
    np.testing.assert_allclose(np.asarray(out)[1, 2:], np.broadcast_to(bias, (2, 3)), atol=1e-6)


@pytest.mark.keras_parity
@pytest.mark.parametrize("axes", [(1,), (2,), (1, 2)])
def test_multi_head_attention_over_other_axes_matches_keras(keras, same_outputs, axes):
    x = np.random.default_rng(1).normal(size=(2, 3, 4, 6)).astype(np.float32)
    ours, theirs = _twins(keras, x, x, num_heads=2, key_dim=3, attention_axes=axes, output_shape=5)
    same_outputs(ours(x, x, return_attention_scores=True), theirs(x, x, return_attention_scores=True))


def test_multi_head_attention_weights_match_keras_layout(keras):
    x = np.ones((1, 2, 6), np.float32)
    ours = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4)
    ours(x, x)
    assert [w.shape for w in ours.weights] == [
        (6, 2, 3), (2, 3), (6, 2, 3), (2, 3), (6, 2, 4), (2, 4), (2, 4, 6), (6,),
    ]


def test_self_attention_uses_the_propagated_padding_mask():
    tokens = lamella.Input((None,), dtype="int32")
    x = layers.Embedding(12, 8, mask_zero=True)(tokens)
    out = layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    model = lamella.Model(tokens, out)
    ids = np.array([[4, 7, 9, 0, 0]])
    np.testing.assert_allclose(np.asarray(model(ids))[:, :3], np.asarray(model(ids[:, :3])), atol=1e-5)


def test_multi_head_attention_symbolic_shapes_and_config():
    q, v = lamella.Input((4, 6)), lamella.Input((7, 5))
    layer = layers.MultiHeadAttention(num_heads=3, key_dim=2, output_shape=(2, 4))
    out, scores = layer(q, v, return_attention_scores=True)
    assert out.shape == (None, 4, 2, 4) and scores.shape == (None, 3, 4, 7)
    copy = layers.MultiHeadAttention.from_config(layer.get_config())
    assert copy.get_config() == layer.get_config()


def test_multi_head_attention_rejects_bad_arguments():
    with pytest.raises(ValueError, match="positive integer for num_heads. Received: num_heads=0"):
        layers.MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match="positive integer for key_dim"):
        layers.MultiHeadAttention(num_heads=2, key_dim=None)
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=(2,))
    with pytest.raises(ValueError, match="attention_axes must be axes between"):
        layer(np.ones((1, 3, 4)), np.ones((1, 3, 4)))
