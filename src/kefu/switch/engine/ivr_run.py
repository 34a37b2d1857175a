"""Walking a call through its IVR tree (S19, X1, X2).

The call keeps the tree it started with, so a new tree applies to new calls only. Each node
entered bumps the call's epoch, which silences the previous node's time-out. Keys may arrive
during a prompt (barge-in); time-outs start when the prompt has finished.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kefu.switch.engine import actions as act
from kefu.switch.engine import events as ev
from kefu.switch.engine.core import IVR_TIMEOUT, LOOKUP, Core, new_tuple
from kefu.switch.engine.ivr import (
    Goodbye,
    HoursBranch,
    IdentityCheck,
    IvrTree,
    Menu,
    Node,
    Play,
    RouteToQueue,
    SelfService,
)
from kefu.switch.engine.lifecycle import end_call
from kefu.switch.engine.model import Call
from kefu.switch.engine.routing import enqueue
from kefu.switch.engine.states import CT, C

# node kinds as tuples built once (``A | B`` would build a union object on every check)
PROMPTING = (Menu, Play, SelfService, IdentityCheck)  # start by playing a prompt
COLLECTORS = (SelfService, IdentityCheck)  # collect digits


def start(core: Core, call: Call, tree: IvrTree, now: float) -> None:
    call.tree = tree
    core.call_to(call, CT.ENTER_IVR, C.IVR)
    enter(core, call, tree.root, now)


def _node(call: Call) -> Node:
    assert call.tree is not None
    return call.tree.by_id[call.ivr_node]


def enter(core: Core, call: Call, node_id: str, now: float) -> None:
    tree = call.tree
    assert tree is not None
    node = tree.by_id[node_id]
    call.epoch += 1
    call.ivr_node = node_id
    call.retries = 0
    call.digits = ""
    call.ivr_phase = ""
    core.events.append(new_tuple(ev.IvrNodeEntered, (call.call_id, tree.tree_id, node_id)))
    _ENTER[type(node)](core, call, node, now)


def opens_with_prompt(core: Core, tree: IvrTree, now: float) -> bool:
    """Does entering ``tree`` now start by playing a prompt (so the greeting can go first)?"""
    node = tree.by_id[tree.root]
    while isinstance(node, HoursBranch):
        schedule = core.cfg.schedules.get(node.schedule)
        is_open = schedule is not None and schedule.is_open(now)
        node = tree.by_id[node.open if is_open else node.closed]
    return isinstance(node, PROMPTING)


def _say(core: Core, call: Call, prompts: tuple[str, ...]) -> None:
    if call.intro:
        prompts = call.intro + prompts
        call.intro = ()
    core.play(call, prompts)


def _enter_menu(core: Core, call: Call, node: Menu, now: float) -> None:
    if not call.ivr_stack or call.ivr_stack[-1] != node.node_id:
        call.ivr_stack.append(node.node_id)
    _say(core, call, (node.prompt,))


def _enter_play(core: Core, call: Call, node: Play, now: float) -> None:
    _say(core, call, (node.prompt,))


def _enter_goodbye(core: Core, call: Call, node: Goodbye, now: float) -> None:
    call.end_cause = "ivr_goodbye"
    core.call_to(call, CT.PLAY_MESSAGE, C.MESSAGE)
    core.play(call, (node.prompt,))


def _enter_hours(core: Core, call: Call, node: HoursBranch, now: float) -> None:
    schedule = core.cfg.schedules.get(node.schedule)
    is_open = schedule is not None and schedule.is_open(now)
    enter(core, call, node.open if is_open else node.closed, now)


def _enter_self_service(core: Core, call: Call, node: SelfService, now: float) -> None:
    call.ivr_phase = "collect"
    _say(core, call, (node.prompt,))


def _enter_identity(core: Core, call: Call, node: IdentityCheck, now: float) -> None:
    call.ivr_phase = "customer"
    _say(core, call, (node.customer_prompt,))


def _route(core: Core, call: Call, node: RouteToQueue, now: float) -> None:
    name = node.vip_queue if call.vip and node.vip_queue else node.queue
    queue = core.queues.get(name) or core.queues[core.cfg.default_queue]
    intro = (node.prompt,) if node.prompt else ()
    enqueue(core, call, queue, now, CT.ENQUEUE, intro)


def playback_done(core: Core, call: Call, now: float) -> None:
    node = _node(call)
    phase = call.ivr_phase
    if isinstance(node, Menu):
        core.arm(now + node.timeout, IVR_TIMEOUT, call)
    elif isinstance(node, Play):
        enter(core, call, node.next, now)
    elif isinstance(node, SelfService):
        if phase == "collect":
            core.arm(now + node.timeout, IVR_TIMEOUT, call)
        elif phase == "answer":
            enter(core, call, node.next, now)
    elif isinstance(node, IdentityCheck):
        if phase in ("customer", "pin"):
            core.arm(now + node.timeout, IVR_TIMEOUT, call)
        elif phase == "fail":
            enter(core, call, node.on_fail, now)


COLLECTING = frozenset({"collect", "customer", "pin"})


def keys(core: Core, call: Call, pressed: str, now: float) -> None:
    """Keys in the order pressed; a run of digits for one field is taken in one go."""
    at, end = 0, len(pressed)
    while at < end:
        if call.state is not C.IVR:
            return
        node = _node(call)
        if isinstance(node, Menu):
            _menu_key(core, call, node, pressed[at], now)
            at += 1
        elif isinstance(node, COLLECTORS) and call.ivr_phase in COLLECTING:
            at = _digits(core, call, node, pressed, at, now)
        else:
            at += 1


def _menu_key(core: Core, call: Call, node: Menu, key: str, now: float) -> None:
    assert call.tree is not None
    if key in node.options:
        enter(core, call, node.options[key], now)
    elif key == node.back_key:
        if len(call.ivr_stack) > 1:
            call.ivr_stack.pop()
        enter(core, call, call.ivr_stack[-1], now)
    elif key == node.repeat_key:
        call.epoch += 1
        core.play(call, (node.prompt,))
    elif key == node.home_key:
        call.ivr_stack = []
        enter(core, call, call.tree.root, now)
    else:
        _reject(core, call, node, key, "invalid", now)


def _reject(core: Core, call: Call, node: Menu, key: str, reason: str, now: float) -> None:
    """Invalid key or time-out: retry with the prompt again, then the fallback."""
    core.events.append(ev.IvrInputRejected(call.call_id, node.node_id, key, reason))
    call.retries += 1
    if call.retries > node.max_retries:
        enter(core, call, node.fallback, now)
        return
    call.epoch += 1
    prompts = (node.prompt,) if node.invalid_prompt is None else (node.invalid_prompt, node.prompt)
    core.play(call, prompts)


def _digits(
    core: Core, call: Call, node: SelfService | IdentityCheck, pressed: str, at: int, now: float
) -> int:
    """Digits from ``pressed[at:]`` until the terminator or ``max_digits``; the index after.

    Each key restarts the inter-digit time-out; for keys that arrive together only the last
    restart matters, so the time-out is armed once, after them.
    """
    call.epoch += 1
    terminator, room = node.terminator, node.max_digits - len(call.digits)
    stop = pressed.find(terminator, at) if terminator else -1
    if stop < 0 or stop - at >= room:  # no terminator within reach
        taken = pressed[at : at + room]
        call.digits += taken
        at += len(taken)
        if len(call.digits) < node.max_digits:
            core.arm(now + node.timeout, IVR_TIMEOUT, call)
            return at
    else:
        call.digits += pressed[at:stop]
        at = stop + 1
    _collected(core, call, node, now)
    return at


def _collected(core: Core, call: Call, node: SelfService | IdentityCheck, now: float) -> None:
    digits, call.digits = call.digits, ""
    if isinstance(node, IdentityCheck) and call.ivr_phase == "customer":
        call.customer = digits
        call.ivr_phase = "pin"
        core.play(call, (node.pin_prompt,))
        return
    call.request_id += 1
    if isinstance(node, SelfService):
        call.ivr_phase = "lookup"
        core.actions.append(act.Lookup(call.call_id, call.request_id, node.service, digits))
        core.events.append(ev.SelfServiceLookedUp(call.call_id, node.service, digits))
    else:
        call.ivr_phase = "verify"
        core.actions.append(act.VerifyPin(call.call_id, call.request_id, call.customer, digits))
    core.arm(now + core.cfg.lookup_timeout, LOOKUP, call)


def timeout(core: Core, call: Call, now: float) -> None:
    """No key in time (IVR_TIMEOUT) or no answer from the host (LOOKUP)."""
    node = _node(call)
    if isinstance(node, Menu):
        _reject(core, call, node, "", "timeout", now)
    elif isinstance(node, SelfService):
        core.events.append(ev.IvrInputRejected(call.call_id, node.node_id, call.digits, "timeout"))
        call.retries += 1
        if call.retries > node.max_retries or call.ivr_phase == "lookup":
            enter(core, call, node.fallback, now)
        else:
            call.epoch += 1
            call.digits = ""
            core.play(call, (node.prompt,))
    elif isinstance(node, IdentityCheck):
        core.events.append(ev.IvrInputRejected(call.call_id, node.node_id, call.digits, "timeout"))
        enter(core, call, node.on_fail, now)


def lookup_answered(core: Core, call: Call, prompts: tuple[str, ...], now: float) -> None:
    call.epoch += 1  # cancels the lookup time-out
    call.ivr_phase = "answer"
    core.play(call, prompts)


def pin_checked(
    core: Core, call: Call, *, ok: bool, failures: int, frozen: bool, vip: bool, now: float
) -> None:
    """X2: a wrong PIN is retried; at the limit self-service is frozen, an agent offered."""
    node = _node(call)
    assert isinstance(node, IdentityCheck)
    call.epoch += 1
    if ok and not frozen:
        call.vip = call.vip or vip
        core.events.append(ev.CustomerIdentified(call.call_id, call.customer))
        enter(core, call, node.next, now)
        return
    if not frozen and failures >= core.cfg.pin_max_failures:
        core.actions.append(act.FreezeSelfService(call.customer))
        core.actions.append(act.SendSms(call.customer, core.cfg.pin_risk_sms))
        core.events.append(ev.SelfServiceFrozen(call.call_id, call.customer))
        frozen = True
    if frozen:
        call.ivr_phase = "fail"
        core.play(call, (node.frozen_prompt,))
        return
    core.events.append(ev.PinRejected(call.call_id, call.customer, failures))
    call.retries += 1
    if call.retries >= node.max_attempts:
        call.ivr_phase = "fail"
        core.play(call, (node.wrong_pin_prompt,))
    else:
        call.ivr_phase = "pin"
        core.play(call, (node.wrong_pin_prompt, node.pin_prompt))


_ENTER: dict[type, Callable[[Core, Call, Any, float], None]] = {
    Menu: _enter_menu,
    Play: _enter_play,
    RouteToQueue: _route,
    Goodbye: _enter_goodbye,
    HoursBranch: _enter_hours,
    SelfService: _enter_self_service,
    IdentityCheck: _enter_identity,
}


def goodbye_done(core: Core, call: Call, now: float) -> None:
    end_call(core, call, now, call.end_cause or "ivr_goodbye", "switch", hang_up=True)
