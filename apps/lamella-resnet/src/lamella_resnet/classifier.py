"""An image classifier as the app sees it: a model, its labels, its input size and
its preprocessing.

Three sources:

- the embedded demo model (``ImageClassifier.demo()``), a small ResNet on shapes;
- ResNet50 with Keras's ImageNet weights (``ImageClassifier.imagenet(weights)``),
  through ``lamella.applications`` (``"imagenet"`` downloads once; a path loads a
  local ``.h5`` / ``.weights.h5``);
- any lamella image classifier saved as ``.keras`` / ``.h5``
  (``ImageClassifier.from_model_file(path)``) with a label sidecar: ``NAME.labels.json``
  beside ``NAME.keras`` (or ``labels.json`` in the same folder), holding either a JSON
  list of class names or an object ``{"labels": [...], "input_size": [h, w],
  "preprocessing": "none" | "rescale" | "caffe" | "tf" | "torch"}``. The input size
  defaults to the model's input shape, the preprocessing to ``"none"`` (raw 0-255
  pixels).
"""

import json
from importlib import resources
from pathlib import Path

import numpy as np

PREPROCESSING = ("none", "rescale", "caffe", "tf", "torch")
# Batches are padded up to one of these sizes, so a server compiles a handful of
# programs instead of one per batch size it happens to see.
_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)


