"""Fixtures shared by the feature tests."""

import pytest
from click.testing import CliRunner

import worksheet


@pytest.fixture(scope="session")
def library() -> worksheet.Library:
    return worksheet.load_library()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
