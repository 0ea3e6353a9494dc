#!/usr/bin/env python3
"""Takes the screenshot of the app's page shown in the README (docs/images/app.png).

    .venv/bin/python apps/lamella-resnet/scripts/take_screenshot.py

Serves the embedded demo model on a free port, opens the page in headless Chromium
(/usr/bin/chromium, driven by playwright), uploads a generated star (256x256) and saves the
page once the prediction is shown.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(output=ROOT / "docs" / "images" / "app.png", shape="star", seed=11):
    import numpy as np
    from playwright.sync_api import sync_playwright

    from lamella_resnet.classifier import ImageClassifier
    from lamella_resnet.server import PredictionServer
    from lamella_resnet.shapes import draw_shape

    classifier = ImageClassifier.demo()
    classifier.warmup(1)  # the latency shown is then a served request's, not a compile's
    server = PredictionServer(classifier, port=0).start()
    try:
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
            image = Path(folder) / f"{shape}.png"
            # Drawn at 256x256: the server resizes uploads to the model's 64x64.
            draw_shape(shape, np.random.default_rng(seed), size=256).save(image)
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 560})
            page.goto(server.url)
            page.wait_for_function("document.getElementById('model').textContent.includes('demo')")
            page.set_input_files("#file", str(image))
            page.wait_for_function("document.getElementById('results').dataset.top !== undefined")
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            print(f"top-1: {page.locator('#results').get_attribute('data-top')}; wrote {output}")
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
