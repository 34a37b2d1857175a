"""Queues and routing: who takes which call (S6, S7, S13, S14, S16, X12).

A call entering a queue is offered at once to a ready seat of the best level, chosen by the
queue's strategy; otherwise it waits in its priority class, first come first served. A seat
that becomes free first serves its own queue (transfers, intercoms), then the best waiting
call over all its queues — lower class first after ageing, then the earliest queue entry —
and otherwise joins its queues' pools. Both directions cost O(log n).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Final

from kefu.switch.engine import actions as act
from kefu.switch.engine import events as ev
from kefu.switch.engine.core import ANNOUNCE, MAX_WAIT, RING, Core, new_tuple
from kefu.switch.engine.model import Call, QueueRt, Seat
from kefu.switch.engine.states import CT, ST, C, CallTrigger, S
from kefu.switch.engine.strategies import STRATEGIES, SeatPool

MERGED_LEVEL: Final = 1_000_000  # S6: seats joined by night mode come after every configured level
READY: Final = S.READY
QUEUED: Final = C.QUEUED
WaitEntry = tuple[float, int, int, Call]  # (first queue entry, seq, call epoch, call)


# -- membership ------------------------------------------------------------------------------


def pool_for(core: Core, queue: QueueRt, level: int) -> SeatPool:
    for have, pool in queue.pools:
        if have == level:
            return pool
    pool = STRATEGIES[queue.cfg.strategy](core.rng)
    queue.pools.append((level, pool))
    queue.pools.sort(key=lambda item: item[0])
    return pool


def join_queues(core: Core, seat: Seat) -> None:
    """Compute the seat's queues and levels: configured seats, skills (X12), night mode (S6)."""
    seat.memberships = []
    seat.queues = []
    for queue in core.queues.values():
        level = queue.cfg.seats.get(seat.seat_id)
        if level is None and queue.cfg.skill is not None:
            level = seat.skills.get(queue.cfg.skill)
        if level is None and core.merged:
            level = MERGED_LEVEL
        if level is not None:
            seat.memberships.append((queue, pool_for(core, queue, level)))
            seat.queues.append(queue)
            queue.members += 1


def leave_queues(seat: Seat) -> None:
    for queue in seat.queues:
        queue.members -= 1
    seat.memberships = []
    seat.queues = []


# -- calls entering queues -------------------------------------------------------------------


def enqueue(
    core: Core,
    call: Call,
    queue: QueueRt,
    now: float,
    trigger: CallTrigger,
    intro: tuple[str, ...] = (),
) -> None:
    """Put ``call`` into ``queue``; offer it at once if a seat is ready, else let it wait."""
    first = call.enq_at < 0
    core.call_to(call, trigger, QUEUED)
    call.queue = queue
    call.target_seat = None
    call.q_at = now
    if first:
        call.enq_at = now
    classes = core.cfg.priority.classes
    core.events.append(
        new_tuple(
            ev.CallQueued, (call.call_id, queue.queue_id, classes[call.pclass], queue.n_waiting + 1)
        )
    )
    if try_offer(core, call, queue, now):
        return
    wait(core, call, queue, now)
    if first or intro:
        busy = queue.cfg.all_busy_prompt
        core.play(call, intro if busy is None else (*intro, busy), music=True)


def try_offer(core: Core, call: Call, queue: QueueRt, now: float) -> bool:
    for _level, pool in queue.pools:
        seats = pool.take(call.avoid, now)
        if seats:
            offer(core, call, seats, queue.queue_id, now)
            return True
    return False


def wait(core: Core, call: Call, queue: QueueRt, now: float) -> None:
    """S16: the call waits; announcements and the maximum wait are timers."""
    queue.seq += 1
    heapq.heappush(queue.heaps[call.pclass], (call.enq_at, queue.seq, call.epoch, call))
    queue.n_waiting += 1
    call.waiting = True
    cfg = queue.cfg
    if cfg.announce_every is not None:
        core.arm(now + cfg.announce_every, ANNOUNCE, call)
    if cfg.max_wait is not None:
        core.arm(max(now, call.q_at + cfg.max_wait), MAX_WAIT, call)


def leave_queue(call: Call) -> None:
    """Bookkeeping before a waiting call changes state (its heap entry goes stale by itself)."""
    if call.waiting:
        call.waiting = False
        assert call.queue is not None
        call.queue.n_waiting -= 1


