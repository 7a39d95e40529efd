"""mubiao as an office gets it: a wheel installed from the lock into a fresh environment, started from folders
that hold packages named like mubiao's own parts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import contents, plant_lookalikes

ROOT = Path(__file__).resolve().parents[1]
PIP = ("-m", "pip", "install", "--quiet", "--disable-pip-version-check")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built as `pip wheel` builds it, from a copy of the files git would commit (setuptools writes build/ beside
    the sources)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", out, source],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("mubiao-*.whl")
    return built


def test_the_wheel_installs_one_top_level_name(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"mubiao"}
    for data in ("mubiao/data/default_zone/", "mubiao/warehouse/schema.sql", "mubiao/report/templates/"):
        assert any(name.startswith(data) for name in names), data
    assert not any("/generator/" in name for name in names), "the zone's generator stays in the repository"


def test_the_wheel_with_its_locked_dependencies_runs_the_bundled_zone_from_an_empty_folder(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    for lock in ("requirements-pip.lock", "requirements.lock"):
        subprocess.run([python, *PIP, "--require-hashes", "-r", ROOT / lock], check=True)
    subprocess.run([python, *PIP, "--no-deps", wheel], check=True)
    office = tmp_path / "office"
    office.mkdir()
    plant_lookalikes(office)
    done = subprocess.run(
        [venv / "bin" / "mubiao", "run"],
        cwd=office,
        capture_output=True,
        text=True,
        timeout=600,
        env=_clean_env(tmp_path / "prefect"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (office / "mubiao-data" / "report" / "2017" / "report.html").is_file()
    site = next((venv / "lib").glob("python3.*/site-packages"))
    assert not [p.name for p in site.iterdir() if p.name in {"flows", "report", "pipelines", "warehouse", "data"}]


def test_lookalike_packages_in_the_working_folder_change_nothing(mubiao_process, tmp_path: Path) -> None:
    """`mubiao run` and a backfill started among folders named `report`, `flows` … (each raising on import)."""
    plain, office = tmp_path / "plain", tmp_path / "office"
    for folder in (plain, office):
        folder.mkdir()
    plant_lookalikes(office)
    for folder in (plain, office):
        mubiao_process("run", "--warehouse", "wh/warehouse.duckdb", cwd=folder)
    assert contents(office / "wh" / "warehouse.duckdb") == contents(plain / "wh" / "warehouse.duckdb")
    for folder in (plain, office):
        mubiao_process(
            "backfill", "--from", "2017-01", "--to", "2017-03", "--warehouse", "wh/warehouse.duckdb", cwd=folder
        )
    assert contents(office / "wh" / "warehouse.duckdb") == contents(plain / "wh" / "warehouse.duckdb")


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a new shell: none of this test session's Python or Prefect settings."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PYTHON", "VIRTUAL_ENV"))}
    return kept | {"PREFECT_HOME": str(home), "COLUMNS": "200"}
