"""class_weight and sample_weight in fit and evaluate, end to end: on an
imbalanced synthetic task, weighting the rare class moves the decision towards
it, and evaluate's weighted loss is the weighted mean of per-sample losses."""

import numpy as np

import lamella
from lamella import losses, metrics
from lamella.layers import Dense


def _imbalanced(seed=0, n=400):
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=n) < 0.1).astype(np.float32)  # 10% positives
    x = (rng.normal(size=(n, 2)) + np.outer(y, [1.2, 1.2])).astype(np.float32)  # overlapping classes
    return x, y[:, None]


def _train(class_weight=None, sample_weight=None):
    x, y = _imbalanced()
    lamella.utils.set_random_seed(1)
    model = lamella.Sequential([lamella.Input((2,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer=lamella.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=[metrics.Recall()])
    model.fit(x, y, epochs=40, batch_size=50, verbose=0, class_weight=class_weight, sample_weight=sample_weight, shuffle=False)
    return model, x, y


def test_class_weight_moves_the_decision_towards_the_rare_class():
    plain, x, y = _train()
    weighted, _, _ = _train(class_weight={0: 1.0, 1: 9.0})
    plain_recall = plain.evaluate(x, y, verbose=0, return_dict=True)["recall"]
    weighted_recall = weighted.evaluate(x, y, verbose=0, return_dict=True)["recall"]
    plain_positive = np.mean(plain.predict(x, verbose=0) > 0.5)
    weighted_positive = np.mean(weighted.predict(x, verbose=0) > 0.5)
    # Unweighted, the model mostly answers "negative"; weighted 9:1 the classes
    # count alike and it predicts many more positives, finding most of them.
    assert weighted_recall > plain_recall + 0.3
    assert weighted_positive > 2 * plain_positive
    assert weighted_recall > 0.7


def test_class_weight_equals_the_same_sample_weight():
    _, x, y = _train()
    by_class, _, _ = _train(class_weight={0: 1.0, 1: 4.0})
    by_sample, _, _ = _train(sample_weight=np.where(y[:, 0] == 1, 4.0, 1.0).astype(np.float32))
    for a, b in zip(by_class.get_weights(), by_sample.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_evaluate_weighs_the_loss_with_sample_weight():
    model, x, y = _train()
    weight = np.linspace(0.0, 2.0, len(x)).astype(np.float32)
    loss = model.evaluate(x, y, sample_weight=weight, batch_size=len(x), verbose=0, return_dict=True)["loss"]
    per_sample = np.asarray(losses.binary_crossentropy(y, model.predict(x, verbose=0)))
    # sum_over_batch_size: the weighted sum over the number of samples.
    np.testing.assert_allclose(loss, np.sum(per_sample * weight) / len(x), rtol=1e-5)
