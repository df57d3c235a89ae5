"""A waiting-room display enrols as what it is: the contract's kind ``display``, not ``counter``
(the back office lists and counts terminals by kind; a display hands out no number)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from timebase import test_now

from kiosk.api.models import TerminalFacts, kind_of_profile
from kiosk.clock import ManualClock
from kiosk.data_layer import DataLayer

pytestmark = pytest.mark.reference_server


def test_each_profile_has_its_kind_and_the_contract_takes_display() -> None:
    assert [kind_of_profile(p) for p in ("street", "counter", "display")] == ["totem", "counter", "display"]
    facts = TerminalFacts.model_validate({"hostname": "salle-attente", "kind": "display", "app_version": "1.4.0"})
    assert facts.kind == "display"
    with pytest.raises(ValueError, match="kind"):
        TerminalFacts.model_validate({"hostname": "x", "kind": "wall", "app_version": "1.4.0"})


def test_the_display_profile_enrols_as_display(make_pilot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The demo's data layer enrols with the reference server it starts (production terminals use
    ``kiosk-provision enroll``, which takes the same kind from the profile)."""
    pilot = make_pilot(overrides={"terminal.profile": "display"}, clock=ManualClock(test_now()),
                       data=lambda config: DataLayer(config, tmp_path, embedded=True))
    data = pilot.app.data
    pilot.wait_until(lambda: data.worker is not None, timeout_s=30)          # enrolled, then syncing
    conn = sqlite3.connect(data.run_dir / "demo-api.sqlite3")
    try:
        rows = conn.execute("SELECT facts FROM devices WHERE id = ?", (data.client.device_id,)).fetchall()
    finally:
        conn.close()
    assert [json.loads(r[0])["kind"] for r in rows] == ["display"]
