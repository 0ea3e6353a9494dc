"""Decoding untrusted image bytes with limits, for the HTTP API.

Every failure is an ``ImageInputError`` carrying the HTTP status to answer with and a
message that says what was wrong: too many bytes (413), too many pixels (413, checked
from the header before any pixel is decoded, so a decompression bomb costs nothing),
not an image (400), truncated or corrupt (400).
"""

import io
import warnings

from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000


class ImageInputError(ValueError):
    """An image that cannot be classified, with the HTTP status that says why.

    Args:
        message: what was wrong, for the client.
        status: the HTTP status code (4xx).
    """

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def decode_image(data, max_bytes=DEFAULT_MAX_BYTES, max_pixels=DEFAULT_MAX_PIXELS):
    """Decodes image bytes into an RGB ``PIL.Image``, fully loaded.

    Args:
        data: the encoded image (PNG, JPEG, GIF, BMP, WebP, ... whatever Pillow reads).
        max_bytes: the largest accepted encoded size.
        max_pixels: the largest accepted ``width * height``.

    Returns:
        An RGB ``PIL.Image.Image``.

    Raises:
        ImageInputError: with status 413 for too large inputs, 400 otherwise.
    """
    if not data:
        raise ImageInputError("The request has no image: send the image bytes as the body "
                              "or as a multipart field.", 400)
    if len(data) > max_bytes:
        raise ImageInputError(f"The image is {len(data)} bytes; the limit is {max_bytes} bytes.", 413)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageInputError(
                    f"The image is {width}x{height} = {width * height} pixels; the limit is "
                    f"{max_pixels} pixels (a decompression bomb is refused before decoding).", 413)
            image.load()
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageInputError(f"Refused a possible decompression bomb: {error}", 413) from None
    except UnidentifiedImageError:
        raise ImageInputError(
            f"The body is not an image Pillow can read ({len(data)} bytes starting with "
            f"{bytes(data[:8])!r}). Send PNG, JPEG, GIF, BMP or WebP.", 400) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageInputError(f"The image is truncated or corrupt: {error}", 400) from None
    if image.mode != "RGB":
        image = image.convert("RGB")
    return image
