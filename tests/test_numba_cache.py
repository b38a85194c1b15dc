"""The numba cache folder is chosen so importing instc never fails on a read-only install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from instc._numba_cache import choose_cache_dir


def _access(writable: set[Path]):
    def access(path: str, mode: int) -> bool:
        return Path(path) in writable
    return access


def test_package_folder_writable_leaves_numba_alone(tmp_path: Path) -> None:
    env: dict[str, str] = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert choose_cache_dir(tmp_path, env, _access({tmp_path})) is None
    assert "NUMBA_CACHE_DIR" not in env


def test_user_cache_writable_leaves_numba_alone(tmp_path: Path) -> None:
    pkg, home = tmp_path / "pkg", tmp_path / "home"
    pkg.mkdir()
    home.mkdir()
    # ~/.cache does not exist yet: its existing parent decides.
    env: dict[str, str] = {"XDG_CACHE_HOME": str(home / ".cache")}
    assert choose_cache_dir(pkg, env, _access({home})) is None
    assert "NUMBA_CACHE_DIR" not in env


def test_nowhere_writable_points_numba_at_the_temporary_folder(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    env: dict[str, str] = {"XDG_CACHE_HOME": str(tmp_path / "ro")}
    folder = choose_cache_dir(pkg, env, _access(set()))
    assert folder is not None and env["NUMBA_CACHE_DIR"] == folder
    assert Path(folder).name.startswith("instc-numba-")


def test_a_folder_the_user_sets_is_kept(tmp_path: Path) -> None:
    env = {"NUMBA_CACHE_DIR": str(tmp_path / "mine")}
    assert choose_cache_dir(tmp_path / "pkg", env, _access(set())) is None
    assert env["NUMBA_CACHE_DIR"] == str(tmp_path / "mine")


def test_kernels_compile_and_run_from_the_chosen_folder(tmp_path: Path) -> None:
    # A fresh interpreter whose only cache folder is the one instc chooses.
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    code = ("import instc; it = instc.shortest_route(instc.load_corridor(), 'St Petersburg', "
            "'Nhava Sheva', year=2024); print(it.total('km') > 0)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=600, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
    assert any((tmp_path / "numba").rglob("*.nbi"))
