"""The one place Lantern's settings read the environment, and the local files they use.

Settings call these readers instead of ``os.environ``, so that every variable is parsed
the same way (flags, numbers, comma-separated lists) and a bad value is refused by name.
Importing the settings writes nothing: the local keys and folders under ``var/`` are
created by ``prepare_local_files``, which the ``lantern`` command runs before Django
starts (so ``make run`` keeps its keys across restarts), and which a test calls on a
folder of its own.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Generated once into var/ for a local installation; production takes them from the
# environment (``lantern check --deploy`` refuses it otherwise).
LOCAL_SECRETS = ("secret_key", "field_encryption_salt", "backup_key")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
# Stand-ins for local secrets not yet written: the same for the life of the process.
_unwritten: dict[str, str] = {}


def text(name: str, default: str = "") -> str:
    """The variable as given, or ``default`` when it is not set."""
    return os.environ.get(name, default)


def is_set(name: str) -> bool:
    """Whether the variable holds anything but blanks."""
    return bool(text(name).strip())


def flag(name: str, default: bool) -> bool:
    """A yes/no variable: 1, true, yes, on or 0, false, no, off (any case)."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")
    return word in _TRUE


def integer(name: str, default: int) -> int:
    """A whole number, refused by name when it is not one."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def number(name: str, default: float) -> float:
    """A decimal number, refused by name when it is not one."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return float(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def items(name: str, default: str = "") -> list[str]:
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in text(name, default).split(",") if item.strip()]


def base_dir() -> Path:
    """Where a local installation lives: ``LANTERN_HOME``, or the checkout holding ``src/``."""
    return Path(text("LANTERN_HOME", str(Path(__file__).resolve().parents[2]))).resolve()


def var_dir() -> Path:
    """The local data folder (database, keys, cache, static files): ``LANTERN_VAR_DIR``."""
    return Path(text("LANTERN_VAR_DIR", str(base_dir() / "var"))).resolve()


def is_production() -> bool:
    """Whether ``LANTERN_ENV`` names a production installation."""
    return text("LANTERN_ENV", "local") == "production"


def local_secret(var_dir: Path, name: str) -> str:
    """A local key kept in ``var_dir``, read without writing anything.

    Until ``prepare_local_files`` has written it, a random stand-in serves this process
    (the tests' case: their databases do not outlive them).
    """
    key_file = var_dir / name
    if key_file.is_file():
        return key_file.read_text().strip()
    return _unwritten.setdefault(name, secrets.token_urlsafe(50))


def prepare_local_files(var_dir: Path, *, keys: bool = True) -> list[Path]:
    """Create ``var_dir``, its static folder and (with ``keys``) the local keys missing.

    Returns the keys written, each readable by its owner only. Existing keys are never
    replaced: sessions and encrypted data depend on them. Production passes ``keys=False``:
    its keys come from the environment, never from a file beside the database.
    """
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in LOCAL_SECRETS if keys else ():
        key_file = var_dir / name
        if not key_file.exists():
            key_file.touch(mode=0o600)
            key_file.write_text(secrets.token_urlsafe(50))
            written.append(key_file)
    return written
