"""Fuzzing: valid input files mutated at random must still end as an exit status a script can trust.

Each example copies two small papers (amjnephrol2012 and rokutanda2014), mutates one of their files (a line
deleted, duplicated or cut, a character replaced by another one from anywhere in Unicode, a value swapped for a
huge number, a string, a list or a table, the file truncated or emptied) and runs ``check`` and ``reproduce``.
Whatever the mutation, the exit status is 0, 1 or 2, stderr holds at most one line beyond the notes about unchecked
quotes and never a traceback, a failing run writes nothing, and each run ends within 30 seconds.

The examples are the same on every run (CI must not flake); ``FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1`` explores further.
"""

import os
import shutil
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reanalysis.cli import main
from tests.conftest import DATASETS

PAPERS = ("amjnephrol2012", "rokutanda2014")
FILES = [(paper, name) for paper in PAPERS for name in ("claims.toml", "datapackage.json")] + [
    ("amjnephrol2012", "counts.csv"), ("rokutanda2014", "counts.csv")]
VALUES = ["9" * 400, "1e999", "-1", "0", "NaN", '"x"', "[1, 2]", "{ a = 1 }", "true", '"\u0661\u0662"', '"\uff12"',
          '"=HYPERLINK(1)"', "{}", '""']


def _mutate(text: str, how: str, where: float, other: str) -> str:
    lines = text.split("\n")
    i = min(int(where * len(lines)), len(lines) - 1)
    if how == "delete line":
        return "\n".join(lines[:i] + lines[i + 1:])
    if how == "duplicate line":
        return "\n".join(lines[:i + 1] + lines[i:])
    if how == "cut line":
        return "\n".join(lines[:i] + [lines[i][: len(lines[i]) // 2]] + lines[i + 1:])
    if how == "truncate":
        return text[: int(where * len(text))]
    if how == "empty":
        return ""
    if how == "replace character":
        j = min(int(where * len(text)), len(text) - 1)
        return text[:j] + other + text[j + 1:]
    # replace a value: the text after the first "=", ":" or "," on the line
    line = lines[i]
    for sep in ("= ", ": ", ","):
        if sep in line:
            head = line.split(sep, 1)[0]
            lines[i] = f"{head}{sep}{other}"
            break
    return "\n".join(lines)


MUTATIONS = st.tuples(st.sampled_from(FILES),
                      st.sampled_from(["delete line", "duplicate line", "cut line", "truncate", "empty",
                                       "replace character", "replace value"]),
                      st.floats(0, 1, exclude_max=True),
                      st.one_of(st.sampled_from(VALUES), st.characters()))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
          derandomize=not os.environ.get("FUZZ_RANDOM"), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(MUTATIONS)
def test_a_mutated_input_ends_in_a_trusted_exit_status(tmp_path_factory, capsys, mutation):
    (paper, name), how, where, other = mutation
    root = tmp_path_factory.mktemp("fuzz")
    for p in PAPERS:
        shutil.copytree(DATASETS / p, root / "datasets" / p)
    path = root / "datasets" / paper / name
    path.write_text(_mutate(path.read_text(encoding="utf-8"), how, where, other), encoding="utf-8",
                    errors="surrogatepass")
    for command in ("check", "reproduce"):
        capsys.readouterr()
        start = time.perf_counter()
        status = main(["--root", str(root), command])
        took = time.perf_counter() - start
        out = capsys.readouterr()
        said = [line for line in out.err.splitlines() if not line.startswith("reanalysis: note: quotes of")]
        assert status in (0, 1, 2), (mutation, command, status, out.err)
        assert len(said) <= 1 and "Traceback" not in out.err + out.out, (mutation, command, out.err)
        assert took < 30, (mutation, command, took)
        if status == 2 or command == "check":
            assert not (root / "results").exists() and not (root / "figures").exists(), (mutation, command)
