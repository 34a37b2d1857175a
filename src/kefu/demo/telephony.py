"""Demo switch: ten seats, four queues, an IVR tree with business hours, self-service and the
phone identity check, prompts in Chinese, and phone PINs for twenty customers.

Seats 101–108 and 110 are staffed by simulated agents when the simulator is on
(``KEFU_SIMULATOR``, default on), so the center is alive when a newcomer opens it; an employee
logging on to one of them takes it over (mid-shift swap). Seat 109 is the supervisor seat.
Idempotent: rows are found by their codes and left alone when they exist, so a manager's
changes survive loading the demo again.
"""

from __future__ import annotations

from typing import Any

from kefu.accounts.models import User
from kefu.directory.models import CustomerUnit
from kefu.telephony.models import (
    AgentSkill,
    BusinessHours,
    ConfigChange,
    IvrEntryNumber,
    IvrTree,
    NotReadyReason,
    PhoneCredential,
    Prompt,
    Queue,
    QueueSeat,
    Seat,
    SwitchSettings,
    Trunk,
)

DEMO_PIN = "1234"
PROMPTS = {
    "greeting": "您好，欢迎致电客服中心。",
    "main_menu": "产品咨询请按1，售后服务请按2，电话自助服务请按3，人工服务请按0。",
    "service_menu": "报修请按1，查询请求进度请按2，返回上一级请按星号键。",
    "invalid_key": "您的输入有误。",
    "please_hold": "请您稍候，我们将尽快为您服务。",
    "all_busy": "对不起，客服系统忙，请稍候！",
    "enter_customer": "请输入您的客户号，以井号键结束。",
    "enter_pin": "请输入电话密码，以井号键结束。",
    "wrong_pin": "密码错误。",
    "self_service_frozen": "您的电话自助服务已冻结，正在为您转接人工服务。",
    "enter_request_number": "请输入您的请求编号，以井号键结束。",
    "request_found": "您查询的请求当前状态为：",
    "request_not_found": "没有找到该请求，请核对编号。",
    "service_unavailable": "该服务暂时不可用。",
    "thanks": "感谢您的来电，再见。",
    "night_service": "现在是非工作时间，我们将尽力为您接通值班人员。",
    "callback_registered": "已为您登记回呼，我们将尽快与您联系。",
    "leave_message": "请在提示音后留言。",
}
SEATS = [(f"{n}", f"{n}号席") for n in range(101, 111)]
SIMULATED = {"101", "102", "103", "104", "105", "106", "107", "108", "110"}
SUPERVISOR_SEAT = "109"

# (code, name, strategy, skill, seats {number: level}, extra fields)
QUEUES: list[tuple[str, str, str, str, dict[str, int], dict[str, Any]]] = [
    (
        "consult",
        "产品咨询",
        "round_robin",
        "",
        {"101": 1, "102": 1, "103": 1, "104": 1, "105": 2, "106": 2},
        {"announce_every": 45, "max_wait": 300, "on_max_wait": "callback"},
    ),
    (
        "service",
        "售后服务",
        "longest_idle",
        "",
        {"105": 1, "106": 1, "107": 1, "108": 1, "101": 2, "102": 2},
        {"max_wait": 240, "on_max_wait": "overflow"},
    ),
    ("vip", "重要客户", "longest_idle", "vip", {"110": 1}, {"announce_position": True}),
    (
        "general",
        "人工服务",
        "fewest_calls",
        "",
        {str(n): 1 if n in (107, 108) else 2 for n in range(101, 109)},
        {"max_wait": 600, "on_max_wait": "voicemail", "max_wait_prompt": "leave_message"},
    ),
]

TREE: dict[str, Any] = {
    "root": "hours",
    "nodes": [
        {"id": "hours", "type": "hours", "schedule": "workday", "open": "main", "closed": "night"},
        {
            "id": "main",
            "type": "menu",
            "prompt": "main_menu",
            "options": {"1": "to_consult", "2": "service_menu", "3": "identify", "0": "to_general"},
            "fallback": "to_general",
        },
        {
            "id": "service_menu",
            "type": "menu",
            "prompt": "service_menu",
            "options": {"1": "to_service", "2": "status"},
            "fallback": "to_service",
        },
        {
            "id": "status",
            "type": "self_service",
            "prompt": "enter_request_number",
            "service": "request_status",
            "next": "thanks",
            "fallback": "to_service",
        },
        {
            "id": "identify",
            "type": "identity",
            "customer_prompt": "enter_customer",
            "pin_prompt": "enter_pin",
            "next": "to_vip",
            "on_fail": "to_general",
        },
        {"id": "to_consult", "type": "queue", "queue": "consult", "vip_queue": "vip"},
        {"id": "to_service", "type": "queue", "queue": "service", "vip_queue": "vip"},
        {"id": "to_vip", "type": "queue", "queue": "general", "vip_queue": "vip"},
        {"id": "to_general", "type": "queue", "queue": "general", "vip_queue": "vip"},
        {"id": "night", "type": "queue", "queue": "general", "prompt": "night_service"},
        {"id": "thanks", "type": "goodbye", "prompt": "thanks"},
    ],
}

