"""Uploaded raster images: bounded in pixels, re-encoded, without metadata.

A PNG of a few hundred kilobytes can declare 12,000 × 12,000 pixels and cost every reader's
browser (and our server, when it decodes it) half a gigabyte of memory. Photos carry EXIF with
GPS positions and camera serial numbers, PNGs text chunks, all of them XMP. So an upload is
accepted only after

1. its header names a known format and a pixel count within ``IMAGE_MAX_PIXELS`` — checked
   before a single pixel is decoded;
2. it has been decoded (the first frame of an animation), turned upright by its EXIF
   orientation, converted to sRGB when it carries another colour profile, optionally scaled
   down, and encoded anew from the pixels alone: no EXIF, XMP, ICC profile, comments or text
   chunks survive.

JPEG stays JPEG, PNG stays PNG, WebP stays WebP; GIF becomes PNG (still images only).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
OPTIMIZE_UP_TO_PIXELS = 8_000_000
OUTPUT = {
    # source format: (Pillow format, file extension, content type)
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
    "GIF": ("PNG", "png", "image/png"),
}


class ImageRefused(Exception):
    """The upload is not accepted as an image; the message says why, in German."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str  # Pillow's name: JPEG, PNG, WEBP
    extension: str
    content_type: str
    width: int
    height: int


def _limit() -> int:
    return int(settings.IMAGE_MAX_PIXELS)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}" if pixels >= 10_000_000 else f"{pixels / 1_000_000:.1f}".replace(".", ",")


def _refuse_size(width: int, height: int) -> ImageRefused:
    return ImageRefused(
        _("Das Bild hat %(width)s × %(height)s Pixel; erlaubt sind höchstens %(limit)s Megapixel. Bitte verkleinern Sie es.")
        % {"width": width, "height": height, "limit": _megapixels(_limit())}
    )


def _open_checked(file: IO[bytes]) -> Image.Image:
    """The image with only its header read; refused if unknown or larger than the limit."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Our own limit below is lower and names the size; Pillow's hard ceiling (2 × its
            # MAX_IMAGE_PIXELS, about 179 megapixels) still raises before anything is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file, formats=sorted(ACCEPTED_FORMATS))
    except Image.DecompressionBombError:
        raise ImageRefused(
            _("Das Bild ist zu groß; erlaubt sind höchstens %(limit)s Megapixel.") % {"limit": _megapixels(_limit())}
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRefused(_("Die Datei ist kein lesbares JPEG-, PNG-, WebP- oder GIF-Bild.")) from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > _limit():
        raise _refuse_size(width, height)
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
        return image if converted is None else converted
    except Exception:  # a broken or unsupported profile: keep the pixels as they are
        return image


def _pixels_only(image: Image.Image, output_format: str) -> Image.Image:
    """A new image holding nothing but pixels, in a mode the output format can store."""
    if image.mode in {"P", "PA"}:
        image = image.convert("RGBA")
    elif image.mode not in {"1", "L", "LA", "RGB", "RGBA"}:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if output_format == "JPEG" and image.mode not in {"L", "RGB"}:
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def clean_image(file: IO[bytes], *, max_side: int | None = None) -> CleanImage:
    """Check, decode and re-encode an uploaded image, or raise ``ImageRefused``.

    With ``max_side`` the result is scaled down to fit a square of that many pixels (JPEGs are
    then decoded at a reduced scale, which also saves memory).
    """
    image = _open_checked(file)
    source_format = image.format or ""
    if source_format not in ACCEPTED_FORMATS:
        raise ImageRefused(_("Bitte laden Sie ein JPEG-, PNG-, WebP- oder GIF-Bild hoch."))
    output_format, extension, content_type = OUTPUT[source_format]
    try:
        image.seek(0)
        if max_side and source_format == "JPEG":
            image.draft(None, (max_side, max_side))
        image.load()
        image = ImageOps.exif_transpose(image)
        if max_side and max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        image = _to_srgb(image)
        image = _pixels_only(image, output_format)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageRefused(_("Das Bild ist beschädigt und kann nicht gelesen werden.")) from None
    buffer = io.BytesIO()
    # Optimising the encoding takes about five times as long; worth it for what readers load
    # often (news images are scaled down), not for large originals in the documents.
    optimize = image.width * image.height <= OPTIMIZE_UP_TO_PIXELS
    if output_format == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=optimize, progressive=optimize)
    elif output_format == "WEBP":
        image.save(buffer, "WEBP", quality=85, method=4 if optimize else 2)
    else:
        image.save(buffer, "PNG", optimize=optimize)
    return CleanImage(buffer.getvalue(), output_format, extension, content_type, image.width, image.height)
