import sys

from reanalysis import progress as module
from reanalysis.progress import Progress


def test_progress_shows_only_on_a_terminal_after_two_seconds(monkeypatch, capsys):
    clock = iter([0.0, 1.0, 2.5])
    monkeypatch.setattr(module.time, "monotonic", lambda: next(clock, 9.0))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    shown = Progress("papers judged")
    shown(1, 3)
    shown(2, 3)
    shown.close()
    assert capsys.readouterr().err == "\rreanalysis: 2/3 papers judged\r\033[K"


def test_progress_is_silent_off_a_terminal_and_when_quiet(monkeypatch, capsys):
    monkeypatch.setattr(module.time, "monotonic", lambda: 9.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    off = Progress("cells perturbed")
    off(3, 3)
    off.close()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    quiet = Progress("papers judged", quiet=True)
    quiet(3, 3)
    quiet.close()
    assert capsys.readouterr().err == ""
