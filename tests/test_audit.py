import json

import pytest

from reanalysis import audit
from reanalysis.errors import DataError
from tests.conftest import DATASETS


@pytest.mark.parametrize("paper", sorted(p.name for p in DATASETS.iterdir() if p.is_dir()))
def test_every_paper_is_locked_as_audited(paper):
    audit.verify(DATASETS / paper)


def test_a_changed_note_breaks_the_lock_until_it_is_re_recorded(project):
    folder = project / "datasets" / "kagawa"
    path = folder / "claims.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('note = "', 'note = "Re-audited. ', 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"claims.toml: changed since it was audited \(sha256:[0-9a-f]{64} differs from "
                                        r"the recorded sha256:[0-9a-f]{64}\)"):
        audit.verify(folder)
    assert audit.relock(folder) and not audit.relock(folder)
    audit.verify(folder)


def test_csv_hashes_do_not_enter_the_metadata_fingerprint(project):
    """A CSV edit is the CSV hash's business (datasets.rehash); the lock covers schemas and provenance."""
    folder = project / "datasets" / "ohtomo2005"
    path = folder / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    before = audit.fingerprints(folder)
    meta["resources"][0]["hash"] = "sha256:" + "0" * 64
    path.write_text(json.dumps(meta), encoding="utf-8")
    assert audit.fingerprints(folder) == before
    meta["resources"][0]["schema"]["missingValues"] = ["", "NA"]
    path.write_text(json.dumps(meta), encoding="utf-8")
    assert audit.fingerprints(folder)["metadata"] != before["metadata"]
