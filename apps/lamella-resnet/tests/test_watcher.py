from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lamella_resnet.watcher import FolderWatcher


class _FakeClassifier:
    """Labels an image by its mean brightness (the watcher's logic is what is tested)."""

    def classify(self, images, top=5):
        return [[{"label": "bright" if np.asarray(im).mean() > 127 else "dark", "score": 1.0}]
                for im in images]


def _watcher(folder, **kwargs):
    reports = []
    watcher = FolderWatcher(folder, _FakeClassifier(), report=lambda p, preds, msg: reports.append(
        (Path(p).name, preds[0]["label"] if preds else None, msg)), **kwargs)
    return watcher, reports


def test_watch_classifies_a_new_file_once_it_is_completely_written(tmp_path):
    Image.new("RGB", (8, 8), (250, 250, 250)).save(tmp_path / "old.png")
    watcher, reports = _watcher(tmp_path)
    watcher.poll()
    assert reports == []  # files present at start are not classified by default

    Image.new("RGB", (8, 8), (10, 10, 10)).save(tmp_path / "new.png")
    watcher.poll()
    assert reports == []  # first sight: it may still be growing
    watcher.poll()
    assert reports == [("new.png", "dark", None)]
    watcher.poll()
    assert len(reports) == 1  # classified once


def test_watch_waits_while_a_file_is_still_growing(tmp_path):
    watcher, reports = _watcher(tmp_path)
    full = (tmp_path / "src.png")
    Image.new("RGB", (32, 32), (200, 200, 200)).save(full)
    data = full.read_bytes()
    full.unlink()
    target = tmp_path / "copy.png"
    target.write_bytes(data[:20])
    watcher.poll()
    target.write_bytes(data[:40])
    watcher.poll()
    assert reports == []
    target.write_bytes(data)
    watcher.poll()
    watcher.poll()
    assert reports == [("copy.png", "bright", None)]


def test_watch_reports_non_images_and_unreadable_images_without_stopping(tmp_path):
    watcher, reports = _watcher(tmp_path)
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "broken.png").write_bytes(b"not really a png")
    for _ in range(5):
        watcher.poll()
    messages = dict((name, msg) for name, _, msg in reports)
    assert messages["notes.txt"] == "ignored: not an image (.txt)"
    assert messages["broken.png"].startswith("skipped: cannot read it as an image")
    Image.new("RGB", (8, 8), (255, 255, 255)).save(tmp_path / "late.jpg")
    watcher.poll()
    watcher.poll()
    assert reports[-1] == ("late.jpg", "bright", None)


def test_watch_with_existing_classifies_what_is_already_there(tmp_path):
    Image.new("RGB", (8, 8), (0, 0, 0)).save(tmp_path / "there.png")
    watcher, reports = _watcher(tmp_path, existing=True)
    watcher.poll()
    watcher.poll()
    assert reports == [("there.png", "dark", None)]


def test_watch_rejects_a_path_that_is_not_a_folder(tmp_path):
    with pytest.raises(NotADirectoryError, match="watch expected a folder"):
        FolderWatcher(tmp_path / "missing", _FakeClassifier())


def test_watch_picks_up_a_new_shape_with_the_demo_model(tmp_path, demo_classifier, shape_images):
    reports = []
    watcher = FolderWatcher(tmp_path, demo_classifier, top=3,
                            report=lambda p, preds, msg: reports.append((p.name, preds)))
    shape, image = shape_images[6]
    image.save(tmp_path / "arrived.png")
    watcher.poll()
    watcher.poll()
    assert [name for name, _ in reports] == ["arrived.png"]
    assert reports[0][1][0]["label"] == shape and len(reports[0][1]) == 3
