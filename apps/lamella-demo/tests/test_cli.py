"""``lamella-demo``: the seed MLP trains on the generated digits and is evaluated."""

import re

from lamella_demo import cli


def test_the_demo_trains_reports_and_learns(capsys):
    code = cli.main(["--epochs", "2", "--train-samples", "3000", "--test-samples", "500"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Generated 3000 training and 500 test digits" in out
    assert "Total params: 669,706" in out  # 784*512+512 + 512*512+512 + 512*10+10
    assert "Epoch 2/2" in out and "val_accuracy" in out
    accuracy = float(re.search(r"Test accuracy: ([0-9.]+)", out).group(1))
    assert accuracy > 0.6  # chance is 0.1; the default run (10 epochs, 20,000) reaches ~0.98
    assert re.search(r"Test loss: [0-9.]+", out)


def test_the_model_is_the_seed_tutorials_mlp():
    model = cli.build_model(num_classes=10)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Dense", "Dropout", "Dense", "Dropout", "Dense",
    ]
    assert [layer.rate for layer in model.layers[1::2]] == [0.2, 0.2]
    assert model.output_shape == (None, 10)
