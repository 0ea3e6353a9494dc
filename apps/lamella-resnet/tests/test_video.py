import numpy as np
import pytest

from lamella_resnet.video import run_video


class _FakeCv2:
    """The part of OpenCV run_video uses, replaying BGR frames of shape images."""

    COLOR_BGR2RGB = 4

    def __init__(self, frames, opens=True):
        self.frames, self.opens, self.released = frames, opens, False

    def VideoCapture(self, source):  # noqa: N802 - OpenCV's name
        cv2 = self

        class Capture:
            def isOpened(self):  # noqa: N802
                return cv2.opens

            def read(self):
                return (True, cv2.frames.pop(0)) if cv2.frames else (False, None)

            def release(self):
                cv2.released = True

        return Capture()

    def cvtColor(self, frame, code):  # noqa: N802
        assert code == self.COLOR_BGR2RGB
        return np.ascontiguousarray(frame[..., ::-1])


def test_video_prints_live_top_k_and_fps_for_each_frame(demo_classifier, shape_images):
    expected = [shape for shape, _ in shape_images[:4]]
    frames = [np.asarray(image)[..., ::-1].copy() for _, image in shape_images[:4]]  # RGB -> BGR
    cv2 = _FakeCv2(frames)
    lines = []
    assert run_video(demo_classifier, "clip.mp4", top=2, out=lines.append, cv2=cv2) == 4
    assert cv2.released
    assert [line.split("fps  ")[1].split(" ")[0] for line in lines] == expected
    assert all(" fps " in line and line.startswith("frame ") for line in lines)


def test_video_stops_after_max_frames(demo_classifier, shape_images):
    frames = [np.asarray(image)[..., ::-1].copy() for _, image in shape_images[:5]]
    assert run_video(demo_classifier, 0, max_frames=2, out=lambda line: None, cv2=_FakeCv2(frames)) == 2


def test_video_that_cannot_be_opened_is_a_clear_error(demo_classifier):
    with pytest.raises(RuntimeError, match="could not open the camera 3"):
        run_video(demo_classifier, 3, out=print, cv2=_FakeCv2([], opens=False))
