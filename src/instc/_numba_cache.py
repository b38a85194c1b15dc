"""Where numba keeps the compiled kernels, chosen before numba is imported.

The kernels are compiled with ``cache=True``. Numba writes the cache next to
the source (``__pycache__``) or, when the package folder is read-only (a
system-wide install), in the user's cache folder; when neither can be
written it fails at import. :func:`choose_cache_dir` then points
``NUMBA_CACHE_DIR`` at a per-user folder in the temporary directory, so the
kernels still compile and are reused between runs. A ``NUMBA_CACHE_DIR`` the
user sets is left alone.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, MutableMapping
from pathlib import Path

__all__ = ["choose_cache_dir"]


def _writable(folder: Path, access: Callable[[str, int], bool]) -> bool:
    """Return whether ``folder`` (or, if absent, its nearest existing parent) is writable."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate.is_dir() and access(str(candidate), os.W_OK | os.X_OK)
    return False


def choose_cache_dir(package: Path | None = None,
                     environ: MutableMapping[str, str] | None = None,
                     access: Callable[[str, int], bool] = os.access) -> str | None:
    """Set ``NUMBA_CACHE_DIR`` when numba would have nowhere to write; return it.

    Parameters
    ----------
    package : Path, optional
        The instc package folder (this file's folder by default).
    environ : mapping, optional
        The environment to read and change (``os.environ`` by default).
    access : callable
        :func:`os.access`, replaceable in tests.

    Returns
    -------
    str or None
        The folder set, or ``None`` when nothing was changed.
    """
    env = os.environ if environ is None else environ
    if env.get("NUMBA_CACHE_DIR"):
        return None
    here = Path(__file__).resolve().parent if package is None else package
    if _writable(here, access):
        return None
    home_cache = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    if _writable(home_cache, access):
        return None
    uid = getattr(os, "getuid", lambda: 0)()
    folder = str(Path(tempfile.gettempdir()) / f"instc-numba-{uid}")
    env["NUMBA_CACHE_DIR"] = folder
    return folder
