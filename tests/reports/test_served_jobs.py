"""The background jobs run with the server (kefu.background).

The last test starts ``kefu serve`` as its own process on a free loopback port with a fresh
SQLite database, then, from another process, saves a finished call record and accepts a fault
whose one-minute first-response clock is long overdue — and sees the served process recount
the call into the roll-ups and fire the SLA warning, breach and escalation, with no separate
command. Then it accepts a request through the served API and sees it in the figures within
seconds (the web process only marks it; the jobs' drain refreshes it). The other tests check
the pieces: one process at a time holds the jobs lock, a job survives its exceptions, a second
process takes over when the first stops.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from kefu.background import BackgroundJobs, JobsLock, PeriodicJob
from tests.desk.server import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_one_process_at_a_time_holds_the_jobs_lock(db, data_dir):
    first, second = JobsLock(), JobsLock()
    assert first.acquire()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_a_job_survives_its_exceptions(caplog):
    calls = []

    def step():
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("database went away")

    job, stopping = PeriodicJob("flaky", step, 0.01), threading.Event()
    thread = threading.Thread(target=job.run, args=(stopping,))
    thread.start()
    wait_until(lambda: len(calls) >= 3)
    stopping.set()
    thread.join(5)
    assert not thread.is_alive()
    assert "background job flaky failed" in caplog.text
    assert "database went away" in caplog.text


def test_jobs_run_once_and_a_second_process_takes_over(db, data_dir):
    runs: dict[str, int] = {"a": 0, "b": 0}

    def jobs_of(name):
        def step():
            runs[name] += 1

        return lambda: [PeriodicJob(f"count-{name}", step, 0.01)]

    a = BackgroundJobs(jobs_of("a"), retry=0.05)
    b = BackgroundJobs(jobs_of("b"), retry=0.05)
    a.start()
    assert a.running.wait(10)
    b.start()
    wait_until(lambda: runs["a"] >= 5)
    assert runs["b"] == 0 and not b.running.is_set()
    a.stop()
    assert not any(t.is_alive() for t in a.threads)
    assert b.running.wait(10)
    before = runs["a"]
    wait_until(lambda: runs["b"] >= 3)
    assert runs["a"] == before
    b.stop()


# -- a served process ---------------------------------------------------------------------

API_KEY = "served-jobs-test-key-0123456789abcdef"
SEED_BASE = f"""
API_KEY = {API_KEY!r}
import datetime
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from kefu.accounts.models import AccountKind, Role, Team, User
from kefu.accounts.roles import role_named
from kefu.directory.models import CustomerContact, CustomerUnit
from kefu.sla.models import BusinessCalendar, EscalationLevel, SlaPolicy, WorkingWindow
team = Team.objects.create(code="A", name="一组")
user = User.objects.create_user("3001", "pw-3001-x", name="刘洋", kind=AccountKind.STAFF)
user.groups.set([Role.objects.get(name=role_named("operator").name)])
user.teams.add(team)
boss = User.objects.create_user("2001", "pw-2001-x", name="王班长", kind=AccountKind.STAFF)
boss.groups.set([Role.objects.get(name=role_named("supervisor").name)])
boss.teams.add(team)
unit = CustomerUnit.objects.create(code="SDDL", name="山东电力公司")
CustomerContact.objects.create(unit=unit, name="赵工", phone="0531-88881234")
cal = BusinessCalendar.objects.create(code="all", name="全天", china_holidays=False,
                                      is_default=True)
for weekday in range(7):
    WorkingWindow.objects.create(calendar=cal, weekday=weekday, start=datetime.time(0),
                                 end=datetime.time(0))
policy = SlaPolicy.objects.create(code="fault", name="故障", calendar=cal, request_kind="fault",
                                  first_response_minutes=1, resolution_minutes=600,
                                  warn_percent=80)
EscalationLevel.objects.create(policy=policy, level=1, target="supervisor", delay_minutes=0)
from kefu.accounts.models import ApiToken
ApiToken.objects.create(user=user, name="served", prefix=API_KEY[:8],
                        digest=ApiToken.digest_of(API_KEY))
