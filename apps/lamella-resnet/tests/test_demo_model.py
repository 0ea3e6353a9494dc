import numpy as np

from lamella_resnet.demo_model import build_demo_resnet


def test_demo_resnet_has_residual_stages_and_a_softmax_head():
    model = build_demo_resnet(6)
    assert model.output_shape == (None, 6)
    names = [layer.name for layer in model.layers]
    for stage in (1, 2, 3):
        assert f"stage{stage}_add" in names
    # Stages 2 and 3 change width and stride: their shortcuts are projections.
    assert "stage1_proj" not in names and {"stage2_proj", "stage3_proj"} <= set(names)
    assert model.count_params() * 4 < 512 * 1024
    probs = np.asarray(model.predict(np.random.default_rng(0).uniform(0, 255, (3, 64, 64, 3))
                                     .astype(np.float32), verbose=0))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_demo_resnet_takes_other_sizes_and_widths():
    model = build_demo_resnet(3, input_size=(32, 48), widths=(8, 8))
    assert model.input_shape == (None, 32, 48, 3) and model.output_shape == (None, 3)
    assert "stage3_add" not in [layer.name for layer in model.layers]
