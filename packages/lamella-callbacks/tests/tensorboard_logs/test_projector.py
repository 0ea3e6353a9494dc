"""``TensorBoard(embeddings_freq=...)``: the Projector files hold the trained tables
of the epochs due, TensorBoard's own projector plugin serves them with their
labels, and the arguments are checked."""

import os
import warnings

import jax.numpy as jnp
import numpy as np
import pytest
import werkzeug.test
from google.protobuf import text_format
from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

import lamella
from lamella.callbacks import LambdaCallback, TensorBoard
from lamella.callbacks.tensorboard_logs import projector
from lamella.engine.layer import Layer
from lamella.testing import Linear, PlainSGD, squared_error
from lamella.training.callbacks import Callback


class Lookup(Layer):
    """An embedding layer on lamella-core alone (lamella-layers is not installed
    with lamella-callbacks): the mean of the rows of the ids, from a 2-D
    ``embeddings`` weight, the contract ``TensorBoard`` finds embedding layers by."""

    def __init__(self, input_dim, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = input_dim, output_dim

    def build(self, input_shape):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim), name="embeddings",
                                          initializer="uniform")

    def call(self, inputs):
        return jnp.take(self.embeddings.value, inputs.astype(jnp.int32), axis=0).mean(axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)


class Encoder(Layer):
    """A layer holding an embedding layer as an attribute."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lookup = Lookup(8, 2, name="inner_words")

    def call(self, inputs):
        return self.lookup(inputs)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2)


class Sum(Layer):
    def call(self, inputs):
        return inputs[0] + inputs[1]

    def compute_output_shape(self, input_shape):
        return input_shape[0]


class Snapshots(Callback):
    """After the callbacks before it, records at each epoch end the table file's
    bytes and modification time, and the layer's table."""

    reads_model_per_batch = False

    def __init__(self, path, layer):
        super().__init__()
        self.path, self.layer = path, layer
        self.files, self.tables = [], []

    def on_epoch_end(self, epoch, logs=None):
        if os.path.exists(self.path):
            with open(self.path, "rb") as f:
                self.files.append((f.read(), os.stat(self.path).st_mtime_ns))
        else:
            self.files.append(None)
        self.tables.append(np.array(self.layer.embeddings.value))


def _ids_problem(n=48, vocabulary=12, length=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, vocabulary, size=(n, length)).astype(np.int32)
    y = rng.normal(size=(n, 1)).astype(np.float32)
    return x, y


def _lookup_model(vocabulary=12, seed=3):
    lamella.utils.set_random_seed(seed)
    model = lamella.Sequential([lamella.Input((4,), dtype="int32"), Lookup(vocabulary, 3, name="words"), Linear(1)])
    model.compile(optimizer=PlainSGD(0.5), loss=squared_error)
    return model


def _write_labels(path, count):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"word{i}\n" for i in range(count)))
    return path


def _config(run_dir):
    return text_format.Parse((run_dir / "projector_config.pbtxt").read_text(), ProjectorConfig())


def _table(path):
    return np.loadtxt(path, delimiter="\t", dtype=np.float32, ndmin=2)


def test_the_tables_written_are_the_trained_ones_of_the_epochs_due(tmp_path):
    x, y = _ids_problem()
    model = _lookup_model()
    layer = model.layers[0]
    initial = np.array(layer.embeddings.value)
    labels = _write_labels(tmp_path / "elsewhere" / "labels.tsv", 12)  # absolute, outside log_dir
    log_dir = tmp_path / "logs"
    callback = TensorBoard(log_dir, embeddings_freq=2, embeddings_metadata=str(labels), write_graph=False)
    assert not callback.uses_batch_hooks("train")  # tables are read at epoch ends only
    table_file = log_dir / "train" / "embeddings" / "words" / "tensor.tsv"
    snapshots = Snapshots(table_file, layer)
    model.fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=[callback, snapshots])

    # Keras's rule, as for histogram_freq: written after epochs 0 and 2.
    first, unchanged, third, still = snapshots.files
    assert first is not None and unchanged == first and still == third and third[0] != first[0]
    for epoch, (data, _) in ((0, first), (2, third)):
        (tmp_path / "read.tsv").write_bytes(data)
        written = _table(tmp_path / "read.tsv")
        np.testing.assert_allclose(written, snapshots.tables[epoch], rtol=1e-5, atol=1e-7)
        assert not np.allclose(written, initial, atol=1e-4)  # trained, not the initial table
    assert not np.allclose(_table(table_file), snapshots.tables[3], atol=1e-6)  # epoch 3 not written

    [entry] = _config(log_dir / "train").embeddings
    assert entry.tensor_name == "words/embeddings"
    assert entry.tensor_path == "embeddings/words/tensor.tsv"
    assert list(entry.tensor_shape) == [12, 3]
    assert entry.metadata_path == "embeddings/words/metadata.tsv"
    assert (log_dir / "train" / entry.metadata_path).read_bytes() == labels.read_bytes()


