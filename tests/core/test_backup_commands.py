"""The operator's side of ``lantern backup`` and ``lantern restore`` that needs no database."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.core.backup import crypto


def test_backup_new_key_prints_a_key_that_encrypts_and_decrypts():
    output = io.StringIO()
    call_command("backup", "--new-key", stdout=output)
    key = output.getvalue().strip()
    assert len(key) >= crypto.MINIMUM_KEY_LENGTH
    sink = io.BytesIO()
    writer = crypto.EncryptingWriter(sink, key)
    writer.write(b"manifest")
    writer.close()
    assert crypto.DecryptingReader(io.BytesIO(sink.getvalue()), [key]).read() == b"manifest"


def test_restore_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"No backup file at .*missing\.enc"):
        call_command("restore", str(tmp_path / "missing.enc"))
