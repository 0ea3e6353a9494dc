"""The cached walk of a layer tree: reused while nothing changed, redone after each
way a model can change (attributes, lists, dicts, flags, seeds, Sequential.add)."""

import copy
import pickle

import numpy as np
import pytest

import lamella
from lamella.engine import layer_walk
from lamella.engine.layer import Layer
from lamella.random.seed_generator import SeedGenerator
from lamella.testing import Linear


@pytest.fixture(autouse=True)
def _cache_alone(monkeypatch):
    # The suite checks every reuse against a fresh walk; here the cache must see
    # each change on its own.
    monkeypatch.delenv("LAMELLA_CHECK_LAYER_WALKS", raising=False)


class Holder(Layer):
    """A layer holding sublayers in whatever containers a test gives it."""

    def call(self, x):
        return x


def built(layer, features=3):
    layer(np.ones((1, features), np.float32))
    return layer


def paths(variables):
    return [v.path for v in variables]


def step_paths(layer):
    """The engine's view: (trainable, non-trainable) variable paths."""
    trainable, non_trainable = layer._step_variables()
    return paths(trainable), paths(non_trainable)


def test_walk_is_reused_while_nothing_changes():
    holder = Holder()
    holder.parts = [built(Linear(2, name="a")), {"b": built(Linear(2, name="b"))}]
    first = holder._current_walk()
    holder.trainable_weights  # reading properties changes nothing
    holder.name = "renamed"  # nor does an atomic attribute
    holder.note = object()  # nor an object the walk never looks into
    assert holder._current_walk() is first
    assert paths(holder.trainable_weights) == ["a/kernel", "a/bias", "b/kernel", "b/bias"]


def test_assigning_and_deleting_attributes_is_seen():
    holder = Holder()
    first, second = built(Linear(2, name="first")), built(Linear(2, name="second"))
    holder.first = first
    assert step_paths(holder)[0] == ["first/kernel", "first/bias"]
    holder.second = second
    assert step_paths(holder)[0][2:] == ["second/kernel", "second/bias"]
    del holder.first
    assert step_paths(holder)[0] == ["second/kernel", "second/bias"]
    holder.second = 3  # a layer replaced by a number
    assert step_paths(holder) == ([], [])


@pytest.mark.parametrize("change", ["append", "replace", "remove", "nested"])
def test_changes_inside_lists_are_seen(change):
    holder = Holder()
    holder.parts = [built(Linear(2, name="a")), [built(Linear(2, name="b"))]]
    extra = built(Linear(2, name="c"))
    holder.weights
    if change == "append":
        holder.parts.append(extra)
        expected = ["a", "b", "c"]
    elif change == "replace":
        holder.parts[0] = extra
        expected = ["c", "b"]
    elif change == "remove":
        holder.parts.pop(0)
        expected = ["b"]
    else:
        holder.parts[1].append(extra)
        expected = ["a", "b", "c"]
    assert [layer.name for layer in holder._flatten_layers(include_self=False)] == expected
    assert [path.split("/")[0] for path in step_paths(holder)[0][::2]] == expected


def test_changes_inside_dicts_and_tuples_are_seen():
    holder = Holder()
    inner = []
    a, b, c = (built(Linear(2, name=name)) for name in "abc")
    holder.parts = {"pair": (a, inner)}
    holder.weights
    inner.append(b)  # a list inside a tuple inside a dict
    assert [layer.name for layer in holder._flatten_layers(include_self=False)] == ["a", "b"]
    holder.parts["pair"] = ()
    holder.parts["new"] = c
    assert [layer.name for layer in holder._flatten_layers(include_self=False)] == ["c"]
    assert step_paths(holder) == (["c/kernel", "c/bias"], [])


def test_add_weight_after_a_walk_is_seen():
    holder = Holder()
    holder.weights
    holder.add_weight(shape=(2,), name="late")
    assert step_paths(holder) == (["holder/late"], [])


def test_variables_appended_to_own_variables_are_seen():
    # Also on a model whose children are not its attributes.
    model = lamella.Sequential([Linear(2)])
    loose = lamella.Variable(np.zeros(2, np.float32), name="loose")
    model.weights
    model._own_variables.append(loose)
    assert step_paths(model) == (["loose"], [])


