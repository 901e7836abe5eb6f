"""scripts/make-venv: which Python the virtualenv is made from, and the environment it makes."""

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make-venv"


@pytest.fixture
def make_venv():
    """The script as a module (it has no .py name to import it by)."""
    loader = importlib.machinery.SourceFileLoader("make_venv", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def fake_python(folder: Path, name: str, version: tuple[int, int], sqlite3: bool = True) -> str:
    """An executable that answers the probe as a Python of `version` would."""
    facts = {"version": version, "executable": f"/opt/{name}", "ensurepip": True}
    facts["sqlite3"] = sqlite3
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{json.dumps(facts)}'\n")
    path.chmod(0o755)
    return str(path)


def test_the_system_python_is_preferred_when_new_enough(make_venv, tmp_path, monkeypatch):
    monkeypatch.delenv("PODIUM_PYTHON", raising=False)
    system = fake_python(tmp_path, "system-python", (3, 12))
    monkeypatch.setattr(make_venv, "SYSTEM_PYTHONS", (str(tmp_path / "absent"), system))
    assert make_venv.choose()[0] == system


@pytest.mark.parametrize("version, sqlite3", [((3, 9), True), ((3, 12), False)])
def test_an_old_or_incomplete_system_python_is_passed_over(
    make_venv, tmp_path, monkeypatch, version, sqlite3
):
    monkeypatch.delenv("PODIUM_PYTHON", raising=False)
    system = fake_python(tmp_path, "system-python", version, sqlite3)
    monkeypatch.setattr(make_venv, "SYSTEM_PYTHONS", (system,))
    python, facts = make_venv.choose()
    assert python == sys.executable
    assert tuple(facts["version"]) == sys.version_info[:2]


def test_podium_python_chooses_outright(make_venv, tmp_path, monkeypatch):
    chosen = fake_python(tmp_path, "chosen", (3, 13))
    monkeypatch.setenv("PODIUM_PYTHON", chosen)
    monkeypatch.setattr(make_venv, "SYSTEM_PYTHONS", (fake_python(tmp_path, "system", (3, 12)),))
    assert make_venv.choose()[0] == chosen


def test_an_unusable_podium_python_stops_with_a_message(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "venv")],
        env={"PATH": "/usr/bin:/bin", "PODIUM_PYTHON": str(tmp_path / "no-such-python")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "is not a Python 3.11+ with sqlite3" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_the_environment_it_makes_runs_pip(tmp_path):
    venv = tmp_path / "venv"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(venv)],
        env={"PATH": "/usr/bin:/bin", "PODIUM_PYTHON": sys.executable},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert f"make-venv: {venv} from" in result.stdout
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "--version"], capture_output=True, text=True
    )
    assert pip.returncode == 0 and str(venv) in pip.stdout
