"""Atomic file writes: a file is either complete or absent, never half written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file renamed into place.

    Text is written as UTF-8. The parent folder is created if needed. On any
    error the temporary file is removed and ``path`` is left as it was.

    Raises
    ------
    IsADirectoryError
        When ``path`` is a folder.
    FileExistsError
        When ``path`` is something other than a regular file (a device, a
        pipe, a socket), which renaming over would destroy.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; expected a file name")
    if target.exists() and not target.is_file():
        raise FileExistsError(f"{target} is not a regular file (a device, pipe or socket); "
                              "expected a file name to write")
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
