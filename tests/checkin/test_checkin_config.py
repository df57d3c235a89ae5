"""The [checkin] and [queue] sections: documented defaults, and each mistake one plain line."""

from __future__ import annotations

from kiosk.config import load_config
from tests.platform.test_config import minimal, problems_with, write


def test_defaults_and_the_repository_file(tmp_path):
    cfg = load_config(write(tmp_path, minimal()))
    assert (cfg.checkin.early_min, cfg.checkin.late_grace_min, cfg.queue.follow_url) == (30, 15, "")
    data = minimal()
    data["checkin"] = {"early_min": 45, "late_grace_min": 0}
    data["queue"] = {"follow_url": "https://www.ville-exemple.fr/file?n={number}&j={day}"}
    cfg = load_config(write(tmp_path, data))
    assert (cfg.checkin.early_min, cfg.checkin.late_grace_min) == (45, 0)
    assert cfg.queue.follow_url.format(number="A012", day="2026-12-04").endswith("n=A012&j=2026-12-04")


def test_mistakes_are_one_plain_line_each(tmp_path):
    (line,) = problems_with(tmp_path, "checkin", "early_min", 500)
    assert "checkin.early_min = 500" in line and "at most 240" in line
    (line,) = problems_with(tmp_path, "queue", "follow_url", "www.ville.fr/file")
    assert "queue.follow_url" in line and "full address" in line
    (line,) = problems_with(tmp_path, "queue", "follow_url", "https://www.ville.fr/file?n={numero}")
    assert "queue.follow_url" in line and "{number} and {day}" in line
    (line,) = problems_with(tmp_path, "checkin", "early", 10)
    assert "checkin.early" in line
