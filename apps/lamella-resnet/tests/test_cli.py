import builtins

import pytest

from lamella_resnet import cli


def test_classify_a_folder_of_generated_images_prints_the_right_labels(tmp_path, shape_images, capsys):
    for index, (shape, image) in enumerate(shape_images):
        folder = tmp_path / ("nested" if index % 2 else "")
        folder.mkdir(exist_ok=True)
        image.save(folder / f"{index:02d}_{shape}.png")
    (tmp_path / "readme.txt").write_text("not an image")
    assert cli.main(["classify", str(tmp_path), "--top", "2"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == len(shape_images)
    for line in lines:
        name, predictions = line.rsplit(": ", 1)
        expected = name.rsplit("_", 1)[1].removesuffix(".png")
        assert predictions.split(", ")[0].split(" ")[0] == expected
        assert len(predictions.split(", ")) == 2
    assert "embedded demo model" in captured.err and "--weights imagenet" in captured.err


def test_classify_reports_unreadable_files_and_fails(tmp_path, shape_images, capsys):
    shape_images[0][1].save(tmp_path / "good.png")
    (tmp_path / "bad.png").write_bytes(b"nope")
    assert cli.main(["classify", str(tmp_path / "good.png"), str(tmp_path / "bad.png")]) == 1
    captured = capsys.readouterr()
    assert f"good.png: {shape_images[0][0]} " in captured.out
    assert "bad.png: cannot read it as an image" in captured.err


def test_classify_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="no such file or folder"):
        cli.main(["classify", str(tmp_path / "missing.png")])


def test_video_without_opencv_says_how_to_install_it(monkeypatch):
    real_import = builtins.__import__

    def no_cv2(name, *args, **kwargs):
        if name == "cv2":
            raise ImportError("No module named 'cv2'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_cv2)
    with pytest.raises(SystemExit, match="needs OpenCV.*pip install opencv-python-headless"):
        cli.main(["video", "--camera", "0"])


def test_weights_and_model_options_are_checked(tmp_path):
    with pytest.raises(SystemExit, match="not both"):
        cli.main(["classify", str(tmp_path), "--weights", "imagenet", "--model", "m.keras"])
    with pytest.raises(SystemExit, match="no such file"):
        cli.main(["classify", str(tmp_path), "--weights", str(tmp_path / "nothing.h5")])
    with pytest.raises(SystemExit, match="--top must be at least 1"):
        cli.main(["classify", str(tmp_path), "--top", "0"])
