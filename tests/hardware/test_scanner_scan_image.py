"""``kiosk scan-image``: drivers.scanner.scan_image.main, CliRunner-style (exit code and output)."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from drivers.scanner.qr_samples import frame, qr_image
from drivers.scanner.scan_image import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def images(tmp_path):
    good = tmp_path / "rdv.png"
    frame(qr_image("https://rdv.ville.fr/c/ABC")).save(good)
    jpeg = tmp_path / "photo.jpg"
    frame(qr_image("DEM-2026-004217")).convert("RGB").save(jpeg, quality=80)
    empty = tmp_path / "empty.png"
    frame(None).save(empty)
    tricky = tmp_path / "tricky.png"
    frame(qr_image("a\tb\nc\\d")).save(tricky)
    return good, jpeg, empty, tricky


def test_one_line_per_file(images):
    good, jpeg, empty, tricky = images
    code, out, err = run(str(good), str(jpeg), str(empty), str(tricky))
    assert code == 0 and err == ""
    assert out.splitlines() == [f"{good}\thttps://rdv.ville.fr/c/ABC", f"{jpeg}\tDEM-2026-004217",
                                f"{empty}\t-", f"{tricky}\ta\\tb\\nc\\\\d"]


@pytest.mark.parametrize("decoder", ["zxing", "zbar"])
def test_decoder_option(images, decoder):
    from drivers.scanner.decode import DECODERS
    if not DECODERS[decoder].is_usable():
        pytest.skip(f"{decoder} not installed")
    code, out, _ = run("--decoder", decoder, str(images[0]))
    assert code == 0 and out == f"{images[0]}\thttps://rdv.ville.fr/c/ABC\n"


def test_several_codes_in_one_image(tmp_path):
    from PIL import Image
    img = Image.new("L", (900, 400), 255)
    img.paste(qr_image("LEFT"), (20, 40))
    img.paste(qr_image("RIGHT"), (500, 40))
    path = tmp_path / "two.png"
    img.save(path)
    code, out, _ = run(str(path))
    assert code == 0 and sorted(out.rstrip("\n").split("\t")[1:]) == ["LEFT", "RIGHT"]


def test_unreadable_files_exit_2_with_a_clear_message_and_others_still_scanned(images, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(images[0].read_bytes()[:200])
    code, out, err = run(str(tmp_path / "missing.png"), str(text), str(tmp_path), str(truncated), str(images[0]))
    assert code == 2
    assert out == f"{images[0]}\thttps://rdv.ville.fr/c/ABC\n"
    lines = err.splitlines()
    assert lines[0] == f"kiosk scan-image: {tmp_path / 'missing.png'}: no such file"
    assert lines[1].startswith(f"kiosk scan-image: {text}: not an image")
    assert lines[2] == f"kiosk scan-image: {tmp_path}: is a folder, not an image"
    assert lines[3].startswith(f"kiosk scan-image: {truncated}: unreadable image")


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    assert "FILE" in capsys.readouterr().err
    assert main(["--decoder", "opencv", "x.png"]) == 2


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "one line per file" in capsys.readouterr().out


def test_runs_as_a_module(images):
    proc = subprocess.run([sys.executable, "-m", "drivers.scanner.scan_image", str(images[2])],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == f"{images[2]}\t-\n"


def test_the_way_kiosk_cli_calls_it(images, tmp_path, monkeypatch):
    """`kiosk scan-image` passes ``--decoder D -- FILE...``: names starting with "-" stay file names."""
    (tmp_path / "-frame.png").write_bytes(images[0].read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("--decoder", "zxing", "--", "empty.png", "-frame.png")
    assert code == 0 and out.splitlines() == ["empty.png\t-", "-frame.png\thttps://rdv.ville.fr/c/ABC"]
