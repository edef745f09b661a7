"""Settings read the environment in one place and write nothing when imported."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lantern import environment

_READ_SETTINGS = (
    "import lantern.settings as s; print(s.SECRET_KEY); print(s.SALT_KEY[0]); "
    "print(s.LANTERN_BACKUP_KEY)"
)


def _import_settings(var_dir: Path) -> list[str]:
    """Import the settings in a fresh process, as a worker or a tool would."""
    variables = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "LANTERN_FIELD_ENCRYPTION_SALTS", "LANTERN_BACKUP_KEY"}
    }
    variables.update(LANTERN_VAR_DIR=str(var_dir), LANTERN_ENV="local")
    done = subprocess.run(
        [sys.executable, "-c", _READ_SETTINGS],
        env=variables,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.split()


def test_importing_the_settings_writes_no_file(tmp_path):
    var_dir = tmp_path / "var"

    keys = _import_settings(var_dir)

    assert not var_dir.exists()
    assert len(keys) == 3
    assert all(len(key) >= 40 for key in keys)


def test_prepared_keys_are_private_kept_and_read_by_the_settings(tmp_path):
    var_dir = tmp_path / "var"

    written = environment.prepare_local_files(var_dir)
    again = environment.prepare_local_files(var_dir)

    assert sorted(path.name for path in written) == sorted(environment.LOCAL_SECRETS)
    assert again == []
    assert (var_dir / "static").is_dir()
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = [(var_dir / name).read_text() for name in environment.LOCAL_SECRETS]
    assert _import_settings(var_dir) == stored


def test_production_prepares_the_folder_but_no_key(tmp_path):
    var_dir = tmp_path / "var"

    assert environment.prepare_local_files(var_dir, keys=False) == []
    assert [path.name for path in var_dir.iterdir()] == ["static"]


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: environment.flag("LANTERN_TEST_VALUE", False), "maybe", "true or false"),
        (lambda: environment.integer("LANTERN_TEST_VALUE", 1), "12h", "a whole number"),
        (lambda: environment.number("LANTERN_TEST_VALUE", 1.0), "one", "a number"),
    ],
)
def test_a_malformed_value_is_refused_by_its_name(monkeypatch, reader, value, message):
    monkeypatch.setenv("LANTERN_TEST_VALUE", value)

    with pytest.raises(ImproperlyConfigured, match=f"LANTERN_TEST_VALUE must be {message}"):
        reader()


def test_values_are_read_as_operators_write_them(monkeypatch):
    monkeypatch.setenv("LANTERN_TEST_FLAG", " Yes ")
    monkeypatch.setenv("LANTERN_TEST_NUMBER", " 42 ")
    monkeypatch.setenv("LANTERN_TEST_LIST", "a.example, ,b.example,")
    monkeypatch.delenv("LANTERN_TEST_MISSING", raising=False)

    assert environment.flag("LANTERN_TEST_FLAG", False) is True
    assert environment.flag("LANTERN_TEST_MISSING", True) is True
    assert environment.integer("LANTERN_TEST_NUMBER", 0) == 42
    assert environment.integer("LANTERN_TEST_MISSING", 7) == 7
    assert environment.items("LANTERN_TEST_LIST") == ["a.example", "b.example"]
    assert environment.items("LANTERN_TEST_MISSING", "x,y") == ["x", "y"]
