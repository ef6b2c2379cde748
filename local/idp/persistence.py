"""Atomic JSON files in the state folder, with change detection so a CLI command can edit a running server's files."""

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_json_atomic(path: Path, document: Any, *, private: bool = False) -> int:
    """Write ``document`` to ``path`` so readers see the old or the new file, never half of one.

    Parameters
    ----------
    path : Path
        Target file; its folder is created if needed.
    document : Any
        JSON-serialisable value.
    private : bool
        Create the file with mode 0600 (signing keys).

    Returns
    -------
    int
        The new file's ``st_mtime_ns``, to recognise our own write later.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if private:
            os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w") as stream:
            json.dump(document, stream, indent=1, sort_keys=True)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path.stat().st_mtime_ns


def read_json(path: Path) -> Any:
    """Read a JSON file written by :func:`write_json_atomic`."""
    with path.open() as stream:
        return json.load(stream)


def mtime_ns(path: Path) -> int | None:
    """Modification time of ``path`` in nanoseconds, or None when it does not exist."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
