import os
import signal
import subprocess
import sys
import time

import pytest

from reanalysis import outputs


def _tree(root):
    return {str(p.relative_to(root)): p.read_text() for d in outputs.FOLDERS for p in sorted((root / d).rglob("*"))
            if p.is_file()}


def _set(root, tag, names=("results/claims.csv", "results/report.md", "figures/a/x.svg")):
    return {root / n: f"{tag} {n}\n" for n in names}


def test_the_set_is_replaced_whole_and_stale_files_go(tmp_path):
    outputs.publish(tmp_path, _set(tmp_path, "old", ("results/claims.csv", "figures/gone/y.svg")))
    outputs.publish(tmp_path, _set(tmp_path, "new"))
    assert _tree(tmp_path) == {"results/claims.csv": "new results/claims.csv\n",
                               "results/report.md": "new results/report.md\n", "figures/a/x.svg": "new figures/a/x.svg\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [outputs.LOCK, "figures", "results"]  # no staging left


def test_kept_files_are_carried_over(tmp_path):
    outputs.publish(tmp_path, _set(tmp_path, "old"))
    outputs.publish(tmp_path, {tmp_path / "results" / "report.md": "new\n"}, keep=("results/claims.csv",))
    assert _tree(tmp_path) == {"results/claims.csv": "old results/claims.csv\n", "results/report.md": "new\n"}


def test_outputs_are_readable_by_others_as_the_umask_allows(tmp_path):
    old = os.umask(0o022)
    try:
        outputs.publish(tmp_path, _set(tmp_path, "x"))
    finally:
        os.umask(old)
    assert (tmp_path / "results" / "claims.csv").stat().st_mode & 0o777 == 0o644


def test_a_path_outside_the_output_folders_is_refused(tmp_path):
    with pytest.raises(ValueError, match="outside results and figures"):
        outputs.publish(tmp_path, {tmp_path / "datasets" / "x.csv": "x"})


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs (BaseException passes every except clause of the code)."""


@pytest.mark.parametrize("step", range(1, 40))
def test_a_run_killed_at_any_step_leaves_the_old_or_the_new_set(tmp_path, monkeypatch, step):
    """Every file write, fsync and rename of a replacement is a step; the run dies at step ``step``. The next run
    (recover) then finds the old set whole, or the new one."""
    old, new = _set(tmp_path, "old", ("results/claims.csv", "figures/a/x.svg", "figures/gone.svg")), _set(tmp_path, "new")
    outputs.publish(tmp_path, old)
    before = _tree(tmp_path)
    count = {"n": 0}

    def tick(real):
        def wrapped(*args, **kwargs):
            count["n"] += 1
            if count["n"] == step:
                raise Killed
            return real(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(outputs.os, "replace", tick(os.replace))
    monkeypatch.setattr(outputs.os, "fsync", tick(os.fsync))
    try:
        outputs.publish(tmp_path, new)
    except Killed:
        pass
    monkeypatch.undo()
    outputs.recover(tmp_path)
    after = _tree(tmp_path)
    assert after in (before, {str(p.relative_to(tmp_path)): t for p, t in new.items()}), (step, after)
    assert not (tmp_path / outputs.STAGING).exists() and not (tmp_path / outputs.REPLACED).exists()


def test_reproduce_killed_while_it_writes_leaves_a_whole_set(project):
    """A real SIGKILL, sent as soon as the staging folder appears (and a little later, twice); the next command
    finishes or undoes the swap. The set on disk is then byte for byte the old one or the new one (the edit
    changes a comparison's label, which both results/ and figures/ print)."""
    run = [sys.executable, "-m", "reanalysis", "--root", str(project), "reproduce"]
    assert subprocess.run(run, capture_output=True).returncode == 0
    old = _tree(project)
    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    path.write_text(path.read_text().replace('label = "Relapses', 'label = "Number of relapses', 1))
    assert subprocess.run(run[:-1] + ["rehash", "ohtomo2005"], capture_output=True).returncode == 0
    found = []
    for delay in (0.0, 0.02, 0.2):
        proc = subprocess.Popen(run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while not (project / outputs.STAGING).exists() and proc.poll() is None and time.time() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        subprocess.run(run[:-1] + ["list"], capture_output=True)  # any command finishes an interrupted swap
        found.append(_tree(project))
        assert not (project / outputs.STAGING).exists() and not (project / outputs.REPLACED).exists()
    assert subprocess.run(run, capture_output=True).returncode == 0
    new = _tree(project)
    changed = {name for name in new if new[name] != old.get(name)}
    assert any(n.startswith("results/") for n in changed) and any(n.startswith("figures/") for n in changed)
    assert all(tree in (old, new) for tree in found)
