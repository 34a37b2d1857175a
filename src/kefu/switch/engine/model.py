"""The engine's live objects: seats, calls, queues at run time, campaign entries.

Plain mutable slot classes, owned by one ``Engine`` and changed only by its handlers. Every
object a timer can point at has an ``epoch`` that is bumped on each state change; a timer
armed under an older epoch is stale and is dropped when it comes due.
"""

from __future__ import annotations

from collections import deque
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from kefu.switch.engine.states import CallState, SeatState
from kefu.switch.native import mypyc_attr

if TYPE_CHECKING:
    from kefu.switch.engine.config import QueueConfig
    from kefu.switch.engine.ivr import IvrTree
    from kefu.switch.engine.strategies.base import SeatPool


class CallKind(StrEnum):
    INBOUND = "inbound"
    INTERCOM = "intercom"
    CALLBACK = "callback"
    NOTIFICATION = "notification"


class K:
    """``CallKind`` members as plain attributes (see ``states.S`` for why)."""

    INBOUND: Final = CallKind.INBOUND
    INTERCOM: Final = CallKind.INTERCOM
    CALLBACK: Final = CallKind.CALLBACK
    NOTIFICATION: Final = CallKind.NOTIFICATION


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class Seat:
    __slots__ = (
        "call",
        "calls_answered",
        "directed",
        "employee_id",
        "epoch",
        "idle_since",
        "index",
        "logged_on_at",
        "memberships",
        "no_answers",
        "nr_reason",
        "queues",
        "ready_epoch",
        "seat_id",
        "skills",
        "state",
        "talk_seconds",
    )

    def __init__(self, seat_id: str, index: int) -> None:
        self.seat_id = seat_id
        self.index = index
        self.state = SeatState.LOGGED_OFF
        self.employee_id = ""
        self.nr_reason = ""  # not-ready reason, kept while busy to apply afterwards
        self.epoch = 0
        self.ready_epoch = 0  # bumped whenever the seat enters or leaves READY
        self.idle_since = 0.0
        self.logged_on_at = 0.0
        self.calls_answered = 0
        self.talk_seconds = 0.0
        self.no_answers = 0  # consecutive unanswered offers (S7)
        self.call: Call | None = None
        self.skills: dict[str, int] = {}
        self.memberships: list[tuple[QueueRt, SeatPool]] = []
        self.queues: list[QueueRt] = []
        self.directed: deque[Call] = deque()  # transfers and intercoms waiting for this seat


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class Call:
    __slots__ = (
        "answered_at",
        "arrived_at",
        "avoid",
        "call_id",
        "caller",
        "customer",
        "dialled",
        "digits",
        "end_cause",
        "enq_at",
        "entry",
        "epoch",
        "intro",
        "ivr_node",
        "ivr_phase",
        "ivr_stack",
        "kind",
        "long_distance",
        "origin_seat",
        "pclass",
        "play_id",
        "q_at",
        "queue",
        "rec_seq",
        "recording",
        "reference",
        "request_id",
        "retries",
        "ringing",
        "seat",
        "state",
        "target_seat",
        "tree",
        "trunk",
        "vip",
        "waiting",
    )

    def __init__(self, call_id: str, kind: CallKind, caller: str, now: float) -> None:
        self.call_id = call_id
        self.kind = kind
        self.caller = caller
        self.arrived_at = now
        self.state = CallState.NEW
        self.epoch = 0
        self.dialled = ""
        self.trunk = ""
        self.long_distance = False
        self.vip = False
        self.customer = ""
        self.pclass = 0  # priority class rank, 0 = served first (S13)
        self.queue: QueueRt | None = None
        self.enq_at = -1.0  # first queue entry: waits and FCFS order (S14) run from here
        self.q_at = 0.0  # entry into the current queue: its maximum wait runs from here
        self.waiting = False  # counted in its queue's n_waiting
        self.avoid: dict[str, float] | None = None  # seat id → until: no re-offer (S7)
        self.ringing: list[Seat] = []
        self.seat: Seat | None = None  # the connected seat
        self.answered_at = 0.0
        self.play_id = 0
        self.recording = ""
        self.rec_seq = 0
        self.tree: IvrTree | None = None
        self.ivr_node = ""
        self.ivr_stack: list[str] = []
        self.ivr_phase = ""
        self.retries = 0
        self.digits = ""
        self.request_id = 0
        self.origin_seat: Seat | None = None  # intercom caller, callback seat, transferrer
        self.target_seat: Seat | None = None  # directed calls: the seat whose queue holds it
        self.reference = ""
        self.entry: CampaignEntry | None = None
        self.end_cause = ""  # why a call playing its last message will end
        self.intro: tuple[str, ...] = ()  # the greeting, played before the first IVR prompt


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class QueueRt:
    """A queue at run time: waiting calls per priority class and seat pools per level."""

    __slots__ = ("aht", "cfg", "heaps", "members", "n_waiting", "pools", "queue_id", "seq")

    def __init__(self, cfg: QueueConfig, n_classes: int) -> None:
        self.cfg = cfg
        self.queue_id = cfg.queue_id
        # per class: heap of (enq_at, seq, epoch, call); stale entries are skipped lazily
        self.heaps: list[list[tuple[float, int, int, Call]]] = [[] for _ in range(n_classes)]
        self.n_waiting = 0
        self.pools: list[tuple[int, SeatPool]] = []  # (level, pool), best level first
        self.members = 0  # logged-on member seats
        self.aht = 180.0  # running mean handle time for expected-wait announcements
        self.seq = 0


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class CampaignEntry:
    """One number of an outbound notification campaign (S18)."""

    __slots__ = ("attempts", "call", "campaign_id", "epoch", "number", "outcome")

    def __init__(self, campaign_id: str, number: str) -> None:
        self.campaign_id = campaign_id
        self.number = number
        self.attempts = 0
        self.epoch = 0
        self.outcome = ""
        self.call: Call | None = None


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class Campaign:
    __slots__ = (
        "active",
        "campaign_id",
        "concurrency",
        "dial_timeout",
        "entries",
        "max_attempts",
        "pending",
        "prompt",
        "retry_after",
    )

    def __init__(
        self,
        campaign_id: str,
        prompt: str,
        *,
        concurrency: int,
        max_attempts: int,
        retry_after: float,
        dial_timeout: float,
    ) -> None:
        self.campaign_id = campaign_id
        self.prompt = prompt
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.retry_after = retry_after
        self.dial_timeout = dial_timeout
        self.entries: list[CampaignEntry] = []
        self.pending: deque[CampaignEntry] = deque()  # ready to dial now
        self.active = 0


@mypyc_attr(serializable=True, allow_interpreted_subclasses=True)  # copyable compiled (native)
class Sentinel:
    """The owner of timers that are never cancelled (the watchdog)."""

    __slots__ = ("epoch",)

    def __init__(self) -> None:
        self.epoch = 0
