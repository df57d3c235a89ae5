"""The `kiosk` command line, tested like click's CliRunner: invoke, then assert exit code and output.

In-process (``kiosk.cli.main([...])`` with capsys) where that is enough; a real
subprocess where the process boundary is the point: the console-script entry
points, stdin, the environment, and "a bad configuration stops the kiosk before
any window opens".
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.admin.pin import verify_pin
from kiosk.cli import main

REPO = Path(__file__).resolve().parents[2]
REPO_TOML = REPO / "kiosk.toml"
BIN = Path(sys.executable).parent  # the virtualenv's bin/, where pip put the entry points
RUN_OPTIONS = ("--config", "--demo", "--windowed", "--size", "--rotate")
BOGUS_DRIVER = "nonexistent"  # pygame.display.init() fails with "nonexistent not available"


def clean_env(**extra: str) -> dict[str, str]:
    """The test's environment without anything that would change what the kiosk reads."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("KIOSK_CONFIG", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM")}
    env.update(PYGAME_HIDE_SUPPORT_PROMPT="1", SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env.update(extra)
    return env


def kiosk(*args: str, env: dict[str, str] | None = None, stdin: str | None = None,
          entry_point: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the command as a technician would: ``python -m kiosk ...`` or an installed entry point."""
    command = [str(BIN / entry_point)] if entry_point else [sys.executable, "-m", "kiosk"]
    return subprocess.run([*command, *args], input=stdin if stdin is not None else "", capture_output=True,
                          text=True, env=env or clean_env(), cwd=cwd, timeout=60)


def broken(tmp_path: Path, *replacements: tuple[str, str], name: str = "kiosk.toml") -> Path:
    """A copy of the repository's kiosk.toml with whole lines replaced."""
    text = REPO_TOML.read_text(encoding="utf-8")
    for old, new in replacements:
        assert re.search(rf"(?m)^{re.escape(old)}$", text), f"kiosk.toml has no line {old!r}"
        text = re.sub(rf"(?m)^{re.escape(old)}$", lambda _, line=new: line, text, count=1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problem_lines(stderr: str, path: Path) -> list[str]:
    """The problem lines after the header; fails unless the output has exactly that shape."""
    lines = stderr.splitlines()
    assert lines, "nothing on stderr"
    assert lines[0] == f"kiosk: invalid configuration {path}:", stderr
    problems = lines[1:]
    assert problems, stderr
    for line in problems:
        assert line.startswith(f"  {path.name}"), f"not a problem line: {line!r}"
    assert "Traceback" not in stderr
    return [line.strip() for line in problems]


# --- help -------------------------------------------------------------------------------

def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kiosk")
    for command in ("run", "check-config", "screenshots", "bench", "hash-pin"):
        assert command in out


def test_run_help_lists_the_documented_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in RUN_OPTIONS:
        assert re.search(rf"^\s+{option}\b", out, re.M), f"{option} missing from:\n{out}"
    assert "--exit-after-first-frame" not in out  # internal flag, hidden on purpose


def test_installed_entry_points_answer_help():
    result = kiosk("run", "--help", entry_point="kiosk")
    assert result.returncode == 0, result.stderr
    assert all(option in result.stdout for option in RUN_OPTIONS)
    assert result.stderr == ""

    result = kiosk("--help", entry_point="kiosk-provision")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: kiosk-provision")
    assert "Traceback" not in result.stderr


def test_help_does_not_import_pygame_or_pydantic():
    """The CLI's promise: `kiosk --help` answers at once, heavy modules stay unloaded."""
    probe = textwrap.dedent("""
        import sys
        from kiosk.cli import main
        try:
            main(["run", "--help"])
        except SystemExit:
            pass
        print("LOADED", sorted(m for m in ("pygame", "pydantic") if m in sys.modules))
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=clean_env(),
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "LOADED []"


# --- check-config -----------------------------------------------------------------------

def test_check_config_on_the_repository_file(capsys):
    assert main(["check-config", str(REPO_TOML)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[-1] == f"{REPO_TOML}: OK"
    warnings = lines[:-1]
    assert warnings and all(line.startswith("warning: kiosk.toml: ") for line in warnings)
    assert any("admin.pin_hash" in line and "demo PIN" in line for line in warnings)
    assert captured.err == ""


def test_check_config_as_a_process():
    result = kiosk("check-config", str(REPO_TOML), entry_point="kiosk")
    assert result.returncode == 0, result.stderr
    assert "demo PIN" in result.stdout
    assert result.stdout.endswith(f"{REPO_TOML}: OK\n")


BROKEN = {
    "unknown key": (
        [("fullscreen = true", "fullscreen = true\ncolour_depth = 24")],
        ["kiosk.toml: display.colour_depth = 24: unknown key (allowed here: size, rotation, fullscreen)"],
    ),
    "unknown section": (
        [("[touch]", "[touchscreen]")],
        ["kiosk.toml: touchscreen = {'type': 'sdl'}: unknown section (allowed here: "],
    ),
    "wrong type (quoted number)": (
        [("rotation = 0", 'rotation = "90"')],
        ["kiosk.toml: display.rotation = '90': must be one of 0, 90, 180, 270 (write it without quotes)"],
    ),
    "wrong type (number for a boolean)": (
        [("large_text = false", "large_text = 1")],
        ["kiosk.toml: accessibility.large_text = 1: must be true or false"],
    ),
    "out of range": (
        [("warn_after_s = 45", "warn_after_s = 5")],
        ["kiosk.toml: idle.warn_after_s = 5: must be at least 10"],
    ),
    "missing required key": (
        [('town_name = "Saint-Clément-des-Vignes"', "")],
        ["kiosk.toml: branding.town_name: missing (required): a name of 1 to 80 characters"],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_config_reports_each_problem_on_one_line(tmp_path, capsys, case):
    replacements, expected = BROKEN[case]
    path = broken(tmp_path, *replacements)
    with pytest.raises(SystemExit) as exit_:
        main(["check-config", str(path)])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    problems = problem_lines(captured.err, path)
    assert len(problems) == len(expected), captured.err
    for line, start in zip(problems, expected, strict=True):
        assert line.startswith(start), f"{line!r} should start with {start!r}"


def test_several_problems_give_one_line_each_with_the_dotted_key(tmp_path):
    path = broken(tmp_path, ("rotation = 0", 'rotation = "90"'), ("warn_after_s = 45", "warn_after_s = 5"),
                  ("fullscreen = true", "fullscreen = true\ncolour_depth = 24"))
    result = kiosk("check-config", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    problems = problem_lines(result.stderr, path)
    keys = sorted(re.match(r"kiosk\.toml: ([a-z_.]+) = ", line)[1] for line in problems)
    assert keys == ["display.colour_depth", "display.rotation", "idle.warn_after_s"]


def test_toml_syntax_error_says_line_and_column(tmp_path, capsys):
    path = broken(tmp_path, ("fullscreen = true", "fullscreen = yes"))
    line_no = path.read_text(encoding="utf-8").splitlines().index("fullscreen = yes") + 1
    with pytest.raises(SystemExit) as exit_:
        main(["check-config", str(path)])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    # column 14 is the "y" of "yes"
    assert problem_lines(captured.err, path) == [f"kiosk.toml line {line_no}, column 14: Invalid value"]


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "absent.toml"
    with pytest.raises(SystemExit) as exit_:
        main(["check-config", str(path)])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert problem_lines(captured.err, path) == [f"absent.toml: file not found ({path})"]
    assert captured.out == ""


def test_a_folder_instead_of_a_file(tmp_path, capsys):
    folder = tmp_path / "kiosk.toml"
    folder.mkdir()
    with pytest.raises(SystemExit) as exit_:
        main(["check-config", str(folder)])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert problem_lines(captured.err, folder) == [f"kiosk.toml: is a folder, not a file ({folder})"]
    assert captured.out == ""


def test_check_config_follows_kiosk_config(tmp_path):
    path = broken(tmp_path, ("warn_after_s = 45", "warn_after_s = 5"))
    result = kiosk("check-config", env=clean_env(KIOSK_CONFIG=str(path)))
    assert result.returncode == 2
    assert problem_lines(result.stderr, path) == ["kiosk.toml: idle.warn_after_s = 5: must be at least 10"]


# --- run with a bad configuration: exit 2 before any window -----------------------------

def test_run_with_a_bad_config_stops_before_the_display(tmp_path):
    """With a bogus SDL video driver, reaching pygame.display would fail differently."""
    path = broken(tmp_path, ("rotation = 0", 'rotation = "90"'))
    result = kiosk("run", "--config", str(path), "--demo", "--windowed", entry_point="kiosk",
                   env=clean_env(SDL_VIDEODRIVER=BOGUS_DRIVER))
    assert result.returncode == 2
    assert result.stdout == ""  # not even the "starting: ..." log line
    assert problem_lines(result.stderr, path) == [
        "kiosk.toml: display.rotation = '90': must be one of 0, 90, 180, 270 (write it without quotes)"]
    assert BOGUS_DRIVER not in result.stderr


def test_the_bogus_driver_probe_would_notice_a_display(tmp_path):
    """Control for the test above: with a good file, the same command does reach the display."""
    result = kiosk("run", "--config", str(REPO_TOML), "--demo", "--windowed", "--exit-after-first-frame",
                   entry_point="kiosk", env=clean_env(SDL_VIDEODRIVER=BOGUS_DRIVER))
    assert result.returncode == 1
    # One clear log line (the journal gets stdout), no traceback.
    assert f"cannot open the display (SDL_VIDEODRIVER={BOGUS_DRIVER}): {BOGUS_DRIVER} not available" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_run_with_a_bad_config_never_imports_pygame(tmp_path):
    path = broken(tmp_path, ("warn_after_s = 45", "warn_after_s = 5"))
    probe = textwrap.dedent(f"""
        import sys
        from kiosk.cli import main
        try:
            main(["run", "--config", {str(path)!r}, "--demo", "--windowed"])
        except SystemExit as exc:
            print("EXIT", exc.code, "pygame" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=clean_env(),
                            timeout=60)
    assert result.stdout.splitlines() == ["EXIT 2 False"], result.stdout + result.stderr


def test_run_with_a_bad_kiosk_config_variable(tmp_path):
    path = broken(tmp_path, ("large_text = false", "large_text = 1"))
    result = kiosk("run", "--demo", "--windowed",
                   env=clean_env(KIOSK_CONFIG=str(path), SDL_VIDEODRIVER=BOGUS_DRIVER))
    assert result.returncode == 2
    assert result.stdout == ""
    assert problem_lines(result.stderr, path) == ["kiosk.toml: accessibility.large_text = 1: must be true or false"]


def test_run_with_a_missing_config_file(tmp_path):
    path = tmp_path / "etc" / "kiosk.toml"
    result = kiosk("run", "--config", str(path), env=clean_env(SDL_VIDEODRIVER=BOGUS_DRIVER))
    assert result.returncode == 2
    assert problem_lines(result.stderr, path) == [f"kiosk.toml: file not found ({path})"]


# --- argument errors --------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--size", "12x5"], "argument --size: '12x5': width and height must be between 320 and 7680"),
    (["--size", "big"], "argument --size: 'big' is not a size like 1080x1920"),
    (["--rotate", "45"], "argument --rotate: invalid choice: 45 (choose from 0, 90, 180, 270)"),
    (["--rotate", "ninety"], "argument --rotate: invalid int value: 'ninety'"),
])
def test_run_rejects_bad_arguments(capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["run", *args])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.splitlines()
    assert err[0].startswith("usage: kiosk run")
    assert err[-1] == f"kiosk run: error: {message}"


def test_argument_errors_exit_2_as_a_process():
    result = kiosk("run", "--size", "12x5", env=clean_env(SDL_VIDEODRIVER=BOGUS_DRIVER))
    assert result.returncode == 2
    assert "width and height must be between 320 and 7680" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    assert "the following arguments are required: COMMAND" in capsys.readouterr().err


# --- hash-pin ---------------------------------------------------------------------------

def test_hash_pin_reads_stdin_and_prints_a_usable_hash(tmp_path):
    result = kiosk("hash-pin", stdin="4321\n", entry_point="kiosk")
    assert result.returncode == 0, result.stderr
    [pin_hash] = result.stdout.splitlines()
    assert verify_pin("4321", pin_hash)
    assert not verify_pin("1234", pin_hash)
    assert "4321" not in result.stdout + result.stderr

    # Pasted into kiosk.toml, it is accepted and the demo-PIN warning goes away.
    path = broken(tmp_path, (next(line for line in REPO_TOML.read_text(encoding="utf-8").splitlines()
                                  if line.startswith("pin_hash = ")), f'pin_hash = "{pin_hash}"'))
    check = kiosk("check-config", str(path))
    assert check.returncode == 0, check.stderr
    assert "demo PIN" not in check.stdout


def test_hash_pin_salts_every_hash():
    first, second = (kiosk("hash-pin", stdin="4321\n").stdout for _ in range(2))
    assert first != second


def test_hash_pin_refuses_a_pin_that_is_not_digits(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("12ab\n"))
    assert main(["hash-pin"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "kiosk: the PIN must be 4 to 8 digits (0-9)\n"


def test_hash_pin_refusal_as_a_process():
    result = kiosk("hash-pin", stdin="12ab\n", entry_point="kiosk")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "must be 4 to 8 digits" in result.stderr
    assert "12ab" not in result.stderr  # the message never repeats what was typed
    assert "Traceback" not in result.stderr


def test_scan_image_prints_one_line_per_file_and_exits_2_on_unreadable_files(tmp_path, capsys):
    from drivers.scanner.qr_samples import frame, qr_image
    from kiosk import cli as kiosk_cli

    png = tmp_path / "a.png"
    frame(qr_image("RDV-1")).save(png)
    assert kiosk_cli.main(["scan-image", str(png)]) == 0
    out, _ = capsys.readouterr()
    assert out == f"{png}\tRDV-1\n"
    assert kiosk_cli.main(["scan-image", str(png), str(tmp_path / "missing.png")]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"{png}\tRDV-1\n") and "missing.png" in err and "Traceback" not in err
