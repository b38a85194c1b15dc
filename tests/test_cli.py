from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from instc.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "instc.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_validate_clean_folder(tiny_folder: Path, capsys) -> None:
    assert main(["validate", str(tiny_folder)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_bad_folder_exits_2_without_traceback(tiny_folder: Path) -> None:
    (tiny_folder / "links.csv").write_text("id,from\nL1,A\n", encoding="utf-8")
    result = run("validate", str(tiny_folder))
    assert result.returncode == 2
    assert "links.csv, row 1, column 'to': required column 'to' is missing" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_summary_of_a_broken_folder_exits_2(tiny_folder: Path) -> None:
    (tiny_folder / "nodes.csv").unlink()
    result = run("summary", str(tiny_folder))
    assert result.returncode == 2
    assert "nodes.csv: file is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_summary_json(tiny_folder: Path, capsys) -> None:
    assert main(["summary", str(tiny_folder), "--year", "2028", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2028
    assert {r["id"] for r in data["gauge_changes"]} == {"T1"}


def test_export_and_import_gmns(tiny_folder: Path, tmp_path: Path) -> None:
    gmns = tmp_path / "gmns"
    assert main(["export", str(gmns), "--corridor", str(tiny_folder), "--format", "gmns"]) == 0
    out = tmp_path / "back"
    assert main(["import-gmns", str(gmns), str(out)]) == 0
    assert (out / "links.csv").exists()
    assert main(["validate", str(out)]) == 0


def test_doctor_prints_versions(capsys) -> None:
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "numpy" in out and "python" in out and "GDAL" in out


def test_unknown_option_exits_2(capsys) -> None:
    assert main(["summary", "--yeer", "2024"]) == 2
