"""End to end in headless Chromium: the page, an upload, the demo model's answer."""

import os
import shutil
import time

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
def driver():
    """Playwright, with the path of the Chromium it launches (one driver per module:
    its sync API allows only one running at a time in a thread)."""
    executable = find_chromium()
    if executable is None:
        pytest.skip("Chromium not found at /usr/bin/chromium or on PATH (Debian: apt-get install "
                    "chromium; .ci/run installs it); set LAMELLA_CHROMIUM to another binary.")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test group")
    with playwright.sync_playwright() as driver:
        yield driver, executable


@pytest.fixture(scope="module")
def browser(driver):
    driver, executable = driver
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


def test_the_camera_button_streams_frames_and_shows_live_predictions(driver, server):
    """Chromium's fake camera (a generated test pattern) stands in for a webcam."""
    driver, executable = driver
    fake_camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS + fake_camera)
    try:
        page = browser.new_page()
        page.goto(server.url)
        before = server.batcher.stats()["items"]
        page.click("#camera")
        page.wait_for_function("document.getElementById('status').textContent.includes('frames/s')",
                               timeout=30_000)
        # Several frames went through the API, one after another.
        deadline = time.monotonic() + 30
        while server.batcher.stats()["items"] < before + 3 and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert server.batcher.stats()["items"] >= before + 3
        assert page.text_content("#status").startswith("camera: server ")
        assert page.locator("#results .row").count() == 5
        assert page.text_content("#camera") == "Stop camera"
        page.click("#camera")
        assert page.text_content("#camera") == "Start camera"
        assert page.text_content("#error") == ""
    finally:
        browser.close()