"""

SEED_WORK = """
import datetime
import time_machine
from django.utils import timezone
from kefu.accounts.models import Team, User
from kefu.directory.models import CustomerUnit
from kefu.service.actions import NewRequest, do_create_request
from kefu.telephony.models import CallRecord
now = timezone.now()
CallRecord.objects.create(
    call_id="served-1", kind="inbound", arrived_at=now - datetime.timedelta(minutes=3),
    queue="service", queues=["service"], queued_at=now - datetime.timedelta(minutes=3),
    answered_at=now - datetime.timedelta(minutes=2), employee="3001",
    ended_at=now - datetime.timedelta(minutes=1), wait_seconds=60, talk_seconds=60,
)
unit = CustomerUnit.objects.get(code="SDDL")
at = now - datetime.timedelta(minutes=10)
with time_machine.travel(at, tick=False):
    do_create_request(User.objects.get(username="3001"), NewRequest(
        kind="fault", channel="phone", subject="调度系统无法登录", content="白屏",
        customer_unit=unit, contact=unit.contacts.first(), team=Team.objects.get(code="A"),
        details={"soft_hard": "software", "reported_on": at.date()}))
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, KEFU_DATA_DIR=str(data_dir), KEFU_SWITCH="off",
               KEFU_ROLLUP_INTERVAL="1", KEFU_SLA_MAX_NAP="1", PYTHONPATH=str(ROOT / "src"),
               KEFU_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("KEFU_BACKGROUND_JOBS", None)
    return env


def _django_script(body: str, env: dict[str, str]) -> None:
    script = "import django\ndjango.setup()\n" + body
    subprocess.run(
        [sys.executable, "-c", script],
        env=dict(env, DJANGO_SETTINGS_MODULE="kefu.settings"),
        check=True,
        timeout=900,  # a fresh database is migrated: minutes on a loaded machine
    )


def _count(db_path: Path, sql: str) -> int:
    with sqlite3.connect(db_path, timeout=30) as conn:
        return int(conn.execute(sql).fetchone()[0] or 0)


def _accept_through_the_api(port: int) -> float:
    """An acceptance as an integration makes it; returns when it was acknowledged."""
    body = {"kind": "consultation", "channel": "web", "subject": "报表多久能看到", "details": {},
            "content": "新受理", "contact_name": "赵工", "phone": "0531-88881234",
            "customer_unit": "SDDL"}  # fmt: skip
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/requests/",
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Authorization": f"Token {API_KEY}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 201
    return time.monotonic()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.mark.slow
def test_kefu_serve_refreshes_rollups_and_fires_sla_alarms(tmp_path):
    env = _env(tmp_path)
    _django_script(SEED_BASE, env)
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "kefu.cli", "serve", "--port", str(port), "--no-migrate"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _healthy(f"http://127.0.0.1:{port}/healthz"), timeout=300, step=0.5)
        wait_until(lambda: "background jobs started" in log.read_text(), timeout=180, step=0.2)
        db_path = tmp_path / "kefu.sqlite3"
        assert _count(db_path, "SELECT COUNT(*) FROM reports_queueslot") == 0
        _django_script(SEED_WORK, env)

        offered = "SELECT SUM(offered) FROM reports_queueslot WHERE queue = 'service'"
        wait_until(lambda: _count(db_path, offered) == 1, timeout=180, step=0.5)
        fired = "SELECT COUNT(*) FROM sla_escalation"
        wait_until(lambda: _count(db_path, fired) >= 2, timeout=180, step=0.5)
        breached = "SELECT COUNT(*) FROM sla_slaclock WHERE breached_at IS NOT NULL"
        assert _count(db_path, breached) == 1

        # The web process only marks the new request; the jobs' drain (every second by
        # default) puts it into the figures a supervisor sees.
        acknowledged = _accept_through_the_api(port)
        received = "SELECT SUM(received) FROM reports_requestday WHERE kind = 'consultation'"
        wait_until(lambda: _count(db_path, received) == 1, timeout=60, step=0.05)
        assert time.monotonic() - acknowledged < 8
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
    text = log.read_text()
    # uvicorn shuts down, then re-raises the signal it caught (exit by SIGTERM).
    assert code in (0, -signal.SIGTERM), text
    assert "background jobs stopped" in text, text
    assert "Application shutdown complete" in text, text
    assert "Traceback" not in text, text
