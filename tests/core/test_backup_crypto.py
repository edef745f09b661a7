"""The backup file's streamed encryption: what goes in comes out, and nothing else opens."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.core.backup import crypto

KEY = "k" * 40
OTHER_KEY = "o" * 40


def _encrypt(data: bytes, key: str = KEY) -> bytes:
    sink = io.BytesIO()
    writer = crypto.EncryptingWriter(sink, key)
    writer.write(data)
    writer.close()
    return sink.getvalue()


def _decrypt(blob: bytes, keys: list[str] | None = None) -> bytes:
    return crypto.DecryptingReader(io.BytesIO(blob), keys or [KEY]).read()


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 64 bytes, so that a few hundred bytes cross many chunk boundaries."""
    monkeypatch.setattr(crypto, "CHUNK_SIZE", 64)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5000), piece=st.integers(min_value=1, max_value=300))
def test_any_data_written_in_any_pieces_reads_back_the_same(data, piece):
    original = crypto.CHUNK_SIZE
    crypto.CHUNK_SIZE = 256
    try:
        sink = io.BytesIO()
        writer = crypto.EncryptingWriter(sink, KEY)
        for start in range(0, len(data), piece):
            writer.write(data[start : start + piece])
        writer.close()
        reader = crypto.DecryptingReader(io.BytesIO(sink.getvalue()), [KEY])
        out = b"".join(iter(lambda: reader.read(97), b""))
    finally:
        crypto.CHUNK_SIZE = original
    assert out == data


def test_the_plaintext_does_not_appear_in_the_file(small_chunks):
    blob = _encrypt(b"Zdenka Novakova, 12 Narborough Road" * 10)
    assert b"Zdenka" not in blob
    assert blob.startswith(crypto.MAGIC)


def test_a_wrong_key_is_refused():
    with pytest.raises(crypto.BackupDecryptionError, match="LANTERN_BACKUP_KEY"):
        _decrypt(_encrypt(b"victims"), [OTHER_KEY])


def test_an_older_key_listed_after_the_new_one_still_opens_an_old_backup():
    assert _decrypt(_encrypt(b"victims", OTHER_KEY), [KEY, OTHER_KEY]) == b"victims"


def test_a_file_cut_short_is_refused_even_at_a_chunk_boundary(small_chunks):
    blob = _encrypt(bytes(range(256)) * 2)
    header = len(crypto.MAGIC) + 16 + 7
    chunk = 4 + 64 + 16
    for cut in (len(blob) - 1, header + chunk, header + 2 * chunk, header + 3):
        with pytest.raises(crypto.BackupDecryptionError):
            _decrypt(blob[:cut])


def test_chunks_swapped_altered_or_appended_are_refused(small_chunks):
    blob = _encrypt(bytes(range(256)))
    header = len(crypto.MAGIC) + 16 + 7
    chunk = 4 + 64 + 16
    first, second = blob[header : header + chunk], blob[header + chunk : header + 2 * chunk]
    swapped = blob[:header] + second + first + blob[header + 2 * chunk :]
    flipped = bytearray(blob)
    flipped[header + 10] ^= 1
    for damaged in (swapped, bytes(flipped), blob + b"x", blob + blob[header:]):
        with pytest.raises(crypto.BackupDecryptionError):
            _decrypt(damaged)


def test_something_that_is_not_a_backup_is_named_as_such():
    with pytest.raises(crypto.BackupDecryptionError, match="not a Lantern backup"):
        _decrypt(b"PGDMP" + b"\0" * 100)


def test_new_keys_are_long_and_different():
    first, second = crypto.new_key(), crypto.new_key()
    assert first != second
    assert len(first) >= crypto.MINIMUM_KEY_LENGTH
    assert crypto.candidate_keys(f" {first} ,, {second}") == [first, second]


def test_progress_is_reported_as_bytes_pass_through(small_chunks, monkeypatch):
    monkeypatch.setattr(crypto, "PROGRESS_EVERY", 100)
    written, read = [], []
    sink = io.BytesIO()
    writer = crypto.EncryptingWriter(sink, KEY, written.append)
    writer.write(bytes(350))
    writer.close()
    reader = crypto.DecryptingReader(io.BytesIO(sink.getvalue()), [KEY], read.append)
    assert reader.read() == bytes(350)
    assert written == read == [128, 256, 320]


@settings(max_examples=150, deadline=None)
@given(tail=st.binary(max_size=400), keep=st.integers(min_value=0, max_value=2000))
def test_any_damage_or_garbage_is_refused_with_a_clear_error_and_nothing_else(tail, keep):
    genuine = _encrypt(b"a real backup" * 20)
    for candidate in (
        crypto.MAGIC + tail,
        genuine[:keep] + tail,
        tail,
    ):
        if candidate == genuine:
            continue
        with pytest.raises(crypto.BackupDecryptionError):
            _decrypt(candidate)
