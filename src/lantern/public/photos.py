"""Make an uploaded photo safe to keep: a real JPEG or PNG, re-encoded without metadata.

Decoding and re-encoding with Pillow drops everything but the pixels: EXIF (GPS position,
camera serial number, time taken), XMP, comments and text chunks. The picture is turned
upright first, because the orientation lives in the EXIF data that is removed.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 5
# Refuse images whose pixels would take far more memory than any phone photo needs.
MAX_PIXELS = 60_000_000
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    width: int
    height: int


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """Decode ``upload`` and re-encode it; ``ValidationError`` if it is not a usable photo."""
    name = upload.name or _("The file")
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("%(name)s is bigger than 10 MB. Choose a smaller photo."), params={"name": name}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                if image_format not in _FORMATS:
                    raise ValidationError(
                        _("%(name)s must be a JPG or PNG photo."), params={"name": name}
                    )
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(
                        _("%(name)s is too large a picture."), params={"name": name}
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("%(name)s is not a photo. Choose a JPG or PNG file."), params={"name": name}
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("%(name)s could not be read. It may be damaged."), params={"name": name}
        ) from None
    return _encode(upright, image_format)


def _encode(image: Image.Image, image_format: str) -> CleanPhoto:
    image.info.clear()
    output = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        image.save(output, format="JPEG", quality=90, optimize=True)
    else:
        if image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
            image = image.convert("RGBA")
        image.save(output, format="PNG", optimize=False)
    return CleanPhoto(
        content=output.getvalue(),
        content_type=_FORMATS[image_format],
        width=image.width,
        height=image.height,
    )
