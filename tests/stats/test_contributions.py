"""Known answers for what requests, calls and agent spans contribute, and the ledger rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.stats.calls import (
    AGENT_HOUR,
    AGENT_REASON_HOUR,
    QUEUE_SLOT,
    STAFF_SLOT,
    AgentState,
    CallFact,
    StateSpan,
    call_contributions,
    span_contributions,
)
from kefu.stats.ledger import Ledger
from kefu.stats.requests import (
    DEPARTMENT_DAY,
    DIMENSION_DAY,
    REPLY_DAY,
    REQUEST_DAY,
    SLA_DAY,
    SURVEY_DAY,
    ClockFact,
    ReplyFact,
    RequestFact,
    SurveyFact,
    WorkOrderFact,
    first_contact_resolved,
    request_contributions,
)

SH = ZoneInfo("Asia/Shanghai")
D1, D2 = date(2026, 3, 1), date(2026, 3, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def fault(**extra) -> RequestFact:
    base = dict(
        kind="fault",
        channel="phone",
        created_at=at(D1, 23, 50),
        creator_id=7,
        team_id=2,
        unit_id=11,
        reception_seconds=240,
        call_id="c1",
    )
    return RequestFact(**(base | extra))


def test_a_reply_on_the_next_day_counts_on_the_next_day():
    reply = ReplyFact(
        person_id=8,
        channel="callback",
        started_at=at(D2, 0, 10),
        seconds=90,
        reached=True,
        final=True,
    )
    ledger = request_contributions(fault(replies=(reply,)), SH)
    assert ledger.rows(REQUEST_DAY) == {
        (D1, 2, 7, "fault", "phone"): {"received": 1, "reception_seconds": 240, "fcr": 0}
    }
    assert ledger.rows(REPLY_DAY) == {
        (D2, 2, 8, "fault", "callback"): {
            "replies": 1,
            "reply_seconds": 90,
            "reached": 1,
            "final": 1,
        }
    }


def test_the_day_is_the_local_day_of_shanghai_not_utc():
    created = datetime(2026, 3, 1, 16, 5, tzinfo=UTC)  # 00:05 on 2 March in Shanghai
    ledger = request_contributions(fault(created_at=created), SH)
    assert [key[0] for key in ledger.rows(REQUEST_DAY)] == [D2]
    ledger_utc = request_contributions(fault(created_at=created), ZoneInfo("UTC"))
    assert [key[0] for key in ledger_utc.rows(REQUEST_DAY)] == [D1]


def test_first_contact_resolution_needs_a_final_reply_during_the_acceptance_and_no_reopen():
    on_the_spot = ReplyFact(
        person_id=7,
        channel="callback",
        started_at=at(D1, 23, 50),
        seconds=0,
        reached=True,
        final=True,
    )
    same_call = ReplyFact(
        person_id=7,
        channel="callback",
        started_at=at(D1, 23, 55),
        seconds=0,
        reached=True,
        final=True,
        call_id="c1",
    )
    later = ReplyFact(
        person_id=8, channel="email", started_at=at(D2, 9), seconds=0, reached=True, final=True
    )
    assert first_contact_resolved(fault(replies=(on_the_spot,)))
    assert first_contact_resolved(fault(replies=(same_call,)))
    assert not first_contact_resolved(fault(replies=(later,)))
    assert not first_contact_resolved(fault(replies=(on_the_spot,), reopened=(at(D2, 10),)))


def test_closing_reopening_units_products_surveys_clocks_and_work_orders():
    final = ReplyFact(
        person_id=8, channel="email", started_at=at(D2, 9), seconds=0, reached=True, final=True
    )
    fact = fault(
        replies=(final,),
        closed=(at(D2, 10), at(D2, 15)),
        reopened=(at(D2, 11),),
        survey=SurveyFact(answered_at=at(D2, 20), csat=4, nps=6),
        clocks=(
            ClockFact(kind="first_response", met_at=at(D2, 9), breached_at=None, person_id=8),
            ClockFact(kind="resolution", met_at=None, breached_at=at(D2, 8), person_id=8),
            ClockFact(kind="next_update", met_at=None, breached_at=None),
        ),
        work_orders=(
            WorkOrderFact(
                department_id=5,
                created_at=at(D1, 23, 59),
                finished_at=at(D2, 12),
                done=True,
                late=True,
            ),
        ),
    )
    ledger = request_contributions(fact, SH)
    assert ledger.rows(REQUEST_DAY)[(D2, 2, 7, "fault", "phone")] == {"closed": 2, "reopened": 1}
    assert ledger.rows(DIMENSION_DAY)[(D2, "unit", 11, 2, "fault")] == {"closed": 2, "reopened": 1}
    assert ledger.rows(DIMENSION_DAY)[(D1, "product", 0, 2, "fault")] == {"created": 1}
    assert ledger.rows(SURVEY_DAY) == {
        (D2, 2, 8, "fault"): {
            "answered": 1,
            "csat_n": 1,
            "csat_sum": 4,
            "satisfied": 1,
            "nps_n": 1,
            "promoters": 0,
            "detractors": 1,
        }
    }
    assert ledger.rows(SLA_DAY) == {
        (D2, 2, 8, "fault", "first_response"): {"met": 1},
        (D2, 2, 8, "fault", "resolution"): {"breached": 1},
    }
    assert ledger.rows(DEPARTMENT_DAY) == {
        (D1, 5, 2, "fault"): {"dispatched": 1},
        (D2, 5, 2, "fault"): {"done": 1, "late": 1},
    }


def test_a_call_crossing_midnight_counts_on_the_day_it_entered_the_queue():
    call = CallFact(
        entered_at=at(D1, 23, 58),
        queue="sales",
        answered=True,
        wait_seconds=25,
        agent_id=9,
        answered_at=at(
            D1,
            23,
            58,
        )
        + timedelta(seconds=25),
        talk_seconds=300,
        hold_seconds=20,
        wrap_seconds=30,
        no_answer_agents=(4,),
    )
    ledger = call_contributions(call, SH)
    row = ledger.rows(QUEUE_SLOT)[(D1, 95, "sales")]
    assert row["offered"] == row["answered"] == 1
    assert row["ans_20"] == 0 and row["ans_30"] == 1
    assert row["talk"] + row["hold"] + row["wrap"] == 350
    assert ledger.rows(AGENT_HOUR) == {
        (D1, 23, 9): {"calls": 1, "handle_seconds": 350, "transfers": 0},
        (D1, 23, 4): {"no_answers": 1},
    }


def test_a_call_finished_in_the_ivr_counts_as_self_service():
    ledger = call_contributions(CallFact(entered_at=at(D1, 9), ivr_completed=True), SH)
    assert ledger.rows(QUEUE_SLOT) == {(D1, 36, ""): {"ivr_calls": 1, "ivr_completed": 1}}


def test_an_agent_span_across_midnight_is_split_between_days_and_slots():
    span = StateSpan(
        agent_id=9,
        state=AgentState.NOT_READY,
        reason="lunch",
        start=at(D1, 23, 50),
        end=at(D2, 0, 5),
    )
    ledger = span_contributions(span, SH)
    assert ledger.rows(AGENT_HOUR) == {
        (D1, 23, 9): {"logged_on_seconds": 600, "not_ready_seconds": 600},
        (D2, 0, 9): {"logged_on_seconds": 300, "not_ready_seconds": 300},
    }
    assert ledger.rows(AGENT_REASON_HOUR)[(D2, 0, 9, "lunch")] == {"seconds": 300}
    assert ledger.rows(STAFF_SLOT)[(D1, 95)] == {"logged_on_seconds": 600, "not_ready_seconds": 600}


def test_a_state_left_open_for_days_counts_its_last_48_hours():
    span = StateSpan(
        agent_id=9,
        state=AgentState.READY,
        reason="",
        start=at(D1, 8),
        end=at(D1, 8) + timedelta(days=5),
    )
    total = sum(
        m["logged_on_seconds"] for m in span_contributions(span, SH).rows(AGENT_HOUR).values()
    )
    assert total == 48 * 3600


def test_ledger_difference_takes_back_sums_and_refuses_to_shrink_a_maximum():
    old, new = Ledger(), Ledger()
    old.add("t", ("a",), {"n": 2, "max_wait": 5})
    new.add("t", ("a",), {"n": 1, "max_wait": 9})
    new.add("t", ("b",), {"n": 1})
    delta = new.minus(old)
    assert delta.rows("t") == {("a",): {"n": -1, "max_wait": 9}, ("b",): {"n": 1}}
    with pytest.raises(ValueError):
        old.minus(new)


def test_ledger_round_trips_through_json():
    from kefu.stats.ledger import KeyDecoder

    ledger = request_contributions(fault(), SH)
    decoders = {
        REQUEST_DAY: KeyDecoder(date, int, int, str, str),
        DIMENSION_DAY: KeyDecoder(date, str, int, int, str),
    }
    import json

    assert Ledger.from_json(json.loads(json.dumps(ledger.to_json())), decoders) == ledger
