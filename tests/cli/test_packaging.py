"""Packaging: the wheel wraps cli.py into the package, ships the data and templates, and installs a
working `compendium` command (checked in a fresh virtual environment, offline)."""
from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from compendium import __version__
from tests.helpers import REPO

OFFLINE_SIGNS = ("No matching distribution found", "Could not find a version", "NewConnectionError",
                 "Temporary failure in name resolution", "Failed to establish a new connection", "Network is unreachable")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 and any(sign in proc.stdout + proc.stderr for sign in OFFLINE_SIGNS):
        pytest.skip("the build backend (hatchling) cannot be fetched offline")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path,) = out.glob("compendium-*.whl")
    return path


def dependency_dirs() -> list[str]:
    """Where this interpreter finds click, ruamel.yaml, jinja2...: every site-packages folder on its
    path (a venv's own, and the system's too in a venv made with --system-site-packages, the user's).
    The new environment lists them after its own site-packages, so its compendium is the wheel's."""
    dirs = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages()}
    if site.ENABLE_USER_SITE:
        dirs.add(site.getusersitepackages())
    dirs.update(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages"))
    return sorted(d for d in dirs if Path(d).is_dir())


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; its dependencies come from this interpreter."""
    env = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    bindir = env / ("Scripts" if sys.platform == "win32" else "bin")
    python = bindir / ("python.exe" if sys.platform == "win32" else "python")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "deps.pth").write_text("\n".join(dependency_dirs()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
                    str(wheel)], check=True, capture_output=True, timeout=120)
    return bindir


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "compendium/cli.py" in names
    assert "compendium/__main__.py" in names
    assert "compendium/data/countries.tsv" in names
    assert any(n.startswith("compendium/templates/") for n in names)
    assert "cli.py" not in names  # no top-level module named `cli` is installed
    assert not any(n.startswith(("tests/", "entries/", "bench/")) for n in names)
    assert not any("__pycache__" in n for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "compendium = compendium.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_templates_match_the_checkout(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n[len("compendium/templates/"):] for n in names if n.startswith("compendium/templates/")}
    in_checkout = {p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
    assert shipped == in_checkout


def test_installed_command(installed, tmp_path):
    exe = installed / ("compendium.exe" if sys.platform == "win32" else "compendium")
    python = installed / ("python.exe" if sys.platform == "win32" else "python")

    def run(*args, cwd=tmp_path):
        return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=60)

    proc = run(exe, "--version")
    assert proc.returncode == 0, proc.stderr
    assert __version__ in proc.stdout
    proc = run(python, "-m", "compendium", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "validate" in proc.stdout and "new-entry" in proc.stdout
    # the package comes from the environment, not from the checkout; no top-level `cli` module
    proc = run(python, "-c", "import compendium, importlib.util as u; print(compendium.__file__); print(u.find_spec('cli'))")
    where, cli_spec = proc.stdout.splitlines()
    assert Path(where).is_relative_to(installed.parent) and cli_spec == "None"
    # a project made by the installed command validates (countries.tsv is read from the package)
    proc = run(exe, "init", tmp_path / "p")
    assert proc.returncode == 0, proc.stderr
    proc = run(exe, "validate", cwd=tmp_path / "p" / "entries")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("1 file checked: no problems found; 1 file skipped on purpose")
    proc = run(exe, "new-entry", "--title", "Huduma Centres", "--country", "Kenya", "--category", "service-delivery",
               "--institution", "Huduma Kenya Secretariat", cwd=tmp_path / "p")
    assert proc.returncode == 0, proc.stderr
    proc = run(exe, "validate", cwd=tmp_path / "p")
    assert proc.returncode == 0 and "[entry.placeholder]" in proc.stdout, proc.stdout + proc.stderr
    proc = run(exe, "validate", "--format", "yaml", cwd=tmp_path / "p")
    assert proc.returncode == 2
