"""Fixtures shared by the feature tests."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import worksheet


def _run_folder(tmp_path_factory) -> Path:
    """The base temp folder of this whole test run: each xdist worker's own is a folder inside it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def _disk_cache(tmp_path_factory):
    """The suite's own disk cache (worksheet/_cache.py), for this process and every command it starts: tests
    never write to the real user's cache folder, and always start from an empty one. One for the whole run, so
    the xdist workers share what each has cached (its writes are atomic)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKSHEET_CACHE_DIR", str(_run_folder(tmp_path_factory) / "worksheet-cache"))
        patch.delenv("WORKSHEET_NO_CACHE", raising=False)
        yield


@pytest.fixture(scope="session")
def library() -> worksheet.Library:
    return worksheet.load_library()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A running `worksheet serve` app for the serve tests; clinic settings go to a fresh config folder,
    never into the real user's."""
    from worksheet.serve.testing import start_server

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        running, stop = start_server()
        yield running
        stop()


@pytest.fixture(scope="session", autouse=True)
def _shared_builds_folder(tmp_path_factory):
    """Where tests/shared_builds.py leaves what it built for this run's other xdist workers (fresh every run)."""
    import shared_builds

    shared_builds.FOLDER = _run_folder(tmp_path_factory) / "shared-builds"


# Modules whose module-scoped fixtures are costly to start: a browser, a server with its spawned render workers, a
# Dask cluster. xdist's work stealing gives each worker a contiguous share of the collection and steals from the
# end of a share, so a module it splits starts its fixtures twice; first in the collection, these never are.
STARTED_ONCE = ("test_serve_browser.py", "test_serve.py", "test_dask.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in STARTED_ONCE)  # stable: otherwise the order stays
