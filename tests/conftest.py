import shutil
from pathlib import Path

import pytest

from reanalysis import sources
from reanalysis.engine import evaluate_paper

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
SOURCES = sources.search_path(ROOT)


@pytest.fixture(scope="session")
def ohtomo():
    """The Ohtomo 2005 paper, evaluated once."""
    return evaluate_paper(DATASETS / "ohtomo2005")


@pytest.fixture
def project(tmp_path):
    """A scratch copy of the project's datasets, to break on purpose."""
    shutil.copytree(DATASETS, tmp_path / "datasets")
    return tmp_path


def seed_text(name: str) -> str:
    """A source document from the search path ($REANALYSIS_SOURCES, else ../shared/seeds), or skip when
    it is not there."""
    path = sources.find(name, SOURCES)
    if path is None:
        pytest.skip(f"source document {name} not in {', '.join(map(str, SOURCES))}")
    return sources.read(path)
