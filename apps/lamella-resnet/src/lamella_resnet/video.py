"""``lamella-resnet video``: live top-k on a video file or a camera, through OpenCV.

OpenCV is optional (``pip install opencv-python-headless`` or the ``video`` extra);
without it the command says how to get it. Frames are classified one by one as fast
as the model allows; each line shows the frame number, the top-k and the frames per
second over the last second.
"""

import time

from lamella_resnet.watcher import format_predictions


def import_cv2():
    """The ``cv2`` module, or a ``RuntimeError`` saying how to install it."""
    try:
        import cv2
    except ImportError:
        raise RuntimeError(
            "lamella-resnet video needs OpenCV, which is not installed: "
            "pip install opencv-python-headless  (or: pip install 'lamella-resnet[video]'). "
            "The classify, watch and serve commands work without it."
        ) from None
    return cv2


def run_video(classifier, source, top=5, max_frames=None, out=print, cv2=None):
    """Classifies the frames of ``source`` (a file path or a camera index).

    Args:
        classifier: an ``ImageClassifier``.
        source: a video file path (str) or a camera number (int).
        top: predictions per frame.
        max_frames: stop after this many frames (default: until the stream ends).
        out: where each line goes.
        cv2: the OpenCV module (default: imported, with a clear error when missing).

    Returns:
        The number of frames classified.
    """
    cv2 = cv2 or import_cv2()
    from PIL import Image

    capture = cv2.VideoCapture(source)
    if not capture.isOpened():
        what = f"camera {source}" if isinstance(source, int) else f"video file {source!r}"
        raise RuntimeError(f"OpenCV could not open the {what}.")
    frames, window, window_start = 0, 0, time.perf_counter()
    fps = 0.0
    try:
        while max_frames is None or frames < max_frames:
            ok, frame = capture.read()
            if not ok:
                break
            image = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            predictions = classifier.classify([image], top)[0]
            frames += 1
            window += 1
            elapsed = time.perf_counter() - window_start
            if elapsed >= 1.0 or frames == 1:
                fps = window / elapsed
                window, window_start = 0, time.perf_counter()
            out(f"frame {frames:5d}  {fps:5.1f} fps  {format_predictions(predictions)}")
    finally:
        capture.release()
    return frames
