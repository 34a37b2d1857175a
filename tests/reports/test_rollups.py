"""Roll-ups kept as things happen equal a recomputation from the raw records."""

from __future__ import annotations

from datetime import date

from kefu.reports import rollup
from kefu.reports.models import DirtyRequest, ReplyDay, RequestDay, SurveyDay
from kefu.reports.registry import REQUEST_TABLES, family

D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def stored():
    return rollup.stored_ledger(family(REQUEST_TABLES)).nonzero()


def test_figures_kept_as_events_happen_equal_a_recomputation(dataset):
    assert not DirtyRequest.objects.exists()
    assert stored() == rollup.recompute_requests_ledger().nonzero()


def test_rebuild_gives_the_same_tables(dataset):
    before = stored()
    assert rollup.rebuild_requests(batch=2) == 4
    assert stored() == before


def test_receptions_and_replies_fall_on_their_own_local_days(dataset):
    received = {
        day: sum(RequestDay.objects.filter(day=day).values_list("received", flat=True))
        for day in (D1, D2)
    }
    assert received == {D1: 2, D2: 2}
    replies = dict(
        ReplyDay.objects.filter(replies__gt=0).values_list("day", "reply_seconds").order_by("day")
    )
    assert ReplyDay.objects.get(day=D1).replies == 1
    assert sum(ReplyDay.objects.filter(day=D2).values_list("replies", flat=True)) == 2
    assert replies[D1] == 0


def test_in_utc_the_request_after_utc_midnight_falls_on_the_first(dataset, settings):
    settings.TIME_ZONE = "UTC"
    rollup.rebuild_requests()
    received = dict(
        (day, sum(RequestDay.objects.filter(day=day).values_list("received", flat=True)))
        for day in (D1, D2)
    )
    assert received == {D1: 3, D2: 1}


def test_a_survey_answered_later_is_counted_on_its_day(dataset):
    row = SurveyDay.objects.get()
    assert (row.day, row.person_id, row.csat_sum, row.promoters) == (
        D3,
        dataset["bo"].pk,
        4,
        1,
    )


def test_a_deleted_request_is_taken_back(dataset, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dataset["r3"].delete()
    assert stored() == rollup.recompute_requests_ledger().nonzero()
    assert sum(RequestDay.objects.values_list("received", flat=True)) == 3


def test_marks_left_by_a_lost_refresh_are_picked_up_later(dataset):
    from kefu.service.actions import do_transition

    do_transition(dataset["r4"], "in_progress", dataset["bo"])  # no on-commit refresh here
    rollup.mark_requests([dataset["r2"].pk])
    assert DirtyRequest.objects.count() == 2
    assert rollup.refresh_all_marked() == 2
    assert not DirtyRequest.objects.exists()
    assert stored() == rollup.recompute_requests_ledger().nonzero()
