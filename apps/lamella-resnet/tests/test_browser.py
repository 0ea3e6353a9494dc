"""End to end in headless Chromium: the page, an upload, the demo model's answer."""

import os
import shutil

import pytest

from lamella_resnet.server import PredictionServer

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def find_chromium():
    for candidate in (os.environ.get("LAMELLA_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.skip("Chromium not found at /usr/bin/chromium or on PATH (Debian: apt-get install "
                    "chromium; .ci/run installs it); set LAMELLA_CHROMIUM to another binary.")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test group")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(demo_classifier):
    server = PredictionServer(demo_classifier, port=0).start()
    yield server
    server.shutdown()


def test_uploading_a_generated_image_shows_its_label(browser, server, shape_images, tmp_path):
    page = browser.new_page()
    try:
        page.goto(server.url)
        page.wait_for_function("document.getElementById('model').textContent.includes('demo model')")
        assert "--weights imagenet" in page.text_content("#model")
        for shape, image in (shape_images[0], shape_images[7]):
            path = tmp_path / f"{shape}.png"
            image.save(path)
            page.set_input_files("#file", str(path))
            page.wait_for_function(f"document.getElementById('results').dataset.top === '{shape}'",
                                   timeout=30_000)
            rows = page.locator("#results .row")
            assert rows.count() == 5
            assert rows.first.locator(".label").text_content() == shape
            assert page.text_content("#status").startswith(f"{shape}.png: server ")
        assert page.text_content("#error") == ""
    finally:
        page.close()
