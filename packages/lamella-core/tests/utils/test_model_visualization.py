"""plot_model: the DOT text, and Graphviz's dot when it is installed."""

import os
import shutil
import stat

import pytest

import lamella
from lamella.testing import Linear
from lamella.utils import model_to_dot, plot_model


def _model():
    a = lamella.Input((3,), name="a")
    b = lamella.Input((2,), name="b")
    shared = Linear(4, name="shared")
    inner_in = lamella.Input((4,), name="inner_in")
    inner = lamella.Model(inner_in, Linear(2, name="inner_out")(inner_in), name="inner")
    out = inner(shared(a))
    side = Linear(1, name="side")(b)
    return lamella.Model([a, b], [out, side]), shared, inner


def _edges(text):
    return {tuple(line.strip().rstrip(";").split(" -> ")) for line in text.splitlines() if "->" in line}


def test_dot_text_has_a_box_per_layer_and_an_edge_per_connection():
    model, shared, inner = _model()
    text = model_to_dot(model, show_shapes=True)
    ident = {layer.name: f"layer_{id(layer)}" for layer in model.layers}
    assert _edges(text) == {
        (ident["a"], ident["shared"]), (ident["shared"], ident["inner"]), (ident["b"], ident["side"]),
    }
    assert "shared (Linear)\\ninput: (None, 3)\\noutput: (None, 4)" in text
    assert text.startswith('digraph "') and text.rstrip().endswith("}")


def test_expand_nested_draws_the_inner_layers_in_a_cluster():
    model, shared, inner = _model()
    text = model_to_dot(model, expand_nested=True, rankdir="LR")
    inner_in = f"layer_{id(inner.get_layer('inner_in'))}"
    inner_out = f"layer_{id(inner.get_layer('inner_out'))}"
    assert f"subgraph cluster_{id(inner)}" in text and "rankdir=LR" in text
    assert (f"layer_{id(shared)}", inner_in) in _edges(text)
    assert (inner_in, inner_out) in _edges(text)


def test_sequential_models_are_chains():
    model = lamella.Sequential([lamella.Input((3,)), Linear(2, name="l1"), Linear(1, name="l2")])
    edges = _edges(model_to_dot(model))
    assert (f"layer_{id(model.layers[0])}", f"layer_{id(model.layers[1])}") in edges
    assert len(edges) == 2


def test_dot_files_need_no_graphviz(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    model, _, _ = _model()
    plot_model(model, tmp_path / "model.dot")
    assert (tmp_path / "model.dot").read_text() == model_to_dot(model)


def test_images_without_graphviz_raise_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    model, _, _ = _model()
    with pytest.raises(ImportError, match="Graphviz's `dot`.*apt install graphviz"):
        plot_model(model, tmp_path / "model.png")
    assert not (tmp_path / "model.png").exists()


def test_images_are_drawn_by_dot(tmp_path, monkeypatch):
    # A stand-in for Graphviz's dot: records its arguments and input, writes the file.
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {tmp_path}/args\n'
        f"cat > {tmp_path}/stdin\n"
        'while [ "$1" != "-o" ]; do shift; done\n'
        'printf "SVG" > "$2"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    model, _, _ = _model()
    plot_model(model, tmp_path / "model.svg", dpi=96)
    assert (tmp_path / "model.svg").read_text() == "SVG"
    assert (tmp_path / "args").read_text().startswith("-Tsvg -o ")
    assert (tmp_path / "stdin").read_text() == model_to_dot(model, dpi=96)


def test_bad_arguments_are_named(tmp_path):
    model, _, _ = _model()
    with pytest.raises(ValueError, match="rankdir"):
        model_to_dot(model, rankdir="up")
    with pytest.raises(ValueError, match="to_file='m.bmp'"):
        plot_model(model, "m.bmp")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (apt install graphviz)")
def test_graphviz_draws_a_png_and_an_svg_of_the_model(tmp_path):
    model, _, _ = _model()
    plot_model(model, tmp_path / "model.png", show_shapes=True, expand_nested=True)
    png = (tmp_path / "model.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 100 and height > 100
    plot_model(model, tmp_path / "model.svg", show_layer_names=True)
    svg = (tmp_path / "model.svg").read_text()
    assert "<svg" in svg and "shared (Linear)" in svg and "side (Linear)" in svg