def _projector_app(logdir):
    """TensorBoard's projector plugin on ``logdir``, as its HTTP routes (a WSGI app),
    with the data provider ``tensorboard --load_fast false`` gives it."""
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.projector.projector_plugin import ProjectorPlugin

    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    context = base_plugin.TBContext(
        logdir=str(logdir), multiplexer=multiplexer,
        data_provider=data_provider.MultiplexerDataProvider(multiplexer, str(logdir)),
    )
    routes = ProjectorPlugin(context).get_plugin_apps()
    return werkzeug.test.Client(lambda environ, start: routes[environ["PATH_INFO"]](environ, start))


def test_tensorboards_projector_serves_the_tables_and_labels(tmp_path):
    x, y = _ids_problem()
    model = _lookup_model()
    # `tensorboard --logdir` on a parent of the log folder, as with one folder per run.
    log_dir = tmp_path / "runs" / "first"
    labels = _write_labels(log_dir / "labels.tsv", 12)  # relative to log_dir, as Keras documents
    model.fit(x, y, validation_data=(x, y), epochs=2, batch_size=8, verbose=0,
              callbacks=[TensorBoard(log_dir, embeddings_freq=1, embeddings_metadata={"words": "labels.tsv"})])
    client = _projector_app(tmp_path / "runs")

    assert client.get("/runs").json == ["first/train"]
    config = client.get("/info", query_string={"run": "first/train"}).json
    [entry] = config["embeddings"]
    assert entry["tensorName"] == "words/embeddings"
    assert [int(n) for n in entry["tensorShape"]] == [12, 3]
    tensor = client.get("/tensor", query_string={"run": "first/train", "name": "words/embeddings"})
    assert tensor.status_code == 200, tensor.text
    served = np.frombuffer(tensor.data, dtype=np.float32).reshape(12, 3)
    np.testing.assert_allclose(served, np.asarray(model.layers[0].embeddings.value), rtol=1e-5, atol=1e-7)
    metadata = client.get("/metadata", query_string={"run": "first/train", "name": "words/embeddings"})
    assert metadata.status_code == 200, metadata.text
    assert metadata.text == labels.read_text()


def test_embedding_layers_of_nested_models_and_layers_are_all_written(tmp_path):
    x, _ = _ids_problem(vocabulary=8)
    lamella.utils.set_random_seed(0)
    inner = lamella.Sequential([lamella.Input((4,), dtype="int32"), Lookup(8, 3, name="words")])
    ids = lamella.Input((4,), dtype="int32")
    outputs = Sum()([Linear(1)(Encoder(name="encoder")(ids)), Linear(1)(inner(ids))])
    model = lamella.Model(ids, outputs)
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    labels = _write_labels(tmp_path / "inner.tsv", 8)
    # The encoder builds its lookup in the first training step, after fit has
    # started the callbacks: its metadata is checked when the tables are written.
    model.fit(x, np.ones((len(x), 1), np.float32), epochs=1, batch_size=8, verbose=0,
              callbacks=[TensorBoard(tmp_path, embeddings_freq=1, write_graph=False,
                                     embeddings_metadata={"inner_words": "inner.tsv"})])
    assert [layer.name for layer in projector.embedding_layers(model)] == ["inner_words", "words"]
    entries = {e.tensor_name: e for e in _config(tmp_path / "train").embeddings}
    assert sorted(entries) == ["inner_words/embeddings", "words/embeddings"]
    for layer in projector.embedding_layers(model):
        entry = entries[f"{layer.name}/embeddings"]
        np.testing.assert_allclose(_table(tmp_path / "train" / entry.tensor_path),
                                   np.asarray(layer.embeddings.value), rtol=1e-5, atol=1e-7)
    assert (tmp_path / "train" / entries["inner_words/embeddings"].metadata_path).read_bytes() == labels.read_bytes()
    assert not entries["words/embeddings"].metadata_path


def test_metadata_naming_a_layer_built_late_that_holds_no_table_is_refused_at_the_first_write(tmp_path):
    class Late(Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = Linear(1, name="late_linear")

        def call(self, inputs):
            return self.dense(inputs.astype("float32"))

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 1)

    x, y = _ids_problem()
    ids = lamella.Input((4,), dtype="int32")
    model = lamella.Model(ids, Sum()([Late()(ids), Linear(1)(Lookup(12, 3, name="words")(ids))]))
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    callback = TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata={"late_linear": "a.tsv"})
    trained = []
    with pytest.raises(ValueError, match=r"not embedding layers of the model: \['late_linear'\]"):
        model.fit(x, y, epochs=2, batch_size=8, verbose=0,
                  callbacks=[LambdaCallback(on_epoch_end=lambda e, logs: trained.append(e)), callback])
    assert trained == [0]  # the layer was not built when fit started: judged after epoch 0
    assert not (tmp_path / "train" / "projector_config.pbtxt").exists()


