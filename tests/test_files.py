import os

import pytest

from reanalysis import files
from reanalysis.errors import DataError


def test_a_regular_file_inside_its_folder_is_read(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    assert files.read_bytes(tmp_path / "a.csv", "a table", DataError, inside=tmp_path) == b"x\n"


def test_a_symlink_out_of_the_folder_is_refused_without_reading_the_target(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "a.csv").symlink_to(secret)
    with pytest.raises(DataError) as err:
        files.read_bytes(paper / "a.csv", "a table", DataError, inside=paper)
    assert "resolves outside" in str(err.value) and "root:x" not in str(err.value)


@pytest.mark.parametrize("make, kind", [
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: os.mkfifo(p), "is not a regular file (a FIFO, socket or device)"),
])
def test_a_folder_or_fifo_is_refused_before_anything_is_read(tmp_path, make, kind):
    make(tmp_path / "a.csv")
    with pytest.raises(DataError, match=f"a table {kind.replace('(', '[(]').replace(')', '[)]')}; expected a file$"):
        files.read_bytes(tmp_path / "a.csv", "a table", DataError, inside=tmp_path)


def test_a_device_is_refused(tmp_path):
    with pytest.raises(DataError, match="not a regular file"):
        files.read_bytes(os.devnull, "a table", DataError)


def test_a_file_above_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 10)
    (tmp_path / "a.csv").write_text("x" * 11)
    with pytest.raises(DataError, match="a table is 11 bytes, above the limit of 10$"):
        files.read_bytes(tmp_path / "a.csv", "a table", DataError)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r"a.csv: file not found \(a table\)$"):
        files.read_bytes(tmp_path / "a.csv", "a table", DataError)
