"""A small call center in the database: seats 7, 8 and 9 (the supervisor seat), queues
"general" (7, 8) and "sales" (7), an IVR tree with a menu, identity check and self-service,
and the prompts they use."""

from __future__ import annotations

from typing import Any

import pytest

PROMPTS = {
    "greeting": "您好，欢迎致电客服中心",
    "main_menu": "销售请按1，服务请按2，身份验证请按3，查询请求请按4",
    "invalid_key": "输入有误",
    "please_hold": "请稍候",
    "all_busy": "对不起，客服系统忙，请稍候",
    "thanks": "谢谢，再见",
    "enter_customer": "请输入客户号，以井号结束",
    "enter_pin": "请输入电话密码，以井号结束",
    "wrong_pin": "密码错误",
    "self_service_frozen": "电话自助服务已冻结，为您转人工",
    "enter_request_number": "请输入请求编号，以井号结束",
}

TREE: dict[str, Any] = {
    "root": "main",
    "nodes": [
        {
            "id": "main",
            "type": "menu",
            "prompt": "main_menu",
            "options": {"1": "to_sales", "2": "to_general", "3": "identify", "4": "status"},
            "fallback": "to_general",
        },
        {"id": "to_sales", "type": "queue", "queue": "sales"},
        {"id": "to_general", "type": "queue", "queue": "general"},
        {
            "id": "identify",
            "type": "identity",
            "customer_prompt": "enter_customer",
            "pin_prompt": "enter_pin",
            "next": "to_general",
            "on_fail": "to_general",
            "max_attempts": 6,
        },
        {
            "id": "status",
            "type": "self_service",
            "prompt": "enter_request_number",
            "service": "request_status",
            "next": "thanks",
            "fallback": "to_general",
        },
        {"id": "thanks", "type": "goodbye", "prompt": "thanks"},
    ],
}


@pytest.fixture
def center(transactional_db: None) -> dict[str, Any]:
    from kefu.telephony.models import (
        IvrTree,
        Prompt,
        Queue,
        QueueSeat,
        Seat,
        SwitchSettings,
    )

    prompts = {key: Prompt.objects.create(key=key, text=text) for key, text in PROMPTS.items()}
    seats = {n: Seat.objects.create(number=n, name=f"{n}号席") for n in ("7", "8", "9")}
    general = Queue.objects.create(code="general", name="综合", announce_every=None)
    sales = Queue.objects.create(code="sales", name="销售", announce_every=None)
    QueueSeat.objects.create(queue=general, seat=seats["7"], level=1)
    QueueSeat.objects.create(queue=general, seat=seats["8"], level=1)
    QueueSeat.objects.create(queue=sales, seat=seats["7"], level=1)
    tree = IvrTree.objects.create(code="main", name="主菜单", definition=TREE)
    settings = SwitchSettings.load()
    settings.greeting = prompts["greeting"]
    settings.supervisor_seat = seats["9"]
    settings.default_queue = general
    settings.default_ivr = tree
    settings.ring_timeout = 15
    settings.reoffer_backoff = 60
    settings.save()
    return {"seats": seats, "general": general, "sales": sales, "tree": tree, "prompts": prompts}
