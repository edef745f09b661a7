"""A campaign material is kept only when its content is what its extension says."""

import io
import zipfile

import pytest
from PIL import Image

from lantern.outreach import materials


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _image(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=image_format)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
PPTX = _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODP = _zip({"mimetype": b"application/vnd.oasis.opendocument.presentation"})


@pytest.mark.parametrize(
    ("extension", "content"),
    [
        ("pdf", b"%PDF-1.7\n..."),
        ("png", _image("PNG")),
        ("jpg", _image("JPEG")),
        ("jpeg", _image("JPEG")),
        ("docx", DOCX),
        ("pptx", PPTX),
        ("odt", ODT),
        ("odp", ODP),
        ("mp3", b"ID3\x04\x00rest"),
        ("mp3", b"\xff\xfb\x90\x00"),
        ("mp4", b"\x00\x00\x00\x18ftypmp42"),
        ("txt", "Radio script: « appelez le 0800 ».".encode()),
    ],
)
def test_real_files_of_each_kind_are_recognised(extension, content):
    assert materials.content_matches(extension, content)


@pytest.mark.parametrize(
    ("extension", "content"),
    [
        ("pdf", b"<script>alert(1)</script>"),
        ("png", _image("JPEG")),
        ("jpg", b"\xff\xd8\xff but then nothing"),
        ("docx", PPTX),
        ("docx", b"PK\x03\x04 not a zip"),
        ("pptx", _zip({"ppt/presentation.xml": b"<p/>"})),
        ("odt", ODP),
        ("odp", _zip({"content.xml": b"<x/>"})),
        ("mp3", b"<html>"),
        ("mp4", b"MZ\x90\x00 a program"),
        ("txt", b"MZ\x90\x00\x03\x00"),
        ("txt", b"\xff\xfe not UTF-8"),
        ("exe", b"MZ"),
    ],
)
def test_a_file_renamed_to_an_allowed_extension_is_not(extension, content):
    assert not materials.content_matches(extension, content)
