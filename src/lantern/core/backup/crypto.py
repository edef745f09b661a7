"""Streamed authenticated encryption for backup files.

A backup can be larger than memory, so it is encrypted in chunks as it is written and
decrypted in chunks as it is read. Each chunk is sealed with AES-256-GCM (``cryptography``)
under a key derived with HKDF from ``LANTERN_BACKUP_KEY`` and a random per-file salt. The
nonce of a chunk is a random per-file prefix, the chunk's number and a flag marking the
last chunk (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár): a chunk
moved, dropped, repeated or cut off, or a file ending early, fails to decrypt instead of
restoring something quietly different. The file's header is authenticated with every
chunk. Format (all integers big-endian)::

    b"LANTERN-BACKUP-1\\n" | salt (16) | nonce prefix (7) | chunks
    chunk = ciphertext length (4) | ciphertext (plaintext + 16-byte tag)
"""

import os
import secrets
import struct
from collections.abc import Callable, Sequence
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"LANTERN-BACKUP-1\n"
CHUNK_SIZE = 1024 * 1024
_SALT_SIZE = 16
_PREFIX_SIZE = 7
_TAG_SIZE = 16
_LENGTH = struct.Struct(">I")
MINIMUM_KEY_LENGTH = 32
# How often (in plaintext bytes) the writer and the reader report progress.
PROGRESS_EVERY = 64 * 1024 * 1024

ByteProgress = Callable[[int], None]


def _no_progress(_done: int) -> None:
    """The default: say nothing."""


class BackupDecryptionError(Exception):
    """The file is not a Lantern backup, the key is wrong, or the file was altered."""


def _derive(secret: str, salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"lantern backup v1").derive(
        secret.encode("utf-8")
    )
    return AESGCM(key)


def _nonce(prefix: bytes, counter: int, *, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written to it lands encrypted in ``sink``.

    ``close`` seals the last chunk; without it the file cannot be decrypted, so a backup
    interrupted half-way is never mistaken for a whole one.
    """

    def __init__(self, sink: BinaryIO, secret: str, progress: ByteProgress = _no_progress) -> None:
        self._progress = progress
        salt = secrets.token_bytes(_SALT_SIZE)
        self._prefix = secrets.token_bytes(_PREFIX_SIZE)
        self._header = MAGIC + salt + self._prefix
        self._aead = _derive(secret, salt)
        self._sink = sink
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        self.bytes_written = 0
        sink.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _seal(self, plaintext: bytes, *, last: bool) -> None:
        if self._counter >= 2**32:
            raise OverflowError("A backup is limited to 2^32 chunks (4 PiB).")
        sealed = self._aead.encrypt(
            _nonce(self._prefix, self._counter, last=last), plaintext, self._header
        )
        self._sink.write(_LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1
        before = self.bytes_written
        self.bytes_written += len(plaintext)
        if self.bytes_written // PROGRESS_EVERY > before // PROGRESS_EVERY:
            self._progress(self.bytes_written)

    def flush(self) -> None:
        """Chunks are sealed whole; there is nothing to flush before ``close``."""

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


class DecryptingReader:
    """A read-only file object over an encrypted backup, checking every chunk as it goes.

    ``secrets`` are tried in turn on the first chunk, so a backup made before the backup
    key was changed still opens while the old key is listed after the new one.
    """

    def __init__(
        self,
        source: BinaryIO,
        secrets_to_try: Sequence[str],
        progress: ByteProgress = _no_progress,
    ) -> None:
        self._source = source
        self._progress = progress
        self.bytes_read = 0
        header = source.read(len(MAGIC) + _SALT_SIZE + _PREFIX_SIZE)
        if len(header) < len(MAGIC) + _SALT_SIZE + _PREFIX_SIZE or not header.startswith(MAGIC):
            raise BackupDecryptionError("This file is not a Lantern backup.")
        self._header = header
        salt = header[len(MAGIC) : len(MAGIC) + _SALT_SIZE]
        self._prefix = header[len(MAGIC) + _SALT_SIZE :]
        self._counter = 0
        self._finished = False
        self._buffer = bytearray()
        self._aead: AESGCM | None = None
        first = self._read_sealed()
        for secret in secrets_to_try:
            aead = _derive(secret, salt)
            try:
                self._buffer += self._open(aead, first)
            except BackupDecryptionError:
                continue
            self._aead = aead
            break
        if self._aead is None:
            raise BackupDecryptionError(
                "The backup key (LANTERN_BACKUP_KEY) does not open this backup, "
                "or the file was altered."
            )

    def _read_sealed(self) -> bytes:
        length_bytes = self._source.read(_LENGTH.size)
        if len(length_bytes) < _LENGTH.size:
            raise BackupDecryptionError("The backup file ends early: it is incomplete.")
        (length,) = _LENGTH.unpack(length_bytes)
        if length < _TAG_SIZE or length > CHUNK_SIZE + _TAG_SIZE:
            raise BackupDecryptionError("The backup file is damaged (a chunk has a bad length).")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise BackupDecryptionError("The backup file ends early: it is incomplete.")
        return sealed

    def _open(self, aead: AESGCM, sealed: bytes) -> bytes:
        # A chunk opens either as the last one or as one in the middle, never both.
        for last in (False, True):
            try:
                plaintext = aead.decrypt(
                    _nonce(self._prefix, self._counter, last=last), sealed, self._header
                )
            except InvalidTag:
                continue
            self._counter += 1
            before = self.bytes_read
            self.bytes_read += len(plaintext)
            if self.bytes_read // PROGRESS_EVERY > before // PROGRESS_EVERY:
                self._progress(self.bytes_read)
            if last:
                self._finished = True
                if self._source.read(1):
                    raise BackupDecryptionError("The backup file has data after its end.")
            return plaintext
        raise BackupDecryptionError(
            "The backup key does not open this backup, or the file was altered."
        )

    def read(self, size: int = -1) -> bytes:
        while not self._finished and (size < 0 or len(self._buffer) < size):
            assert self._aead is not None
            self._buffer += self._open(self._aead, self._read_sealed())
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


def new_key() -> str:
    """A fresh backup key, for operators (``lantern backup --new-key``) and local set-up."""
    return secrets.token_urlsafe(48)


def candidate_keys(configured: str) -> list[str]:
    """The keys in ``LANTERN_BACKUP_KEY``: comma-separated, newest first."""
    return [key.strip() for key in configured.split(",") if key.strip()]


def file_mode_private(path: os.PathLike[str] | str) -> None:
    """Backups hold everything: only their owner may read them."""
    os.chmod(path, 0o600)
