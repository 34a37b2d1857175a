"""The demo's switch: a valid configuration, loaded twice without change, alive with the
simulator on."""

from __future__ import annotations

from tests.telephony.harness import START, Harness, run

from kefu.demo import load_demo
from kefu.directory.models import CustomerUnit
from kefu.telephony.config_build import build_config, check_config
from kefu.telephony.models import CallRecord, PhoneCredential, QueueSeat, Seat, SwitchEvent
from kefu.telephony.root import SimOptions


def test_the_demo_switch_is_valid_idempotent_and_alive(transactional_db):
    def counts() -> tuple[int, int, int]:
        return Seat.objects.count(), QueueSeat.objects.count(), PhoneCredential.objects.count()

    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    config, _host, problems = build_config()
    assert check_config(config, problems) == []
    assert first[0] == 10 and first[2] == min(20, CustomerUnit.objects.count())
    assert config.entry_trees == {"4008001234": "main"}

    async def scenario():
        sim = SimOptions(enabled=True, calls_per_hour=60, seed=2)
        monday = START + 4 * 86400 - 7 * 3600  # 2026-01-05 10:00, a workday (the 1st is a holiday)
        async with Harness(sim=sim, start=monday) as h:
            await h.advance(1800)
            return await h.runner.snapshot(), h.runner.engine.check_invariants()

    state, problems = run(scenario)
    assert problems == []
    staffed = [s for s in state["seats"].values() if s["employee_id"].startswith("sim-")]
    assert len(staffed) == 9 and state["seats"]["109"]["state"] == "logged_off"
    assert CallRecord.objects.filter(answered_at__isnull=False).count() > 10
    paths = {tuple(row.ivr_path[:2]) for row in CallRecord.objects.all()}
    assert ("hours", "main") in paths
    assert SwitchEvent.objects.filter(type="ivr.self_service_looked_up").exists()