REASONS = [("rest", "小休"), ("meal", "用餐"), ("meeting", "开会"), ("training", "培训")]
SKILLS = [("2001", "vip", 1), ("2002", "vip", 1), ("3001", "vip", 2)]


def _prompts() -> dict[str, Prompt]:
    from kefu.service.models import Status

    texts = dict(PROMPTS)
    for status in Status.objects.all():
        texts[f"status_{status.code}"] = str(status.name)
    return {
        key: Prompt.objects.get_or_create(key=key, defaults={"text": text})[0]
        for key, text in texts.items()
    }


def _queues(seats: dict[str, Seat], prompts: dict[str, Prompt]) -> dict[str, Queue]:
    queues: dict[str, Queue] = {}
    for order, (code, name, strategy, skill, members, extra) in enumerate(QUEUES):
        fields = dict(extra)
        if "max_wait_prompt" in fields:
            fields["max_wait_prompt"] = prompts[fields["max_wait_prompt"]]
        queue, created = Queue.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "strategy": strategy,
                "skill": skill,
                "sort_order": order,
                "all_busy_prompt": prompts["all_busy"],
                "announce_prompt": prompts["please_hold"],
                **fields,
            },
        )
        if created:
            for number, level in members.items():
                QueueSeat.objects.create(queue=queue, seat=seats[number], level=level)
        queues[code] = queue
    service = queues["service"]
    if service.overflow_queue_id is None:
        service.overflow_queue = queues["general"]
        service.save(update_fields=["overflow_queue"])
    return queues


def _credentials() -> None:
    for index, unit in enumerate(CustomerUnit.objects.order_by("code")[:20]):
        number = str(80000 + index)
        if PhoneCredential.objects.filter(customer_number=number).exists():
            continue
        row = PhoneCredential(
            customer_number=number, unit=unit, contact=unit.contacts.order_by("name").first()
        )
        row.set_pin(DEMO_PIN)
        row.save()


def load() -> None:
    prompts = _prompts()
    seats = {}
    for number, name in SEATS:
        seats[number] = Seat.objects.get_or_create(
            number=number, defaults={"name": name, "simulated": number in SIMULATED}
        )[0]
    queues = _queues(seats, prompts)
    BusinessHours.objects.get_or_create(
        code="workday",
        defaults={
            "name": "客服中心营业时间",
            "windows": {
                **{str(day): [["08:30", "20:00"]] for day in range(5)},
                **{str(day): [["09:00", "17:00"]] for day in (5, 6)},
            },
        },
    )
    tree, _ = IvrTree.objects.get_or_create(
        code="main", defaults={"name": "客服热线主菜单", "definition": TREE}
    )
    IvrEntryNumber.objects.get_or_create(number="4008001234", defaults={"tree": tree})
    Trunk.objects.get_or_create(
        code="gov", defaults={"name": "政务专线", "priority_class": "special"}
    )
    Trunk.objects.get_or_create(code="ld", defaults={"name": "长途中继", "long_distance": True})
    settings = SwitchSettings.load()
    if settings.default_queue_id is None:
        settings.greeting = prompts["greeting"]
        settings.supervisor_seat = seats[SUPERVISOR_SEAT]
        settings.default_queue = queues["general"]
        settings.default_ivr = tree
        settings.wrap_up = 10
        settings.record_all = True
        settings.save()
    for code, name in REASONS:
        NotReadyReason.objects.get_or_create(code=code, defaults={"name": name})
    for number, skill, level in SKILLS:
        employee = User.objects.filter(username=number).first()
        if employee is not None:
            AgentSkill.objects.get_or_create(
                employee=employee, skill=skill, defaults={"level": level}
            )
    _credentials()
    if not ConfigChange.objects.exists():
        ConfigChange.objects.create(summary="演示数据：交换机配置", applied=False)
