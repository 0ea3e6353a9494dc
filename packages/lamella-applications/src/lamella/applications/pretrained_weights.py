"""Where the application models get their weights: Keras's ImageNet files or a path.

``weights="imagenet"`` fetches the file Keras distributes for the model, from the
same address under the same name, through ``lamella.utils.get_file``: downloaded once
into ``$LAMELLA_HOME/models`` (default ``~/.lamella/models``), its md5 checked
against the hash Keras publishes, renamed into place only when it matches. Set
``LAMELLA_APPLICATIONS_BASE_URL`` to fetch from a mirror (or a local server) instead of
``storage.googleapis.com``; the file names and hashes stay the same.

A path loads a local weight file: a Keras 2 (legacy) ``.h5`` as the ImageNet files
are distributed, a Keras 3 ``.weights.h5``, or a file lamella wrote.
"""

import os

BASE_URL_ENV = "LAMELLA_APPLICATIONS_BASE_URL"
DEFAULT_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
CACHE_SUBDIR = "models"

# The md5 of each Keras application file: (with the classifier top, without it).
# These are the hashes keras.applications checks; the files are named
# "<model>_weights_tf_dim_ordering_tf_kernels[_notop].h5" in the "resnet/" folder.
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
WEIGHTS_FOLDER = "resnet/"


def base_url():
    """The folder the application files are fetched from (ends with ``/``)."""
    url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return url if url.endswith("/") else url + "/"


def weights_file_name(weights_name, include_top):
    suffix = "" if include_top else "_notop"
    return f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"


def check_weights_argument(weights, model_name):
    """``weights`` must be ``None``, ``'imagenet'`` or an existing file."""
    if weights is None or (isinstance(weights, str) and weights == "imagenet"):
        return
    if isinstance(weights, str | os.PathLike) and os.path.isfile(weights):
        return
    raise ValueError(
        f"{model_name} expected weights to be None (random initialization), "
        "'imagenet' (pre-training on ImageNet) or the path of an existing weight "
        f"file. Received: weights={weights!r}"
    )


def fetch_imagenet_weights(weights_name, include_top):
    """The local path of the ImageNet file of ``weights_name``, downloading it once."""
    from lamella.utils import get_file

    if weights_name not in WEIGHTS_HASHES:
        raise ValueError(
            f"No ImageNet weights are known for {weights_name!r}; known: "
            f"{sorted(WEIGHTS_HASHES)}."
        )
    file_name = weights_file_name(weights_name, include_top)
    file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    return get_file(
        file_name,
        base_url() + WEIGHTS_FOLDER + file_name,
        cache_subdir=CACHE_SUBDIR,
        file_hash=file_hash,
        hash_algorithm="md5",
    )


def _legacy_layer_names(path):
    """The names of the layers holding weights in a Keras 2 ``.h5`` file, or
    ``None`` when the file has another layout."""
    import h5py

    from lamella.saving import keras_weights

    with h5py.File(path, "r") as h5:
        if not keras_weights.is_legacy_weights(h5):
            return None
        root = keras_weights.weights_root(h5)
        return {
            name for name in keras_weights.read_attribute(root, "layer_names")
            if name in root and len(keras_weights.read_attribute(root[name], "weight_names"))
        }


def load_weights_file(model, path):
    """Loads a local weight file into an application model.

    A Keras 2 file that names every weighted layer of the model is matched by layer
    name (the ImageNet files carry Keras's layer names), which does not depend on
    the order a framework lists layers in; any other file is matched by topology.
    Nothing is assigned unless the whole file fits.
    """
    from lamella.saving import saving_api

    path = os.fspath(path)
    names = _legacy_layer_names(path)
    wanted = {layer.name for layer in model.layers if layer.weights}
    by_name = names is not None and wanted <= names and len(names) == len(wanted)
    saving_api.load_weights(model, path, by_name=by_name)


def load_application_weights(model, weights, weights_name, include_top):
    """Loads ``weights`` (``'imagenet'``, a path or ``None``) into ``model``."""
    if weights is None:
        return
    if isinstance(weights, str) and weights == "imagenet":
        weights = fetch_imagenet_weights(weights_name, include_top)
    load_weights_file(model, weights)