def test_layers_sharing_a_name_get_their_own_folders():
    class Holder(Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first, self.second = Lookup(5, 2, name="table"), Lookup(6, 2, name="table")
            for lookup in (self.first, self.second):
                lookup.build((None, 4))

    writer = projector.EmbeddingProjector("logs", "logs/train", None)
    writer.start(Holder())
    assert [(t.folder, t.tensor_name) for t in writer.tables] == [
        ("table", "table/embeddings"), ("table_2", "table_2/embeddings"),
    ]


def test_a_model_without_embedding_layers_warns_once_and_writes_nothing(tmp_path, problem, make_model):
    x, y = problem(20)
    model = make_model()
    callback = TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata="labels.tsv", write_graph=False)
    with pytest.warns(UserWarning, match="found no embedding layer in the model"):
        model.fit(x, y, epochs=2, verbose=0, callbacks=[callback])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])
    assert not (tmp_path / "train" / "projector_config.pbtxt").exists()
    assert not (tmp_path / "train" / "embeddings").exists()


def test_a_failed_write_leaves_the_previous_files_whole(tmp_path, monkeypatch):
    x, y = _ids_problem()
    model = _lookup_model()
    callback = TensorBoard(tmp_path, embeddings_freq=1, write_graph=False)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[callback])
    folder = tmp_path / "train" / "embeddings" / "words"
    before = (folder / "tensor.tsv").read_bytes(), (tmp_path / "train" / "projector_config.pbtxt").read_bytes()

    def torn_savetxt(f, values, **kwargs):
        f.write("0.5\t0.25\n")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savetxt", torn_savetxt)
    with pytest.raises(OSError, match="disk full"):
        model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[callback])
    after = (folder / "tensor.tsv").read_bytes(), (tmp_path / "train" / "projector_config.pbtxt").read_bytes()
    assert after == before
    assert sorted(os.listdir(folder)) == ["tensor.tsv"]  # no temporary file left


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"embeddings_freq": -1}, ValueError, "non-negative integer for embeddings_freq. Received: embeddings_freq=-1"),
        ({"embeddings_freq": 1.5}, ValueError, "Received: embeddings_freq=1.5"),
        ({"embeddings_freq": True}, ValueError, "Received: embeddings_freq=True"),
        ({"embeddings_metadata": 3}, TypeError, "a metadata file name .* Received: embeddings_metadata=3"),
        ({"embeddings_metadata": ["labels.tsv"]}, TypeError, r"Received: embeddings_metadata=\['labels.tsv'\]"),
        ({"embeddings_metadata": ""}, TypeError, "Received: embeddings_metadata=''"),
        ({"embeddings_metadata": {"words": 3}}, TypeError,
         r"map layer names .* Received: embeddings_metadata=\{'words': 3\}"),
        ({"embeddings_metadata": {1: "labels.tsv"}}, TypeError, "map layer names"),
    ],
)
def test_bad_embeddings_arguments_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        TensorBoard(**kwargs)


def test_metadata_naming_a_layer_that_is_not_an_embedding_layer_is_refused_when_fit_starts(tmp_path):
    x, y = _ids_problem()
    model = _lookup_model()
    linear = model.layers[1].name
    callback = TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata={"words": "a.tsv", linear: "b.tsv"})
    epochs = []
    with pytest.raises(ValueError, match=rf"not embedding layers of the model: \['{linear}'\]\. "
                                         r"The model's embedding layers: \['words'\]"):
        model.fit(x, y, epochs=1, verbose=0,
                  callbacks=[callback, LambdaCallback(on_epoch_begin=lambda e, logs: epochs.append(e))])
    assert epochs == []  # refused before training


def test_a_missing_metadata_file_is_refused_when_fit_starts(tmp_path):
    x, y = _ids_problem()
    with pytest.raises(FileNotFoundError, match=r"embeddings_metadata file of layer 'words': .*missing\.tsv"):
        _lookup_model().fit(x, y, epochs=1, verbose=0,
                            callbacks=[TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata="missing.tsv")])


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("a\nb\nc\n", 3),
        ("a\n\nb\nc", 3),  # blank lines are skipped
        ("word\tcount\na\t1\nb\t2\nc\t3\n", 3),  # several columns: a header line
        ("a\nb\n", 2),
    ],
)
def test_metadata_rows_are_counted_as_the_projector_reads_them(text, rows):
    assert projector._metadata_rows(text.encode()) == rows


def test_metadata_with_the_wrong_number_of_rows_is_warned_about(tmp_path):
    x, y = _ids_problem()
    _write_labels(tmp_path / "labels.tsv", 11)  # the table has 12 rows (a forgotten padding id)
    with pytest.warns(UserWarning, match=r"has 11 label rows, but the layer's table has 12 rows"):
        _lookup_model().fit(x, y, epochs=1, verbose=0,
                            callbacks=[TensorBoard(tmp_path, embeddings_freq=1, embeddings_metadata="labels.tsv")])
    assert (tmp_path / "train" / "embeddings" / "words" / "metadata.tsv").exists()
