"""Whether a campaign material's content is what its extension says.

A name ending ``.pdf`` proves nothing: a page of script renamed ``poster.pdf`` would be
kept and offered to partners and the public. Each allowed kind is recognised by its own
structure — the signature that starts a PDF, MP3 or MP4, the entries that make a ZIP an
Office or OpenDocument file, an image Pillow (already used for report photos) can read,
UTF-8 text — without a new dependency such as libmagic.
"""

import io
import zipfile
from collections.abc import Callable

from PIL import Image, UnidentifiedImageError

_IMAGE_FORMATS = {"png": {"PNG"}, "jpg": {"JPEG"}, "jpeg": {"JPEG"}}
_OFFICE_PARTS = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml"}
_OPEN_DOCUMENT = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}


def _image(extension: str, content: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in _IMAGE_FORMATS[extension]:
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _zip_names(content: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _office(extension: str, content: bytes) -> bool:
    archive = _zip_names(content)
    if archive is None:
        return False
    names = set(archive.namelist())
    return "[Content_Types].xml" in names and _OFFICE_PARTS[extension] in names


def _open_document(extension: str, content: bytes) -> bool:
    archive = _zip_names(content)
    if archive is None or "mimetype" not in archive.namelist():
        return False
    try:
        return archive.read("mimetype").strip() == _OPEN_DOCUMENT[extension]
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False


def _mp3(_extension: str, content: bytes) -> bool:
    # An ID3 tag, or straight into an MPEG audio frame (11 sync bits set).
    return content.startswith(b"ID3") or (
        len(content) > 1 and content[0] == 0xFF and content[1] & 0xE0 == 0xE0
    )


def _text(_extension: str, content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_CHECKS: dict[str, Callable[[str, bytes], bool]] = {
    "pdf": lambda _extension, content: content.startswith(b"%PDF-"),
    "png": _image,
    "jpg": _image,
    "jpeg": _image,
    "docx": _office,
    "pptx": _office,
    "odt": _open_document,
    "odp": _open_document,
    "mp3": _mp3,
    "mp4": lambda _extension, content: content[4:8] == b"ftyp",
    "txt": _text,
}

EXTENSIONS = frozenset(_CHECKS)


def content_matches(extension: str, content: bytes) -> bool:
    """Whether ``content`` is a file of the kind ``extension`` names (one of ``EXTENSIONS``)."""
    check = _CHECKS.get(extension)
    return check is not None and check(extension, content)
