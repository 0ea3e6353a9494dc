"""``EmbeddingProjector``: the files TensorBoard's Projector tab reads, without
TensorFlow checkpoints.

``TensorBoard(embeddings_freq=N)`` writes, in the ``train`` run::

    <log_dir>/train/projector_config.pbtxt          text-format ``ProjectorConfig``
    <log_dir>/train/embeddings/<layer>/tensor.tsv   the table, one row per line
    <log_dir>/train/embeddings/<layer>/metadata.tsv a copy of the layer's labels

The projector reads a ``projector_config.pbtxt`` in each run folder and loads
every entry's ``tensor_path`` as a TSV of floats, so no checkpoint reader (and no
TensorFlow) is involved. Each write replaces the tables: the projector shows the
latest epoch written, as Keras's checkpoint-based projector did, and the log
folder does not grow with the epochs.

The config lives in the ``train`` run, not in ``log_dir`` itself as Keras puts
it: TensorBoard finds it there also when ``--logdir`` is a parent of several log
folders. The projector serves only files inside the config's folder (it refuses
paths that resolve outside it), so the user's metadata files (relative to
``log_dir`` or absolute, as Keras documents them) are copied next to the tables.
"""

import os
import re
import warnings

import numpy as np

from lamella.engine.variable import Variable
from lamella.utils import file_io

_CONFIG_NAME = "projector_config.pbtxt"  # the name the projector plugin looks for
_FOLDER = "embeddings"
# Six significant digits: what a projection needs, and a 10,000 x 64 table stays
# about 5 MB of text.
_FLOAT_FORMAT = "%.6g"


def parse_metadata(metadata):
    """Checks ``TensorBoard(embeddings_metadata=...)``.

    Returns ``None``, one path (``str``, for every embedding layer) or a dict
    ``{layer name: path}``.
    """
    if metadata is None:
        return None
    if isinstance(metadata, dict):
        parsed = {}
        for name, path in metadata.items():
            if not isinstance(name, str) or _as_path(path) is None:
                raise TypeError(
                    "TensorBoard expected embeddings_metadata to map layer names (str) to "
                    f"metadata file names. Received: embeddings_metadata={metadata!r}"
                )
            parsed[name] = _as_path(path)
        return parsed
    path = _as_path(metadata)
    if path is None:
        raise TypeError(
            "TensorBoard expected embeddings_metadata to be a metadata file name (used for "
            "every embedding layer) or a dict {layer name: file name}. "
            f"Received: embeddings_metadata={metadata!r}"
        )
    return path


def _as_path(value):
    """``value`` as a non-empty ``str`` path, or ``None`` if it is not one."""
    if not isinstance(value, str | os.PathLike):
        return None
    path = os.fspath(value)
    return path if isinstance(path, str) and path else None


def embedding_layers(model):
    """The model and every layer in it (nested models and wrapped layers too) that
    holds an embedding table, each once, in the order the layers are walked.

    A layer holds a table when its ``embeddings`` attribute is a 2-D ``Variable``
    (rows are the ids): ``lamella.layers.Embedding`` does once built, and so does
    any layer written to the same contract. The duck typing is deliberate:
    lamella-callbacks is installed without lamella-layers, and a user's own lookup
    layer is shown too.
    """
    return [layer for layer in _all_layers(model) if _holds_table(layer)]


def _all_layers(model):
    found, seen = [], set()

    def walk(layer):
        if id(layer) in seen:
            return
        seen.add(id(layer))
        found.append(layer)
        for child in getattr(layer, "layers", None) or ():
            walk(child)

    walk(model)
    return found


def _holds_table(layer):
    table = getattr(layer, "embeddings", None)
    return isinstance(table, Variable) and table.ndim == 2


class _Table:
    """One embedding layer's entry: its folder, tensor name and metadata bytes."""

    def __init__(self, layer, folder, metadata):
        self.layer = layer
        self.folder = folder
        self.tensor_name = f"{folder}/{layer.embeddings.name}"
        self.metadata = metadata


