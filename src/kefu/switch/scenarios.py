"""A full-featured simulated day: greeting, an IVR tree with business hours, sub-menus,
self-service and identity checks, four queues with different strategies and levels, VIP skill
routing, special-trunk and long-distance priority with ageing, overflow, callback requests and
voicemail at the maximum wait, recording of every call, agents who miss calls, hang up and end
wrap-up early, a time-of-day arrival profile. Used by ``kefu simulate --scenario full``, the
benchmark and the tests."""

from __future__ import annotations

from kefu.switch.adapters.sim import AgentModel, CallerModel
from kefu.switch.engine import MaxWaitAction, PriorityConfig, QueueConfig, SwitchConfig
from kefu.switch.engine.hours import HoursSchedule
from kefu.switch.engine.ivr import (
    Goodbye,
    HoursBranch,
    IdentityCheck,
    IvrTree,
    Menu,
    RouteToQueue,
    SelfService,
)

#: Calls per hour of day relative to the mean (a usual service-center curve).
DAY_PROFILE = (
    0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.5, 1.0, 1.6, 2.0, 2.1, 1.9,
    1.4, 1.6, 1.9, 2.0, 1.8, 1.5, 1.2, 1.0, 0.8, 0.6, 0.4, 0.25,
)  # fmt: skip

PROMPT_SECONDS = {
    "greeting": 3.0,
    "main_menu": 6.0,
    "service_menu": 5.0,
    "invalid_key": 2.0,
    "enter_customer": 4.0,
    "enter_pin": 3.0,
    "wrong_pin": 2.0,
    "self_service_frozen": 4.0,
    "enter_request_number": 4.0,
    "request_status_status": 5.0,
    "thanks": 2.0,
    "night_service": 3.0,
}

KEYS = {
    "main_menu": (("1", 0.3), ("2", 0.33), ("3", 0.1), ("0", 0.22), ("7", 0.05)),
    "service_menu": (("1", 0.7), ("2", 0.25), ("*", 0.05)),
    "enter_customer": (("{customer}#", 1.0),),
    "enter_pin": (("{pin}#", 1.0),),
    "enter_request_number": (("20240001#", 1.0),),
}


def ivr_tree() -> IvrTree:
    return IvrTree(
        "main",
        "hours",
        (
            HoursBranch("hours", "day", open="main_menu", closed="night"),
            Menu(
                "main_menu",
                "main_menu",
                {"1": "to_sales", "2": "service_menu", "3": "identify", "0": "to_general"},
                fallback="to_general",
            ),
            Menu(
                "service_menu",
                "service_menu",
                {"1": "to_service", "2": "status"},
                fallback="to_service",
            ),
            SelfService(
                "status",
                "enter_request_number",
                "request_status",
                next="thanks",
                fallback="to_service",
            ),
            IdentityCheck(
                "identify", "enter_customer", "enter_pin", "to_vip", on_fail="to_general"
            ),
            RouteToQueue("to_sales", "sales", vip_queue="vip"),
            RouteToQueue("to_service", "service", vip_queue="vip"),
            RouteToQueue("to_vip", "service", vip_queue="vip"),
            RouteToQueue("to_general", "general", vip_queue="vip"),
            RouteToQueue("night", "general", prompt="night_service"),
            Goodbye("thanks", "thanks"),
        ),
    )


def _queues(seats: tuple[str, ...]) -> tuple[QueueConfig, ...]:
    n = len(seats)
    sales, service = seats[: n * 3 // 10], seats[n * 3 // 10 : n * 8 // 10]
    general = seats[n * 9 // 10 :]
    return (
        QueueConfig(
            "sales",
            strategy="round_robin",
            seats={**dict.fromkeys(sales, 1), **dict.fromkeys(general, 2)},
            announce_every=45.0,
            max_wait=300.0,
            on_max_wait=MaxWaitAction.CALLBACK,
        ),
        QueueConfig(
            "service",
            strategy="fewest_calls",
            seats={**dict.fromkeys(service, 1), **dict.fromkeys(general, 2)},
            max_wait=240.0,
            on_max_wait=MaxWaitAction.OVERFLOW,
            overflow_queue="general",
        ),
        QueueConfig("vip", skill="vip", announce_position=True, announce_every=30.0),
        QueueConfig(
            "general",
            strategy="least_talk_time",
            seats={**dict.fromkeys(general, 1), **dict.fromkeys(seats[: n * 9 // 10], 3)},
            max_wait=600.0,
        ),
    )


def full_day(
    calls: int, seats: int
) -> tuple[SwitchConfig, CallerModel, AgentModel, dict[str, tuple[tuple[str, int], ...]]]:
    """(config, callers, agents, skills per seat) for ``calls`` calls a day over ``seats``."""
    seat_ids = tuple(f"s{i}" for i in range(1, seats + 1))
    vip_seats = seat_ids[seats * 8 // 10 : seats * 9 // 10]
    config = SwitchConfig(
        seats=seat_ids,
        queues=_queues(seat_ids),
        default_queue="general",
        ivr_trees=(ivr_tree(),),
        default_tree="main",
        schedules={"day": HoursSchedule({d: (("08:00", "22:00"),) for d in range(7)}, "UTC")},
        priority=PriorityConfig(special_trunks={"gov": "special"}, ageing_seconds=120.0),
        ring_timeout=15.0,
        wrap_up=20.0,
        record_all=True,
    )
    callers = CallerModel(
        calls_per_hour=calls / 24.0,
        profile=DAY_PROFILE,
        long_distance_share=0.2,
        trunks=(("gov", 0.02),),
        vip_share=0.08,
        patience=240.0,
        talk=180.0,
        talk_cv=0.8,
        prompt_seconds=PROMPT_SECONDS,
        keys=KEYS,
        silent_share=0.03,
        ivr_hangup_share=0.01,
        wrong_pin_share=0.15,
        customers=2000,
    )
    agents = AgentModel(no_answer_prob=0.02, answer_delay=2.0, hangup_share=0.3, wrap_up_mean=10.0)
    skills: dict[str, tuple[tuple[str, int], ...]] = {seat: (("vip", 1),) for seat in vip_seats}
    return config, callers, agents, skills
