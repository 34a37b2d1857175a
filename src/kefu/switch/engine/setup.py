"""Installing a configuration (at start and by ``ApplyConfig``) and night mode (S6).

A new configuration is validated as a whole first. Waiting calls move to the queue of the same
id (or the default queue) keeping their place in time; calls already past the queue keep the
IVR tree they started with, so changes apply to new calls only.
"""

from __future__ import annotations

from kefu.switch.engine import events as ev
from kefu.switch.engine.commands import ApplyConfig, SetMergedSeats
from kefu.switch.engine.config import SwitchConfig, validate
from kefu.switch.engine.core import Core, Handler
from kefu.switch.engine.errors import ConfigError
from kefu.switch.engine.model import Call, K, QueueRt, Seat
from kefu.switch.engine.routing import join_queues, rejoin, wait
from kefu.switch.engine.states import CT, C, S


def install(core: Core, config: SwitchConfig, now: float) -> None:
    validate(config)
    in_use = [
        seat_id
        for seat_id, seat in core.seats.items()
        if seat_id not in config.seats and seat.state is not S.LOGGED_OFF
    ]
    if in_use:
        raise ConfigError(
            [
                ("config.seat_in_use", f"seat {seat_id} is logged on and cannot be removed")
                for seat_id in in_use
            ]
        )
    waiting = _waiting_calls(core)
    core.cfg = config
    core.class_index = {name: i for i, name in enumerate(config.priority.classes)}
    core.ageing = config.priority.ageing_seconds or 0.0
    core.trees = {tree.tree_id: tree for tree in config.ivr_trees}
    core.merged = config.merged_seats
    old_queues = core.queues
    core.queues = {}
    for queue_cfg in config.queues:
        queue = QueueRt(queue_cfg, len(config.priority.classes))
        if queue_cfg.queue_id in old_queues:
            queue.aht = old_queues[queue_cfg.queue_id].aht
        core.queues[queue_cfg.queue_id] = queue
    _install_seats(core, config)
    for call in core.calls.values():
        _reclass(core, call)
    for call in waiting:
        _rehome(core, call, now)
    core.events.append(ev.ConfigApplied(config.version))
    _route_ready_seats(core, now)


def _waiting_calls(core: Core) -> list[Call]:
    calls = [
        entry[3]
        for queue in core.queues.values()
        for heap in queue.heaps
        for entry in heap
        if entry[3].epoch == entry[2] and entry[3].waiting
    ]
    return sorted(calls, key=lambda call: call.enq_at)


def _install_seats(core: Core, config: SwitchConfig) -> None:
    for seat_id in [seat_id for seat_id in core.seats if seat_id not in config.seats]:
        del core.seats[seat_id]
    next_index = max((seat.index for seat in core.seats.values()), default=-1) + 1
    for seat_id in config.seats:
        if seat_id not in core.seats:
            core.seats[seat_id] = Seat(seat_id, next_index)
            next_index += 1
    for seat in core.seats.values():
        if seat.state is not S.LOGGED_OFF:
            join_queues(core, seat)


def _reclass(core: Core, call: Call) -> None:
    """The call's priority class under the new configuration (S13)."""
    priority = core.cfg.priority
    name = priority.default_class
    if call.kind == K.INBOUND:
        name = priority.special_trunks.get(call.trunk) or (
            priority.long_distance_class if call.long_distance else priority.default_class
        )
    call.pclass = core.class_index[name]


def _rehome(core: Core, call: Call, now: float) -> None:
    call.waiting = False
    queue = core.live_queue(call)
    call.queue = queue
    core.call_to(call, CT.ENQUEUE, C.QUEUED)
    wait(core, call, queue, now)


def _route_ready_seats(core: Core, now: float) -> None:
    for seat in sorted(core.seats.values(), key=lambda seat: seat.idle_since):
        if seat.state is S.READY:
            rejoin(core, seat, now)


def apply_config(core: Core, cmd: ApplyConfig, now: float) -> None:
    install(core, cmd.config, now)


def set_merged_seats(core: Core, cmd: SetMergedSeats, now: float) -> None:
    """S6: night mode on or off; every logged-on seat's queues are recomputed."""
    core.merged = cmd.enabled
    for seat in core.seats.values():
        if seat.state is not S.LOGGED_OFF:
            for queue in seat.queues:
                queue.members -= 1
            join_queues(core, seat)
    core.events.append(ev.MergedSeatsChanged(cmd.enabled))
    _route_ready_seats(core, now)


HANDLERS: dict[type, Handler] = {ApplyConfig: apply_config, SetMergedSeats: set_merged_seats}
