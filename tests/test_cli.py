import filecmp
import shutil
import subprocess
import sys

import pytest

from reanalysis.claims import load_claims
from tests.conftest import ROOT


def run(*args, root):
    return subprocess.run([sys.executable, "-m", "reanalysis", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def _outputs(root):
    # report-overview.png is the browser test's screenshot, a CI artefact and not an output of reproduce.
    return sorted(p.relative_to(root) for d in ("results", "figures") for p in (root / d).rglob("*")
                  if p.is_file() and p.name != "report-overview.png")


def test_check_exits_0_when_every_verdict_holds(project):
    res = run("check", root=project)
    assert res.returncode == 0, res.stdout + res.stderr
    total = sum(len(load_claims(f / "claims.toml").claims) for f in (project / "datasets").iterdir())
    assert total > 500 and f"check: all {total} verdicts equal their audited verdicts" in res.stdout
    assert not (project / "results").exists()  # check writes nothing


def test_check_exits_1_and_names_the_changed_verdict(project):
    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    path.write_text(path.read_text().replace('reported = "0.0091"', 'reported = "0.0097"'))
    assert run("rehash", "ohtomo2005", root=project).returncode == 0  # the edit is deliberate
    res = run("check", root=project)
    assert res.returncode == 1
    assert "CHANGED ohtomo2005/results-csa-cum-p: verdict discrepant, audited reproduced" in res.stdout


def test_check_exits_1_when_a_decision_error_flag_changes(project):
    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    text = path.read_text()
    block = text.index('id = "abstract-steroid-sparing-significant"')
    flag = text.index("decision_error = true\n", block)
    path.write_text(text[:flag] + text[flag + len("decision_error = true\n"):])
    assert run("rehash", "ohtomo2005", root=project).returncode == 0
    res = run("check", root=project)
    assert res.returncode == 1
    assert ("CHANGED ohtomo2005/abstract-steroid-sparing-significant: verdict discrepant, audited discrepant, "
            "decision error true, audited false") in res.stdout


def test_an_audited_verdict_cannot_change_without_a_re_audit(project):
    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    text = path.read_text()
    block = text.index('id = "abstract-steroid-sparing-significant"')
    flag = text.index('expected = "discrepant"\ndecision_error = true\n', block)
    path.write_text(text[:flag] + 'expected = "reproduced"\n' + text[flag + len('expected = "discrepant"\ndecision_error = true\n'):])
    res = run("check", root=project)
    assert res.returncode == 2 and "claims.toml: changed since it was audited" in res.stderr
    assert "python -m reanalysis rehash ohtomo2005" in res.stderr
    rehashed = run("rehash", "ohtomo2005", root=project)
    assert "audit lock of claims.toml and the table schemas re-recorded" in rehashed.stdout
    res = run("check", root=project)
    assert res.returncode == 1 and "CHANGED ohtomo2005/abstract-steroid-sparing-significant: verdict discrepant, " \
        "audited reproduced, decision error true, audited false" in res.stdout


def test_reproduce_twice_gives_identical_bytes(project, tmp_path):
    assert run("reproduce", root=project).returncode == 0
    first = tmp_path / "first"
    shutil.copytree(project / "results", first / "results")
    shutil.copytree(project / "figures", first / "figures")
    assert run("reproduce", root=project).returncode == 0
    files = _outputs(project)
    assert files == _outputs(first) and len(files) >= 11
    match, mismatch, errors = filecmp.cmpfiles(project, first, [str(f) for f in files], shallow=False)
    assert mismatch == [] and errors == []


def test_committed_outputs_are_what_the_code_produces(project):
    """What a reader sees in the repository is what `make reproduce` writes."""
    assert run("reproduce", root=project).returncode == 0
    files = _outputs(project)
    assert files == _outputs(ROOT)
    match, mismatch, errors = filecmp.cmpfiles(project, ROOT, [str(f) for f in files], shallow=False)
    assert mismatch == [] and errors == [], "run `make reproduce` and commit results/ and figures/"


def test_list_names_every_claim(project):
    res = run("list", root=project)
    assert res.returncode == 0
    for folder in (project / "datasets").iterdir():
        paper = load_claims(folder / "claims.toml")
        assert f"{paper.paper}: {len(paper.claims)} claims, {len(paper.comparisons)} paired comparisons" in res.stdout
        assert all(f"  {c.id} " in res.stdout for c in paper.claims)


def test_a_paper_folder_copied_under_a_new_id_needs_no_python(project):
    """Adding a paper is adding data: a copy of every paper under a new id, rehashed, is checked like the
    original, with the same verdicts."""
    before = run("check", root=project)
    datasets = project / "datasets"
    originals = sorted(p.name for p in datasets.iterdir())
    for folder in sorted(datasets.iterdir()):
        copy = datasets / f"{folder.name}-copy"
        shutil.copytree(folder, copy)
        claims = copy / "claims.toml"
        claims.write_text(claims.read_text(encoding="utf-8").replace(f'id = "{folder.name}"', f'id = "{copy.name}"', 1),
                          encoding="utf-8")
        assert run("rehash", copy.name, root=project).returncode == 0
    after = run("check", root=project)
    assert after.returncode == 0, after.stdout[-2000:] + after.stderr
    rows = [line for line in before.stdout.splitlines() if line.split()[0] in originals]
    assert len(rows) == len(originals)
    for row in rows:
        paper, counts = row.split(maxsplit=1)
        assert f"{paper}-copy" in after.stdout and counts in after.stdout.split(f"{paper}-copy", 1)[1].splitlines()[0]


def test_console_script_is_installed():
    script = ROOT / ".venv" / "bin" / "reanalysis"
    if not script.exists():
        pytest.skip("not running from the project's virtual environment")
    res = subprocess.run([str(script), "--root", str(ROOT), "list"], capture_output=True, text=True)
    assert res.returncode == 0


def test_check_does_not_import_matplotlib():
    code = ("import sys; from reanalysis.cli import main; rc = main(['--root', %r, 'check']); "
            "sys.exit(10 if 'matplotlib' in sys.modules else rc)") % str(ROOT)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-500:]


def test_an_internal_error_is_one_line_exit_3_and_its_traceback_is_kept(monkeypatch, capsys):
    from reanalysis import cli

    def broken(*args):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(cli, "evaluate_all", broken)
    assert cli.main(["--root", str(ROOT), "check"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("reanalysis: internal error: ZeroDivisionError: division by zero (a bug: the full traceback is in ")
    saved = err.rsplit(" ", 1)[1].rstrip(")\n")
    text = open(saved, encoding="utf-8").read()
    assert text.startswith("Traceback") and "in broken" in text and "second line" in text


def test_ctrl_c_exits_130_quietly(monkeypatch, capsys):
    from reanalysis import cli

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "evaluate_all", interrupted)
    assert cli.main(["--root", str(ROOT), "list"]) == 130
    assert capsys.readouterr().err == ""


def test_a_reader_that_goes_away_is_not_a_crash():
    """``list | head -1``: the pipe closes early; no traceback, exit 141 (128 + SIGPIPE, as a shell reports it)."""
    res = subprocess.run(f"{sys.executable} -m reanalysis --root {ROOT} list | head -1", shell=True,
                         capture_output=True, text=True, timeout=300)
    assert res.stdout.count("\n") == 1 and res.stderr == ""
    res = subprocess.run(["bash", "-c", f"set -o pipefail; {sys.executable} -m reanalysis --root {ROOT} list | head -1"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode in (0, 141) and "Traceback" not in res.stderr


def test_a_write_failure_is_one_line_and_the_old_outputs_stay(project, monkeypatch, capsys):
    import errno

    from reanalysis import cli, outputs

    assert cli.main(["--root", str(project), "reproduce"]) == 0
    before = {p: p.read_bytes() for p in (project / "results").rglob("*") if p.is_file()}
    real = outputs.os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device", str(project / "results"))

    monkeypatch.setattr(outputs.os, "fsync", full)
    capsys.readouterr()
    assert cli.main(["--root", str(project), "reproduce"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("reanalysis: note:")]
    assert len(err) == 1 and "cannot write the outputs under" in err[0] and "No space left on device" in err[0]
    monkeypatch.setattr(outputs.os, "fsync", real)
    assert {p: p.read_bytes() for p in (project / "results").rglob("*") if p.is_file()} == before


def test_two_figures_with_one_file_name_are_refused_before_anything_is_written(project, capsys):
    from reanalysis import cli

    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    path.write_text(path.read_text().replace('"relapses"', '"proportions"'))
    assert cli.main(["--root", str(project), "rehash", "ohtomo2005"]) == 0
    assert cli.main(["--root", str(project), "check"]) == 0  # check draws nothing
    capsys.readouterr()
    assert cli.main(["--root", str(project), "reproduce"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("reanalysis: note:")]
    assert err == ["reanalysis: error: two figures would both be written to figures/ohtomo2005/proportions.svg; "
                   "rename the comparison, figure or pooled estimate whose id makes that name"]
    assert not (project / "results").exists()


def _broken_paper(folder, loaded=None):
    """A paper evaluation with a bug, importable by a worker process."""
    raise ZeroDivisionError("in a worker")


def test_a_crash_in_a_worker_process_is_one_line_and_exit_3(tmp_path, monkeypatch, capsys):
    """From PARALLEL_FROM papers on, papers are judged in worker processes; a bug there used to print three
    chained tracebacks."""
    from reanalysis import cli, engine
    from reanalysis.bench import synthetic_paper

    for i in range(engine.PARALLEL_FROM):
        synthetic_paper(tmp_path / "datasets" / f"p{i:02d}", i)

    monkeypatch.setattr(engine, "evaluate_paper", _broken_paper)
    assert cli.main(["--root", str(tmp_path), "check"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("reanalysis: internal error: ZeroDivisionError: in a worker")


def test_version_and_help_are_plain_and_give_every_exit_status(capsys):
    from reanalysis import __version__, cli

    with pytest.raises(SystemExit) as end:
        cli.main(["--version"])
    assert end.value.code == 0 and capsys.readouterr().out == f"reanalysis {__version__}\n"
    for command in [None, *cli.COMMANDS]:
        with pytest.raises(SystemExit):
            cli.main([command, "--help"] if command else ["--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "`" not in text and "exit status: " in text and "3 an internal error" in text, command
        if command:
            assert cli.COMMANDS[command][1].split(";")[0] in text


def test_paper_selects_papers_before_or_after_the_command(project):
    res = run("check", "--paper", "rokutanda2014", "--paper", "amjnephrol2012", root=project)
    assert res.returncode == 0 and "check: all 33 verdicts equal their audited verdicts" in res.stdout
    assert res.stdout.splitlines()[1].startswith("amjnephrol2012") and "kagawa" not in res.stdout
    res = subprocess.run([sys.executable, "-m", "reanalysis", "list", "--root", str(project), "--paper", "kagawa"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and res.stdout.startswith("kagawa: ")


def test_a_mistyped_paper_lists_the_papers(project):
    for args in (["check", "--paper", "kagwa"], ["rehash", "kagwa"], ["coverage", "kagwa"]):
        res = run(*args, root=project)
        assert res.returncode == 2 and "the papers are amjnephrol2012, fluge2011, jcr2011, kagawa" in res.stderr, args


def test_reproduce_names_the_files_it_wrote(project):
    res = run("reproduce", "--paper", "rokutanda2014", root=project)
    assert res.returncode == 0, res.stderr
    wrote = [line.removeprefix("wrote ") for line in res.stdout.splitlines() if line.startswith("wrote ")]
    assert wrote == [str(p) for p in _outputs(project)] and "results/claims.csv" in wrote
    assert "kagawa" not in (project / "results" / "claims.csv").read_text(encoding="utf-8")




def test_an_unaudited_claim_shows_its_verdict_and_exits_1(project):
    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    text = path.read_text(encoding="utf-8")
    old = 'id = "results-relapse-p"'
    start = text.index(old)
    block_end = text.index("[[claim]]", start)
    block = text[start:block_end]
    edited = block.replace('expected = "reproduced"', 'expected = "unaudited"')
    assert edited != block
    path.write_text(text[:start] + edited + text[block_end:], encoding="utf-8")
    assert run("rehash", "ohtomo2005", root=project).returncode == 0
    res = run("check", "--paper", "ohtomo2005", root=project)
    assert res.returncode == 1
    assert "UNAUDITED ohtomo2005/results-relapse-p: verdict reproduced, not audited yet (printed " in res.stdout
    assert "check: 1 await an audit" in res.stdout and "CHANGED" not in res.stdout
    path.write_text(text.replace('expected = "reproduced"\n', 'expected = "reproduced"\nnote = "DRAFT: to audit"\n', 1),
                    encoding="utf-8")
    assert run("rehash", "ohtomo2005", root=project).returncode == 0
    res = run("check", "--paper", "ohtomo2005", root=project)
    assert res.returncode == 1 and "UNAUDITED ohtomo2005/" in res.stdout