def offer(core: Core, call: Call, seats: Sequence[Seat], queue_id: str, now: float) -> None:
    """Ring ``seats`` for ``call`` (one seat, or several for ring-all) (S2, S7)."""
    leave_queue(call)
    core.call_to(call, CT.OFFER, C.RINGING)
    call.ringing = list(seats)
    for seat in seats:
        core.seat_to(seat, ST.OFFER, S.RINGING, now)
        seat.call = call
        core.actions.append(
            new_tuple(
                act.RingSeat, (seat.seat_id, call.call_id, call.caller, queue_id, call.customer)
            )
        )
        core.events.append(
            new_tuple(ev.CallOffered, (call.call_id, seat.seat_id, seat.employee_id, queue_id))
        )
    core.arm(now + core.cfg.ring_timeout, RING, call)


# -- seats becoming free ---------------------------------------------------------------------


def seat_free(core: Core, seat: Seat, now: float) -> None:
    """The seat just became ready or not-ready after work: give it its next call, if any."""
    if seat.directed:
        from kefu.switch.engine.directed import deliver_directed  # directed imports this module

        if deliver_directed(core, seat, now):
            return
    if seat.state is not READY:
        return
    call = best_waiting(core, seat, now)
    if call is not None:
        queue = call.queue
        assert queue is not None
        offer(core, call, (seat,), queue.queue_id, now)
        return
    for _queue, pool in seat.memberships:
        pool.add(seat)


def rejoin(core: Core, seat: Seat, now: float) -> None:
    """A ready seat's memberships changed: drop its pool entries and route it afresh."""
    seat.ready_epoch += 1
    seat_free(core, seat, now)


def best_waiting(core: Core, seat: Seat, now: float) -> Call | None:
    """The waiting call ``seat`` should take: best class after ageing, then earliest (S13/S14)."""
    best: WaitEntry | None = None
    best_rank = 0
    ageing = core.ageing
    for queue in seat.queues:
        if not queue.n_waiting:
            continue
        for rank, heap in enumerate(queue.heaps):
            entry = _head(heap, seat, now)
            if entry is None:
                continue
            if ageing and rank:
                rank = max(0, rank - int((now - entry[0]) / ageing))
            if best is None or (rank, entry[0], entry[1]) < (best_rank, best[0], best[1]):
                best, best_rank = entry, rank
    return best[3] if best is not None else None


def _head(heap: list[WaitEntry], seat: Seat, now: float) -> WaitEntry | None:
    """The first live entry of a class heap that may go to ``seat`` (stale ones are dropped)."""
    while heap:
        entry = heap[0]
        call = entry[3]
        if call.epoch != entry[2]:
            heapq.heappop(heap)
            continue
        avoid = call.avoid
        if avoid is None or avoid.get(seat.seat_id, -1.0) <= now:
            return entry
        return _first_not_avoiding(heap, seat, now)
    return None


def _first_not_avoiding(heap: list[WaitEntry], seat: Seat, now: float) -> WaitEntry | None:
    """Slow path, only while the head call let this seat ring out (S7 back-off)."""
    for entry in sorted(entry for entry in heap if entry[3].epoch == entry[2]):
        avoid = entry[3].avoid
        if avoid is None or avoid.get(seat.seat_id, -1.0) <= now:
            return entry
    return None


def expected_position(call: Call, queue: QueueRt) -> int:
    """1 + the calls of the queue that will be served before ``call`` (without ageing)."""
    key = (call.pclass, call.enq_at)
    ahead = 0
    for rank, heap in enumerate(queue.heaps):
        for entry in heap:
            other = entry[3]
            if other.epoch == entry[2] and other is not call and (rank, entry[0]) < key:
                ahead += 1
    return ahead + 1


def announce(core: Core, call: Call, now: float) -> None:
    """S16: periodic announcement, optionally with position and expected wait."""
    queue = call.queue
    assert queue is not None
    cfg = queue.cfg
    position = wait_s = None
    if cfg.announce_position:
        position = expected_position(call, queue)
        wait_s = round(position * queue.aht / max(1, queue.members))
    call.play_id += 1
    core.actions.append(
        act.PlayPrompt(call.call_id, call.play_id, (cfg.announce_prompt,), True, position, wait_s)
    )
    if cfg.announce_every is not None:
        core.arm(now + cfg.announce_every, ANNOUNCE, call)
