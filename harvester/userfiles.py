"""The YAML files users write for the harvester (notify.yaml, the expected-agencies list):
found through an option or an environment variable, read with one-line errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class UserFileError(ValueError):
    """A user's file cannot be used; the message says which and why, in one line."""


def user_file(path: Path | None, env_var: str) -> Path | None:
    """``path`` if given, else the file the environment variable names, else None."""
    if path is not None:
        return path
    from_env = os.environ.get(env_var)
    return Path(from_env) if from_env else None


def read_yaml(path: Path, what: str, error: type[UserFileError] = UserFileError) -> Any:
    """The YAML document in ``path``; ``error`` (one line) when it cannot be read or parsed."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
