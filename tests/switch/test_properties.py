"""Property tests: random sequences of commands and telephony events never break the
switch's invariants — one employee per seat and one seat per employee, no call lost (every
call that arrived is live or ended with exactly one CallEnded), no seat stuck (everything
settles once time passes and callers hang up)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.switch.engine import QueueConfig, SwitchError
from kefu.switch.engine import commands as c
from kefu.switch.engine import events as e
from kefu.switch.engine.ivr import IvrTree, Menu, RouteToQueue
from tests.switch.harness import Switch, config

SEATS = ("s1", "s2", "s3")
EMPLOYEES = ("e1", "e2", "e3", "e4")
CALLS = tuple(f"c{i}" for i in range(6))

OUTBOUND = tuple(f"{prefix}-{n}" for prefix in ("cb", "k") for n in range(1, 9))

seat = st.sampled_from(SEATS)
call = st.sampled_from(CALLS)
outbound = st.sampled_from(OUTBOUND)
any_call = st.sampled_from(CALLS + OUTBOUND)
command = st.one_of(
    st.builds(c.LogOn, seat, st.sampled_from(EMPLOYEES)),
    st.builds(c.LogOff, seat),
    st.builds(c.SetReady, seat),
    st.builds(c.SetNotReady, seat, st.sampled_from(("lunch", "meeting"))),
    st.builds(c.EndWrapUp, seat),
    st.builds(c.Answer, seat),
    st.builds(c.HangUp, seat),
    st.builds(c.Hold, seat),
    st.builds(c.Resume, seat),
    st.builds(c.RecordOn, seat),
    st.builds(c.TransferToSupervisor, seat),
    st.builds(c.IntercomStart, seat, seat),
    st.builds(c.IntercomEnd, seat),
    st.builds(c.CallCustomer, seat, st.just("139")),
    st.builds(c.IncomingCall, call, st.just("138"), long_distance=st.booleans()),
    st.builds(c.CallerHangUp, call),
    st.builds(c.KeysPressed, call, st.sampled_from(("1", "2", "9", "*"))),
    st.builds(c.SetMergedSeats, st.booleans()),
    st.builds(c.PlaybackDone, any_call, st.integers(1, 3)),
    st.just(c.StartCampaign("k", ("n1", "n2", "n3"), "notice", concurrency=2, retry_after=30.0)),
    st.just(c.CancelCampaign("k")),
    st.builds(c.OutboundAnswered, outbound),
    st.builds(c.OutboundFailed, outbound, st.sampled_from(("busy", "no_answer", "rejected"))),
    st.builds(c.CallerHangUp, outbound),
)
steps = st.lists(st.tuples(command, st.sampled_from((0.0, 1.0, 5.0, 20.0, 90.0))), max_size=40)


def make_switch() -> Switch:
    queues = (
        QueueConfig("a", seats={"s1": 1, "s2": 2}, max_wait=120.0, announce_every=30.0),
        QueueConfig("b", seats={"s3": 1}, strategy="ring_all", announce_every=None),
    )
    tree = IvrTree(
        "t",
        "m",
        (
            Menu("m", "menu", {"1": "a", "2": "b"}, "a", timeout=5.0),
            RouteToQueue("a", "a"),
            RouteToQueue("b", "b"),
        ),
    )
    cfg = config(
        seats=SEATS,
        queues=queues,
        ivr_trees=(tree,),
        default_tree="t",
        supervisor_seat="s3",
        wrap_up=10.0,
        ring_timeout=10.0,
        dial_timeout=30.0,
    )
    return Switch(cfg)


def run(sw: Switch, plan: list[tuple[object, float]]) -> None:
    for message, pause in plan:
        sw.now += pause
        try:
            sw(message)  # the harness checks every invariant after each message
        except SwitchError as refused:
            assert refused.code and refused.message
            problems = sw.engine.check_invariants()
            assert problems == [], problems


def ended_calls(sw: Switch) -> list[str]:
    return [ended.call_id for ended in sw.of(e.CallEnded)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_random_commands_never_break_the_invariants(plan):
    sw = make_switch()
    run(sw, plan)
    employees = [view.employee_id for view in sw.engine.seats() if view.employee_id]
    assert len(employees) == len(set(employees))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_no_call_is_lost_and_no_seat_stays_stuck(plan):
    sw = make_switch()
    run(sw, plan)
    for call_id, state in list(sw.engine.live_calls().items()):
        if not call_id.startswith("ic-") and call_id in sw.engine.live_calls():
            sw(
                c.OutboundFailed(call_id, "rejected")
                if state == "dialing"
                else c.CallerHangUp(call_id)
            )
    for view in sw.engine.seats():
        if view.state == "on_call" or view.state == "dialing":
            sw(c.HangUp(view.seat_id))
    sw.settle()
    assert sw.engine.live_calls() == {}
    arrived = {a.call_id for a in sw.of(e.CallArrived)}
    ended = ended_calls(sw)
    assert len(ended) == len(set(ended)), "a call ended twice"
    assert arrived <= set(ended), "a call was lost"
    assert {v.state.value for v in sw.engine.seats()} <= {"logged_off", "ready", "not_ready"}
