"""The data directory holds the SQLite database, the embedded S3 store and its keys, and the
generated secret: it is the service's own (0700) and so are its secrets (0600)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from service.config import Settings

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def prepare_data_dir(settings: Settings) -> Path:
    """Create the data directory (or tighten it) and the SQLite file, both private."""
    data_dir = settings.data_dir
    data_dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _tighten(data_dir, PRIVATE_DIR)
    path = sqlite_path(settings)
    if path is not None:
        path.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        # Created private before SQLite opens it: its -wal and -shm files copy its mode.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        for suffix in ("", "-wal", "-shm", "-journal"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                _tighten(companion, PRIVATE_FILE)
    for name in ("secret_key", "s3/s3-credentials.json"):
        secret = data_dir / name
        if secret.exists():
            _tighten(secret, PRIVATE_FILE)
    return data_dir


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite database file, when the service uses one."""
    url = settings.resolved_database_url
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def _tighten(path: Path, mode: int) -> None:
    if path.stat().st_mode & 0o777 & ~mode:
        path.chmod(mode)