class EmbeddingProjector:
    """Writes the embedding tables of a model for TensorBoard's Projector tab.

    ``start(model)`` finds the embedding layers (see ``embedding_layers``) and
    checks the metadata against them; ``write()`` writes every table (one
    device-to-host read per layer), the metadata copies, then the config, each
    file atomically, the config last so that it never names a missing file.

    A layer that builds its sublayers on its first call on data (a subclassed
    model or layer) may not hold its table yet when ``fit`` starts: ``write()``
    looks for the embedding layers again, and the checks of such a layer's
    metadata happen then.

    Args:
        log_dir: the TensorBoard log folder; relative metadata paths are read from it.
        run_dir: the run folder written to (``<log_dir>/train``).
        metadata: what ``parse_metadata`` returns.

    Example:

    >>> writer = EmbeddingProjector("logs", "logs/train", {"words": "labels.tsv"})
    >>> writer.tables  # filled by start(model)
    []
    """

    def __init__(self, log_dir, run_dir, metadata):
        self.log_dir = log_dir
        self.run_dir = run_dir
        self.metadata = metadata
        self.tables = []
        self._model = None
        self._warned_empty = False

    def start(self, model):
        """Finds the embedding layers of ``model`` and reads their metadata files.

        Raises:
            ValueError: ``metadata`` names a layer that is not an embedding layer.
            FileNotFoundError: a metadata file does not exist.
        """
        self._model = model
        self.tables = []
        self._find_tables(final=False)

    def _find_tables(self, final):
        layers = _all_layers(self._model)
        holders = [layer for layer in layers if _holds_table(layer)]
        # Layers not built yet may still create a table; only a write, after an
        # epoch has run every layer, judges them.
        waiting = [] if final else [layer for layer in layers if not _holds_table(layer)
                                    and not getattr(layer, "built", True)]
        names = [layer.name for layer in holders]
        if isinstance(self.metadata, dict):
            pending = {layer.name for layer in waiting}
            unknown = [name for name in self.metadata if name not in names and name not in pending]
            if unknown:
                raise ValueError(
                    "TensorBoard's embeddings_metadata names layers that are not embedding "
                    f"layers of the model: {unknown}. The model's embedding layers: {names} "
                    "(layers with a 2-D `embeddings` weight). Received: "
                    f"embeddings_metadata={self.metadata!r}"
                )
        if not holders and not waiting and not self._warned_empty:
            # Keras writes an empty projector config here; a warning says why the
            # Projector tab stays empty.
            warnings.warn(
                "TensorBoard(embeddings_freq=...) found no embedding layer in the model "
                "(a layer with a 2-D `embeddings` weight); nothing is written for the "
                "Projector.",
                stacklevel=4,
            )
            self._warned_empty = True
        if [id(layer) for layer in holders] == [id(table.layer) for table in self.tables]:
            return
        known = {id(table.layer): table.metadata for table in self.tables}
        tables, used = [], set()
        for layer in holders:
            folder = _unique(_folder_name(layer.name), used)
            if id(layer) in known:
                metadata = known[id(layer)]
            else:
                source = self._metadata_path(layer.name)
                metadata = None if source is None else _read_metadata(source, layer)
            tables.append(_Table(layer, folder, metadata))
        self.tables = tables

    def _metadata_path(self, layer_name):
        path = self.metadata.get(layer_name) if isinstance(self.metadata, dict) else self.metadata
        if path is None:
            return None
        # Keras documents metadata files relative to the log folder.
        return os.path.join(self.log_dir, os.path.expanduser(path))

    def write(self):
        """Writes every table, its metadata and the projector config."""
        self._find_tables(final=True)
        if not self.tables:
            return
        # Imported on first use, as in tensorboard.py: `import lamella.callbacks`
        # should not pay for importing the tensorboard package.
        from google.protobuf import text_format
        from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

        config = ProjectorConfig()
        for table in self.tables:
            folder = os.path.join(self.run_dir, _FOLDER, table.folder)
            os.makedirs(folder, exist_ok=True)
            # One device-to-host transfer per table; the projector reads float32.
            values = np.asarray(table.layer.embeddings.value).astype(np.float32, copy=False)
            with file_io.atomic_open(os.path.join(folder, "tensor.tsv"), "w", encoding="utf-8") as f:
                np.savetxt(f, values, fmt=_FLOAT_FORMAT, delimiter="\t")
            # Paths relative to the config: the log folder can be moved or copied.
            relative = f"{_FOLDER}/{table.folder}"
            entry = config.embeddings.add(tensor_name=table.tensor_name, tensor_path=f"{relative}/tensor.tsv")
            entry.tensor_shape.extend(values.shape)
            if table.metadata is not None:
                file_io.atomic_write_bytes(os.path.join(folder, "metadata.tsv"), table.metadata)
                entry.metadata_path = f"{relative}/metadata.tsv"
        file_io.atomic_write_text(os.path.join(self.run_dir, _CONFIG_NAME), text_format.MessageToString(config))


def _folder_name(layer_name):
    # Layer names become folder names: keep them to one safe path component.
    return re.sub(r"[^\w.-]", "_", layer_name).strip(".") or "embedding"


def _unique(name, used):
    # Layers of two nested models may share a name; their folders must not.
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}_{n}"
    used.add(candidate)
    return candidate


def _read_metadata(path, layer):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"TensorBoard could not find the embeddings_metadata file of layer "
            f"{layer.name!r}: {path} (relative paths are read from log_dir)."
        ) from None
    rows = _metadata_rows(data)
    expected = layer.embeddings.shape[0]
    if rows != expected:
        # The projector refuses labels whose count differs from the table's rows; a
        # warning (not an error) because training itself is not affected.
        warnings.warn(
            f"The embeddings_metadata file of layer {layer.name!r} ({path}) has {rows} "
            f"label rows, but the layer's table has {expected} rows: TensorBoard's "
            "Projector will not show these labels. A file with one column has one label "
            "per line and no header; one with several tab-separated columns starts with "
            "a header line.",
            stacklevel=4,
        )
    return data


def _metadata_rows(data):
    """The number of labels the projector reads from a metadata file: blank lines
    are skipped, and a first line with a tab is the column header."""
    lines = [line for line in data.decode("utf-8", errors="replace").splitlines() if line.strip()]
    header = bool(lines) and "\t" in lines[0]
    return len(lines) - header
