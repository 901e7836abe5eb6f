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


class FakeRun:
    """`subprocess.run` for the creation paths: records each command, answers the probe with
    `facts` and `pip --version` with `pip_status`, and runs nothing (apt-get least of all)."""

    def __init__(self, make_venv, facts: dict, pip_status: int = 0):
        self.commands: list[list[str]] = []
        self.facts, self.pip_status = facts, pip_status
        self.probe = make_venv.PROBE

    def __call__(self, command, **kwargs):
        self.commands.append(list(command))
        if self.probe in command:
            return subprocess.CompletedProcess(command, 0, stdout=json.dumps(self.facts))
        if command[1:] == ["-m", "pip", "--version"]:
            return subprocess.CompletedProcess(command, self.pip_status)
        return subprocess.CompletedProcess(command, 0)


FACTS = {"version": [3, 11], "executable": "/usr/bin/python3.11", "sqlite3": True}


def test_without_ensurepip_the_running_pythons_pip_fills_the_environment(
    make_venv, tmp_path, monkeypatch
):
    run = FakeRun(make_venv, FACTS | {"ensurepip": False}, pip_status=0)
    monkeypatch.setattr(make_venv.subprocess, "run", run)
    make_venv.create(tmp_path / "venv", "/usr/bin/python3", FACTS | {"ensurepip": False})
    assert ["/usr/bin/python3", "-m", "venv", "--without-pip", str(tmp_path / "venv")] in (
        run.commands
    )
    assert run.commands[-1][:5] == [
        sys.executable,
        "-m",
        "pip",
        "--python",
        f"{tmp_path}/venv/bin/python",
    ]
    assert not any("apt-get" in command for command in run.commands)


def test_without_any_pip_debians_python3_venv_is_installed_first(make_venv, tmp_path, monkeypatch):
    run = FakeRun(make_venv, FACTS | {"ensurepip": True}, pip_status=1)
    monkeypatch.setattr(make_venv.subprocess, "run", run)
    monkeypatch.setattr(make_venv.os, "geteuid", lambda: 0)
    monkeypatch.setattr(make_venv.shutil, "which", lambda name: f"/usr/bin/{name}")
    make_venv.create(tmp_path / "venv", "/usr/bin/python3", FACTS | {"ensurepip": False})
    apt = [command for command in run.commands if "apt-get" in command]
    assert [command[3] for command in apt] == ["update", "install"]
    assert apt[1][-1] == "python3-venv"
    # Then the environment is made the ordinary way, ensurepip putting pip in.
    assert run.commands[-1] == ["/usr/bin/python3", "-m", "venv", str(tmp_path / "venv")]


@pytest.mark.parametrize(
    "python, uid, apt",
    [
        ("/usr/local/bin/python3", 0, True),
        ("/usr/bin/python3", 1000, True),
        ("/usr/bin/python3", 0, False),
    ],
)
def test_apt_get_only_for_the_systems_python_as_root(make_venv, monkeypatch, python, uid, apt):
    monkeypatch.setattr(make_venv.os, "geteuid", lambda: uid)
    monkeypatch.setattr(make_venv.shutil, "which", lambda name: f"/usr/bin/{name}" if apt else None)
    assert make_venv.debian_venv_package(python) == []


def test_outside_linux_the_system_python_is_not_asked(make_venv, tmp_path, monkeypatch):
    # macOS's /usr/bin/python3 is Apple's old one, or a stub that opens an installer.
    monkeypatch.delenv("PODIUM_PYTHON", raising=False)
    monkeypatch.setattr(make_venv.sys, "platform", "darwin")
    monkeypatch.setattr(make_venv, "SYSTEM_PYTHONS", (fake_python(tmp_path, "system", (3, 12)),))
    assert make_venv.choose()[0] == sys.executable
