"""The ``openphm`` entry point: exit codes and one-line errors."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from openphm.cli.main import main


def _exit_code(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int:
    monkeypatch.setattr(sys, "argv", ["openphm", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    return int(exc.value.code or 0)


def test_unknown_command_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _exit_code(monkeypatch, ["no-such-command"]) == 2


def test_openphm_error_is_one_line_with_status_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = f"{tmp_path}/missing.csv"
    assert _exit_code(monkeypatch, ["info", missing]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.csv" in err and "no such file" in err


def test_version(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_code(monkeypatch, ["--version"]) == 0
    assert capsys.readouterr().out.startswith("openphm ")


def test_markup_like_input_is_printed_as_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Names that look like Rich markup are neither swallowed nor a MarkupError traceback."""
    path = tmp_path / "bare.csv"
    path.write_text("\n".join(str(v) for v in range(64)))
    for channel in ("[/x]", "[bold]"):
        assert (
            _exit_code(monkeypatch, ["info", str(path), "--fs", "100", "--channel", channel]) == 2
        )
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"no channel '{channel}'" in err
    assert _exit_code(monkeypatch, ["spectrum", str(path), "--fs", "100"]) == 0
    out = capsys.readouterr().out
    assert "bare.csv [ch0]:" in out


def test_data_quality_warning_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A usable but suspect record warns in one ``warning:`` line, not Python's two-line format."""
    path = tmp_path / "clipped.csv"
    x = np.clip(np.random.default_rng(0).normal(size=4000), -1.5, 1.5)
    path.write_text("\n".join(f"{v:.6g}" for v in x))
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert _exit_code(monkeypatch, ["spectrum", str(path), "--fs", "1000"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("warning: ") and "clipped.csv" in line for line in err)
    assert any("clipping" in line for line in err)


def test_help_paragraphs_are_reflowed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Docstring line breaks do not survive into --help (they left ragged half-empty lines)."""
    monkeypatch.setenv("COLUMNS", "200")
    assert _exit_code(monkeypatch, ["envelope", "--help"]) == 0
    out = capsys.readouterr().out
    assert "band of the fast kurtogram that is at least --fmax wide" in out


def test_every_command_is_listed_with_its_own_help_line() -> None:
    """``openphm --help`` lists each command from main.COMMANDS without importing it; each
    line there must be the start of the command's own help (its docstring's first paragraph)."""
    from openphm.cli.main import COMMANDS, load_command

    for name, (_, listed) in COMMANDS.items():
        command = load_command(name)
        own = " ".join((command.short_help or command.help or "").split("\n\n")[0].split())
        assert own.startswith(listed.rstrip(".")), name


def test_a_command_module_is_imported_only_when_its_command_runs() -> None:
    import subprocess

    probe = (
        "import sys\n"
        "from openphm.cli.main import main\n"
        "sys.argv = ['openphm', 'bearing', '6205']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('openphm.cli.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "openphm.cli.bearing" in loaded
    for other in ("diagnose", "bench", "fleet", "ingest", "spectral", "monitor"):
        assert f"openphm.cli.{other}'" not in loaded


def test_root_help_lists_every_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from openphm.cli.main import COMMANDS

    monkeypatch.setenv("COLUMNS", "250")
    assert _exit_code(monkeypatch, ["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f" {name} " in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["demo", "--report-only", "--out", "/dev/null"], "/dev/null: exists and is not a folder"),
        (["info", "/dev/zero", "--format", "hdf5"], "/dev/zero: not a regular file"),
    ],
)
def test_hostile_paths_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    says: str,
) -> None:
    assert _exit_code(monkeypatch, args) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_piped_output_is_not_cut_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    from openphm.cli.output import PIPE_WIDTH, _console

    monkeypatch.delenv("COLUMNS", raising=False)
    assert _console(stderr=False).width == PIPE_WIDTH
    monkeypatch.setenv("COLUMNS", "100")
    assert _console(stderr=False).width == 100
