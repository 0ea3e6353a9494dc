"""``lamella-resnet watch``: classify images as they arrive in a folder.

The folder is polled (no platform-specific notification API needed). A file is
classified once its size and modification time have stayed the same for one poll
(so a file still being copied is not read half-written); a file that is stable but
does not decode is retried a few polls, then reported and skipped. Non-image files
(by extension) are reported once and ignored.
"""

import os
import time
from pathlib import Path

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".ppm"})
_DECODE_RETRIES = 3


class FolderWatcher:
    """Polls a folder and classifies each new, completely written image once.

    Args:
        folder: the folder to watch (its files, not subfolders).
        classifier: an ``ImageClassifier``.
        top: predictions per image.
        existing: also classify the images already there at start.
        report: ``report(path, predictions or None, message or None)`` called for each
            classified or rejected file (default: print a line).

    Example:

    >>> watcher = FolderWatcher("incoming", classifier)  # doctest: +SKIP
    >>> watcher.run(interval=0.5)  # doctest: +SKIP
    """

    def __init__(self, folder, classifier, top=5, existing=False, report=None):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise NotADirectoryError(f"watch expected a folder. Received: {folder!r} is not a folder.")
        self.classifier = classifier
        self.top = top
        self.report = report or _print_report
        self._seen = {}      # path -> (size, mtime) at the previous poll
        self._done = set()   # (path, size, mtime) already classified or rejected
        self._failures = {}  # (path, size, mtime) -> failed decode attempts
        if not existing:
            for path, signature in self._scan().items():
                self._done.add((path, *signature))

    def _scan(self):
        found = {}
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return found
        for entry in entries:
            # Hidden and partial-download names are how copy tools stage files.
            if entry.name.startswith(".") or entry.name.endswith((".part", ".crdownload", ".tmp")):
                continue
            try:
                if entry.is_file():
                    stat = entry.stat()
                    found[Path(entry.path)] = (stat.st_size, stat.st_mtime_ns)
            except FileNotFoundError:
                continue
        return found

    def poll(self):
        """One look at the folder; returns the number of files classified or rejected."""
        from lamella.preprocessing.image import load_img

        current = self._scan()
        handled = 0
        for path, signature in sorted(current.items()):
            key = (path, *signature)
            if key in self._done:
                continue
            if self._seen.get(path) != signature or signature[0] == 0:
                continue  # still being written (or just appeared): look again next poll
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                self._done.add(key)
                self.report(path, None, f"ignored: not an image ({path.suffix or 'no extension'})")
                handled += 1
                continue
            try:
                image = load_img(path)
            except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not fatal
                # Counted per version of the file: a file that grows again starts afresh.
                attempts = self._failures.get(key, 0) + 1
                self._failures[key] = attempts
                if attempts < _DECODE_RETRIES:
                    continue
                self._done.add(key)
                self.report(path, None, f"skipped: cannot read it as an image ({error})")
                handled += 1
                continue
            self._failures.pop(key, None)
            self._done.add(key)
            self.report(path, self.classifier.classify([image], self.top)[0], None)
            handled += 1
        self._seen = current
        return handled

    def run(self, interval=0.5, stop=None):
        """Polls every ``interval`` seconds until ``stop()`` is true (or Ctrl-C)."""
        while stop is None or not stop():
            self.poll()
            time.sleep(interval)


def format_predictions(predictions):
    return ", ".join(f"{p['label']} {p['score']:.3f}" for p in predictions)


def _print_report(path, predictions, message):
    if predictions is None:
        print(f"{path.name}: {message}", flush=True)
    else:
        print(f"{path.name}: {format_predictions(predictions)}", flush=True)