def test_trainable_flags_of_layers_and_variables_are_seen():
    holder = Holder()
    holder.part = built(Linear(2, name="part"))
    assert step_paths(holder) == (["part/kernel", "part/bias"], [])
    holder.part.trainable = False
    assert step_paths(holder) == ([], ["part/kernel", "part/bias"])
    holder.part.trainable = True
    assert step_paths(holder) == (["part/kernel", "part/bias"], [])
    holder.part.kernel.trainable = False
    assert step_paths(holder) == (["part/bias"], ["part/kernel"])
    assert paths(holder.non_trainable_weights) == ["part/kernel"]


def test_state_flags_of_variables_are_seen():
    holder = Holder()
    state = holder.add_weight(shape=(2,), name="state")
    assert step_paths(holder) == (["holder/state"], [])
    state._is_layer_state = True  # a recurrent state is never trained
    assert step_paths(holder) == ([], [])


def test_replacing_a_seed_generators_state_is_seen():
    holder = Holder()
    holder.seed = SeedGenerator(1)
    other = SeedGenerator(2).state
    first = holder._step_variables()[1]
    holder.seed.state = other
    now = holder._step_variables()[1]
    assert len(first) == len(now) == 1 and now[0] is other is not first[0]


def test_sequential_add_and_pop_after_a_prediction_change_the_prediction():
    model = lamella.Sequential([lamella.Input((3,)), Linear(4)])
    x = np.ones((2, 3), np.float32)
    last = built(Linear(1), features=4)
    assert model.predict_on_batch(x).shape == (2, 4)
    model.add(last)
    assert model.predict_on_batch(x).shape == (2, 1)
    assert len(model.weights) == 4
    model.pop()
    assert model.predict_on_batch(x).shape == (2, 4) and len(model.weights) == 2


def test_a_subclassed_models_list_change_reaches_predict():
    class Stack(lamella.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [Linear(3)]

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    model = Stack()
    x = np.ones((2, 3), np.float32)
    block = built(Linear(3))
    before = model.predict_on_batch(x)
    model.blocks.append(block)
    after = model.predict_on_batch(x)
    assert len(model.weights) == 4
    expected = np.asarray(model.blocks[1](model.blocks[0](x)))
    np.testing.assert_allclose(after, expected, rtol=1e-6)
    assert not np.allclose(before, after)


def test_a_change_during_a_walk_makes_it_stale():
    holder = Holder()
    walk = layer_walk.LayerWalk(holder)  # the count is read when a walk starts
    layer_walk.note_change()
    walk.layer_variables = []
    assert not walk.is_current(holder)


def test_copies_walk_their_own_layers():
    holder = Holder()
    holder.parts = [built(Linear(2, name="a"))]
    holder.weights
    shallow = copy.copy(holder)
    assert shallow._current_walk() is not holder._current_walk()
    assert shallow._current_walk().layer_variables[0][0] is shallow
    for twin in (copy.deepcopy(holder), pickle.loads(pickle.dumps(holder))):
        assert twin._cached_walk is None
        assert [id(v) for v in twin.weights] != [id(v) for v in holder.weights]
        assert paths(twin.weights) == paths(holder.weights)


def test_the_check_reports_a_change_made_behind_the_layers_back(monkeypatch):
    holder = Holder()
    hidden = built(Linear(2, name="hidden"))
    holder.weights
    holder.__dict__["hidden"] = hidden  # no __setattr__: no change is counted
    monkeypatch.setenv("LAMELLA_CHECK_LAYER_WALKS", "1")
    with pytest.raises(RuntimeError, match=r"kept walk of 'holder'.*stale at entry 1.*nothing.*'hidden'"):
        holder.weights


def test_the_check_reports_a_flag_changed_behind_the_walks_back(monkeypatch):
    holder = Holder()
    holder.part = built(Linear(2, name="part"))
    holder._step_variables()
    holder.part.kernel.__dict__["_walked_trainable"] = False  # no change counted
    monkeypatch.setenv("LAMELLA_CHECK_LAYER_WALKS", "1")
    with pytest.raises(RuntimeError, match=r"kept trainable and non-trainable variables of 'holder' are stale"):
        holder._step_variables()
