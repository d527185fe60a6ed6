"""The embedded default for a developer's machine: `make run` uses this."""

import os

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F401,F403
from .base import DATA_DIR, env_bool

DEBUG = env_bool("DEBUG", True)


def _dev_secret_key():
    """A random key kept in the data folder, so sessions survive restarts."""
    key_file = DATA_DIR / "secret-key.txt"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)

        key_file.write_text(get_random_secret_key())
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _dev_secret_key()
