import shutil
from pathlib import Path

import pytest

from reanalysis.engine import evaluate_paper

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
SEEDS = ROOT.parent / "shared" / "seeds"


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
    """A source document, or skip when ../shared/seeds is not beside the repository."""
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"source document {path} not available")
    return path.read_text(encoding="utf-8")
