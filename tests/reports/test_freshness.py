"""Report freshness at the cost of one mark per request and transaction (kefu.reports.marking):
marked requests are refreshed in batches, with the same figures as one by one and as a
recomputation from scratch, in a number of queries that does not grow with the batch."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kefu.reports import marking, rollup
from kefu.reports.models import DirtyRequest, RequestLedger
from kefu.reports.registry import REQUEST_TABLES, family
from tests.reports.conftest import _accept, sh


def stored():
    return rollup.stored_ledger(family(REQUEST_TABLES)).nonzero()


def recomputed():
    return rollup.recompute_requests_ledger().nonzero()


def mark_inserts(queries) -> int:
    return sum('INSERT INTO "reports_dirtyrequest"' in q["sql"] for q in queries)


@pytest.fixture
def marked_only(settings):
    """The request path as under ``kefu serve``: marks only, refreshed by the drain."""
    settings.KEFU_REPORTS_LIVE = False


# -- one mark per request and transaction ---------------------------------------------------


def test_an_acceptance_writes_one_mark_and_no_figures(marked_only, directory, people):
    with CaptureQueriesContext(connection) as queries:
        request = _accept(directory, people["op1"], "fault", sh(2, 9))
    assert mark_inserts(queries) == 1
    assert DirtyRequest.objects.get().request_id == request.pk
    assert not RequestLedger.objects.exists()
    assert not stored().tables
    assert rollup.refresh_all_marked() == 1
    assert not DirtyRequest.objects.exists()
    assert stored() == recomputed()


def test_several_changes_in_one_transaction_mark_once(marked_only, directory, people):
    from kefu.service.actions import do_transition

    request = _accept(directory, people["op1"], "fault", sh(2, 9))
    rollup.refresh_all_marked()  # (the test's own transaction holds the acceptance too)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        do_transition(request, "in_progress", people["bo"], now=sh(2, 9, 5))
        do_transition(request, "waiting_customer", people["bo"], now=sh(2, 9, 6))
    assert mark_inserts(queries) == 1
    assert DirtyRequest.objects.get().generation == 1


def test_a_mark_undone_with_its_savepoint_is_written_again(marked_only, directory, people):
    request = _accept(directory, people["op1"], "fault", sh(2, 9))
    rollup.refresh_all_marked()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            marking.mark(request.pk)
            assert DirtyRequest.objects.filter(request_id=request.pk).exists()
            raise RuntimeError("undo the savepoint")
        assert not DirtyRequest.objects.exists()
        marking.mark(request.pk)
        assert DirtyRequest.objects.filter(request_id=request.pk).exists()


def test_a_refresh_inside_the_transaction_lets_later_changes_mark_again(
    marked_only, directory, people
):
    request = _accept(directory, people["op1"], "fault", sh(2, 9))
    with transaction.atomic():
        marking.mark(request.pk)
        assert rollup.refresh_all_marked() == 1
        marking.mark(request.pk)
        assert DirtyRequest.objects.filter(request_id=request.pk).exists()


def test_live_refresh_after_commit_by_default_without_background_jobs(
    directory, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _accept(directory, people["op1"], "fault", sh(2, 9))
        _accept(directory, people["op2"], "complaint", sh(2, 10), team=people["A"])
    refreshes = [c for c in callbacks if isinstance(c, marking._Refresh)]
    assert len(refreshes) == 1  # one refresh for the transaction's marks together
    assert not DirtyRequest.objects.exists()
    assert stored() == recomputed()


# -- batches ---------------------------------------------------------------------------------


def _accept_many(directory, people, count: int, start: int = 0) -> list[int]:
    return [
        _accept(directory, people["op1"], "fault", sh(2, 9) + timedelta(minutes=n)).pk
        for n in range(start, start + count)
    ]


def test_a_burst_is_refreshed_in_as_many_queries_as_one_request(marked_only, directory, people):
    counts = {}
    for size in (2, 60):
        _accept_many(directory, people, size, start=len(counts) * 100)
        with CaptureQueriesContext(connection) as queries:
            assert rollup.refresh_all_marked() == size
        counts[size] = len(queries)
    assert counts[60] == counts[2], counts
    assert counts[2] <= 25
    assert stored() == recomputed()


def test_a_request_marked_again_during_its_refresh_stays_marked(
    marked_only, directory, people, monkeypatch
):
    first, second = _accept_many(directory, people, 2)
    load = rollup.load_request_facts

    def load_then_change(ids):
        facts = load(ids)
        rollup.mark_requests([second])  # a change to ``second`` after its facts were read
        return facts

    monkeypatch.setattr(rollup, "load_request_facts", load_then_change)
    assert rollup.refresh_requests() == 2
    assert list(DirtyRequest.objects.values_list("request_id", "generation")) == [(second, 2)]
    monkeypatch.undo()
    assert rollup.refresh_all_marked() == 1
    assert not DirtyRequest.objects.exists()
    assert first in set(RequestLedger.objects.values_list("request_id", flat=True))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "sqlite" in connection.settings_dict["ENGINE"],
    reason="the SQLite test database is in memory (shared cache): no second writer waits",
)
def test_a_change_committed_while_its_batch_is_refreshed_is_not_lost(
    marked_only, directory, people, monkeypatch
):
    """Another connection changes a request of the batch while the batch is being refreshed:
    the change waits for the refresh (the mark's row lock, or SQLite's database lock), then
    marks the request again, so the next pass counts it."""
    from kefu.service.actions import do_transition

    ids = _accept_many(directory, people, 3)
    target = ids[1]
    facts_read, changed = threading.Event(), threading.Event()
    load = rollup.load_request_facts

    def load_and_wait(batch):
        facts = load(batch)
        facts_read.set()
        changed.wait(1.0)  # the change cannot finish before this refresh commits
        return facts

    def change() -> None:
        try:
            from kefu.service.models import ServiceRequest

            facts_read.wait(30)
            do_transition(ServiceRequest.objects.get(pk=target), "in_progress", people["bo"])
            changed.set()
        finally:
            connection.close()

    monkeypatch.setattr(rollup, "load_request_facts", load_and_wait)
    worker = threading.Thread(target=change)
    worker.start()
    assert rollup.refresh_requests() == 3
    worker.join(60)
    assert not worker.is_alive()
    assert list(DirtyRequest.objects.values_list("request_id", flat=True)) == [target]
    monkeypatch.undo()
    assert rollup.refresh_all_marked() == 1
    assert stored() == recomputed()


# -- batch refresh equals one-by-one refresh on varied data ----------------------------------


def _reply(request, actor, channel, start, *, final, outcome="informed", seconds=60):
    from kefu.service.actions import ReplyInput, do_reply

    end = start + timedelta(seconds=seconds)
    data = ReplyInput(
        channel=channel,
        content="答复",
        started_at=start,
        ended_at=end,
        final=final,
        outcome=outcome,
    )
    return do_reply(request, actor, data, now=end)


def _close_loop(request, p, at: datetime, rng: random.Random):
    from kefu.service.actions import do_transition

    _reply(
        request,
        p["bo"],
        rng.choice(["callback", "sms", "email", "fax"]),
        at,
        final=True,
        outcome="sent",
        seconds=rng.randrange(0, 600),
    )
    do_transition(request, "resolved", p["bo"], now=at + timedelta(minutes=20))
    do_transition(request, "closed", p["op1"], now=at + timedelta(hours=2))


def _life(index: int, request, p, department, rng: random.Random):
    """One of five lives, chosen by ``index``, with times and channels from ``rng``."""
    from kefu.service.actions import do_create_work_order, do_transition, do_update_work_order

    at = request.created_at + timedelta(minutes=rng.randrange(5, 90))
    plan = index % 5
    if plan == 0:
        return
    do_transition(request, "in_progress", p["bo"], now=at)
    if plan == 1:
        _reply(
            request,
            p["bo"],
            "callback",
            at + timedelta(minutes=5),
            final=False,
            outcome=rng.choice(["no_answer", "informed"]),
        )
    elif plan == 2:
        _close_loop(request, p, at + timedelta(minutes=10), rng)
    elif plan == 3:
        order = do_create_work_order(
            request,
            p["bo"],
            instructions="上门",
            department=department,
            deadline=at + timedelta(hours=rng.choice([1, 30])),
            now=at,
        )
        do_update_work_order(
            order, p["bo"], status="done", result="已修复", now=at + timedelta(hours=3)
        )
        _close_loop(request, p, at + timedelta(hours=4), rng)
    else:
        do_transition(request, "waiting_customer", p["bo"], now=at + timedelta(minutes=1))
        do_transition(request, "in_progress", p["bo"], now=at + timedelta(days=1))
        _reply(request, p["op2"], "voice", at + timedelta(days=1, minutes=3), final=True)


def _second_wave(requests, p, rng: random.Random):
    """Changes after the first refresh: differences, some negative, for the ledgers."""
    from kefu.service.actions import do_answer_survey, do_transition
    from kefu.sla.models import SlaClock

    for index, request in enumerate(requests):
        request.refresh_from_db()
        at = sh(5, 9) + timedelta(minutes=index)
        if index % 5 in (2, 3) and index % 2:
            do_answer_survey(
                request.survey.token, csat=rng.randint(1, 5), nps=rng.randint(0, 10), now=at
            )
        elif index % 5 in (2, 3):
            do_transition(request, "in_progress", p["supervisor"], now=at)  # reopened
        elif index % 5 == 1:
            _reply(request, p["bo"], "sms", at, final=True, outcome="sent")
    clock = SlaClock.objects.order_by("pk").first()
    clock.breached_at = sh(5, 12)
    clock.save()
    for request in requests[-3:]:
        request.delete()


@pytest.fixture
def varied(marked_only, directory, people, settings):
    from kefu.service.models import Department
    from kefu.sla.models import BusinessCalendar, SlaPolicy, WorkingWindow

    calendar = BusinessCalendar.objects.create(
        code="all", name="全天", china_holidays=False, is_default=True
    )
    for weekday in range(7):
        WorkingWindow.objects.create(
            calendar=calendar, weekday=weekday, start=datetime.min.time(), end=datetime.min.time()
        )
    SlaPolicy.objects.create(
        code="fault",
        name="故障",
        calendar=calendar,
        request_kind="fault",
        first_response_minutes=30,
        resolution_minutes=600,
        warn_percent=80,
    )
    department = Department.objects.create(code="field", name="现场服务部")
    rng, p, requests = random.Random(20261124), people, []
    for index in range(25):
        kind = ("fault", "consultation", "complaint")[index % 3]
        actor = (p["op1"], p["op2"])[index % 2]
        team = {} if actor is p["op1"] else {"team": p[rng.choice("AB")]}
        at = sh(1 + index % 3, rng.randrange(0, 24), rng.randrange(60))
        channel = rng.choice(["phone", "web", "email"])
        request = _accept(directory, actor, kind, at, channel=channel, **team)
        _life(index, request, p, department, rng)
        requests.append(request)
    return requests, rng, p


def _refreshed(one_by_one: bool):
    """The stored figures after refreshing every marked request, then undone."""
    with transaction.atomic():
        sid = transaction.savepoint()
        if one_by_one:
            for pk in list(
                DirtyRequest.objects.order_by("request_id").values_list("request_id", flat=True)
            ):
                assert rollup.refresh_requests([pk]) == 1
        else:
            rollup.refresh_requests(limit=10_000)
        assert not DirtyRequest.objects.exists()
        figures = stored()
        ledgers = sorted(
            RequestLedger.objects.values_list("request_id", "data", "fcr", "survey_agent_id")
        )
        transaction.savepoint_rollback(sid)
        marking.forget()
    return figures, ledgers


def test_batch_refresh_equals_one_by_one_refresh_and_a_recomputation(varied):
    requests, rng, people = varied
    for wave in range(2):
        batch, one_by_one = _refreshed(False), _refreshed(True)
        assert batch == one_by_one
        assert batch[0] == recomputed(), f"wave {wave}"
        rollup.refresh_all_marked()
        if wave == 0:
            _second_wave(requests, people, rng)
    assert not DirtyRequest.objects.exists()
    assert stored() == recomputed()


# -- settings --------------------------------------------------------------------------------

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.KEFU_REPORTS_LIVE, s.KEFU_ROLLUP_DRAIN_MS]))"
)


def _settings(tmp_path, **variables: str):
    import os

    environ = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    environ |= {"DJANGO_SETTINGS_MODULE": "kefu.settings", "KEFU_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env=environ | variables,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def test_kefu_serve_only_marks_and_drains_every_second_by_default(tmp_path):
    assert json.loads(_settings(tmp_path).stdout) == [True, 1000]
    served = _settings(tmp_path, KEFU_BACKGROUND_JOBS="1")  # what kefu serve sets
    assert json.loads(served.stdout) == [False, 1000]
    tuned = _settings(
        tmp_path, KEFU_BACKGROUND_JOBS="1", KEFU_REPORTS_LIVE="1", KEFU_ROLLUP_DRAIN_MS="250"
    )
    assert json.loads(tuned.stdout) == [True, 250]
    wrong = _settings(tmp_path, KEFU_ROLLUP_DRAIN_MS="10")
    assert wrong.returncode != 0
    assert "KEFU_ROLLUP_DRAIN_MS=10 is below the minimum 50" in wrong.stderr