def sidecar_path(model_path):
    """Where the label sidecar of ``model_path`` is looked for first."""
    path = Path(model_path)
    name = path.name
    for suffix in (".weights.h5", ".keras", ".h5", ".hdf5"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return path.with_name(name + ".labels.json")


def read_sidecar(model_path):
    """The sidecar of ``model_path`` as a dict with ``labels`` (and maybe
    ``input_size``, ``preprocessing``)."""
    candidates = [sidecar_path(model_path), Path(model_path).with_name("labels.json")]
    for candidate in candidates:
        if candidate.is_file():
            try:
                info = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise ValueError(f"Could not read the label file {candidate}: {error}") from None
            if isinstance(info, list):
                info = {"labels": info}
            if not isinstance(info, dict) or not isinstance(info.get("labels"), list):
                raise ValueError(
                    f"{candidate} must hold a JSON list of class names or an object with a "
                    f"'labels' list. Received: {type(info).__name__}")
            info["source"] = str(candidate)
            return info
    raise FileNotFoundError(
        f"No label list for {model_path}: write the class names as a JSON list to "
        f"{candidates[0]} (or {candidates[1]}); see docs/app.md.")


class ImageClassifier:
    """Classifies RGB images with a lamella model into top-k labelled scores.

    Args:
        model: a lamella model mapping ``(batch, height, width, 3)`` images to class
            probabilities.
        labels: one name per output class.
        input_size: ``(height, width)`` the images are resized to.
        preprocessing: how 0-255 pixels are transformed before the model (one of
            ``"none"``, ``"rescale"`` (``/255``), ``"caffe"``, ``"tf"``, ``"torch"``).
        name: what the app calls this model in its messages.
        decoder: optional ``decoder(probs, top)`` returning per-image lists of
            ``(id, label, score)``; by default the labels are used.

    Example:

    >>> classifier = ImageClassifier.demo()  # doctest: +SKIP
    >>> classifier.classify([image], top=1)  # doctest: +SKIP
    [[{'label': 'star', 'index': 3, 'score': 0.99}]]
    """

    def __init__(self, model, labels, input_size, preprocessing="none", name="model", decoder=None):
        if preprocessing not in PREPROCESSING:
            raise ValueError(f"ImageClassifier expected preprocessing in {PREPROCESSING}. "
                             f"Received: preprocessing={preprocessing!r}")
        outputs = model.output_shape[-1]
        if labels is not None and len(labels) != outputs:
            raise ValueError(f"The model {name} has {outputs} outputs but its label list has "
                             f"{len(labels)} names.")
        self.model = model
        self.labels = list(labels) if labels is not None else None
        self.input_size = (int(input_size[0]), int(input_size[1]))
        self.preprocessing = preprocessing
        self.name = name
        self.decoder = decoder
        self.is_demo = False

    # -- construction --------------------------------------------------------------

    @classmethod
    def from_model_file(cls, path, name=None):
        """A saved lamella classifier and its label sidecar (see the module docstring)."""
        from lamella.saving import load_model

        info = read_sidecar(path)
        model = load_model(path, compile=False)
        size = info.get("input_size") or model.input_shape[1:3]
        if size is None or None in tuple(size):
            raise ValueError(f"{path} accepts any image size: give 'input_size' in {sidecar_path(path)}.")
        return cls(model, info["labels"], size, info.get("preprocessing", "none"),
                   name=name or Path(path).name)

    @classmethod
    def demo(cls):
        """The embedded demo model: a small ResNet that tells shapes apart."""
        data = resources.files("lamella_resnet") / "data" / "demo_shapes.keras"
        with resources.as_file(data) as path:
            classifier = cls.from_model_file(path, name="the embedded demo model (shapes)")
        classifier.is_demo = True
        return classifier

    @classmethod
    def imagenet(cls, weights="imagenet"):
        """ResNet50 with Keras's ImageNet weights (``"imagenet"`` or a local file)."""
        try:
            from lamella import applications
            from lamella.applications import resnet
            build = applications.ResNet50
        except (ImportError, AttributeError) as error:
            raise RuntimeError(
                "ImageNet weights need lamella.applications.ResNet50 from the "
                f"lamella-applications distribution ({error}): pip install lamella-applications"
            ) from None
        model = build(weights=weights)

        def decoder(probs, top):
            decoded = resnet.decode_predictions(np.asarray(probs), top=top)
            return [[(wnid, label, float(score)) for wnid, label, score in row] for row in decoded]

        classifier = cls(model, None, (224, 224), "caffe", name="ResNet50 (ImageNet)", decoder=decoder)
        classifier._resnet_preprocess = resnet.preprocess_input
        return classifier

    # -- inference -------------------------------------------------------------------

    def prepare(self, image):
        """One PIL image as a float32 array of the model's input size (RGB, 0-255)."""
        if image.mode != "RGB":
            image = image.convert("RGB")
        height, width = self.input_size
        if image.size != (width, height):
            image = image.resize((width, height), resample=2)  # bilinear
        return np.asarray(image, dtype=np.float32)

    def _preprocess(self, batch):
        if self.preprocessing == "none":
            return batch
        if self.preprocessing == "rescale":
            return batch / np.float32(255.0)
        preprocess = getattr(self, "_resnet_preprocess", None)
        if preprocess is not None and self.preprocessing == "caffe":
            return preprocess(batch)
        from lamella.applications.imagenet_utils import preprocess_input

        return preprocess_input(batch, mode=self.preprocessing)

    def predict(self, batch):
        """Class probabilities ``(n, classes)`` for prepared images ``(n, h, w, 3)``."""
        batch = np.asarray(batch, np.float32)
        count = len(batch)
        if count == 0:
            return np.zeros((0, self.model.output_shape[-1]), np.float32)
        size = next((b for b in _BUCKETS if b >= count), count)
        if size != count:
            batch = np.concatenate([batch, np.zeros((size - count, *batch.shape[1:]), np.float32)])
        probs = self.model.predict(self._preprocess(batch), batch_size=size, verbose=0)
        return np.asarray(probs)[:count]

    def warmup(self, max_batch=1):
        """Compiles the prediction programs for every batch bucket up to ``max_batch``."""
        height, width = self.input_size
        for size in _BUCKETS:
            self.predict(np.zeros((size, height, width, 3), np.float32))
            if size >= max_batch:
                break

    def top_k(self, probs, top=5):
        """Per image, a list of ``{"label", "score", "index"/"id"}`` dicts, best first."""
        probs = np.asarray(probs)
        top = max(1, min(int(top), probs.shape[-1]))
        if self.decoder is not None:
            return [[{"label": label, "id": wnid, "score": round(score, 6)} for wnid, label, score in row]
                    for row in self.decoder(probs, top)]
        results = []
        for row in probs:
            order = np.argsort(-row, kind="stable")[:top]
            results.append([{"label": self.labels[i], "index": int(i), "score": round(float(row[i]), 6)}
                            for i in order])
        return results

    def classify(self, images, top=5):
        """Top-k predictions for a list of PIL images."""
        batch = np.stack([self.prepare(image) for image in images]) if images else np.zeros((0,))
        return self.top_k(self.predict(batch), top) if len(images) else []

    def describe(self):
        """One line for the console: which model, and how to switch when it is the demo."""
        if self.is_demo:
            return (f"Using {self.name}: it knows {', '.join(self.labels)}. For real photos use "
                    "ResNet50 with ImageNet weights: --weights imagenet (downloads ~100 MB once) "
                    "or --weights PATH.h5; or your own classifier: --model PATH.keras.")
        return f"Using {self.name} ({self.input_size[0]}x{self.input_size[1]} input)."
