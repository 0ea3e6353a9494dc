"""A walk of a layer tree, kept until something it read changes.

Every ``predict_on_batch``, ``train_on_batch`` and ``fit`` asks the model for its
variables, and finding them means visiting every attribute of every layer: 1.9 ms
for ResNet50's 177 layers when a 30 ms batch-1 prediction has just pushed them out
of the processor's caches. A ``LayerWalk`` is that result together with a record
of what it read, so that the next call can tell in a fraction of that time whether
it still holds. What a walk reads, and how each is seen to change:

- a layer's attributes: assigning or deleting one that holds (or held) a layer, a
  variable, a seed generator or a container, or the ``_trainable`` flag, counts as a
  change (``Layer.__setattr__`` calls ``note_change``), as does setting a
  variable's ``trainable`` or state flags;
- lists and dicts held in attributes change without telling their layer, so the
  walk keeps a shallow copy of each and compares the items by identity;
- a layer whose children do not come from its attributes (``_direct_children``
  redefined, as ``Sequential`` and functional models do) is asked for them again and
  they are compared the same way; so is a seed generator's ``state``.

Set ``LAMELLA_CHECK_LAYER_WALKS=1`` to have every reuse of a walk checked against a
fresh one (the test suite runs this way): a mismatch raises instead of letting a
change go unseen.
"""

import itertools
import operator
import os

_changes = 0


def note_change():
    """Record that something a walk reads has changed. Called after the change: a
    walk that started before it then carries an older count and is not reused."""
    global _changes
    _changes += 1


def checking():
    """Whether reused walks are checked against fresh ones."""
    return os.environ.get("LAMELLA_CHECK_LAYER_WALKS", "") not in ("", "0")


def same_items(live, copy):
    """Whether ``live`` holds the very objects of ``copy``, in order."""
    return len(live) == len(copy) and all(map(operator.is_, live, copy))


def _forgotten():
    return None


class LayerWalk:
    """What a walk from ``root`` found (``layer_variables``: ``[(layer, its own
    variables)]``; ``step_variables``, filled in by its user) and what it read."""

    def __init__(self, root):
        self.root = root
        self.layer_variables = None
        self.step_variables = None
        # Read before walking: a change made while the walk runs makes it stale.
        self._version = _changes
        # The lists and dict values read, their lengths and all their items in
        # one list: checking them is then two loops in C.
        self._containers = []
        self._lengths = []
        self._items = []
        self._sources = []
        self._source_items = []
        self._watched = set()

    def watch_container(self, container):
        """Remember a list's items (or a dict's values) as the walk saw them."""
        if id(container) in self._watched:
            return
        self._watched.add(id(container))
        live = container.values() if isinstance(container, dict) else container
        self._containers.append(live)
        self._lengths.append(len(live))
        self._items.extend(live)

    def watch_source(self, source, items):
        """Remember that calling ``source()`` gave ``items``."""
        self._sources.append(source)
        self._source_items.append(list(items))

    def is_current(self, root):
        """Whether a walk from ``root`` now would find what this one found."""
        return (
            self.root is root
            and self._version == _changes
            and list(map(len, self._containers)) == self._lengths
            and all(map(operator.is_, itertools.chain.from_iterable(self._containers), self._items))
            and all(same_items(source(), items) for source, items in zip(self._sources, self._source_items))
        )

    # A copied layer walks again: its copy of this record would describe the
    # original's containers, not its own.
    def __reduce__(self):
        return (_forgotten, ())

    def __copy__(self):
        return None

    def __deepcopy__(self, memo):
        return None


class WalkedAttribute:
    """An attribute of a non-layer object that walks read (a variable's
    ``trainable`` and state flags): setting it counts as a change."""

    def __init__(self, default):
        self.default = default

    def __set_name__(self, owner, name):
        self.key = f"_walked_{name}"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.key, self.default)

    def __set__(self, obj, value):
        obj.__dict__[self.key] = value
        note_change()
