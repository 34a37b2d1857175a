"""Demo service requests: a few dozen of every type over the last two weeks, with replies by
every channel, work orders, work logs, maintenance bulletins, closed ones with answered
surveys, an outbound list and a shift handover. Everything goes through the actions, so the
timelines, histories and numbers are what real use would produce.

Loaded only while the center has no request yet (running ``kefu demo`` twice adds nothing).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kefu.accounts.models import User
from kefu.directory.models import CustomerContact, Equipment, Phenomenon, Product, Project
from kefu.service import actions
from kefu.service.models import Department, MaintenanceBulletin, ServiceRequest

DEPARTMENTS = [
    ("field", "现场服务部", ["4001"]),
    ("rd", "研发部", ["4002"]),
    ("vendor", "厂家协调组", ["4001", "4002"]),
]

# (kind, subject, content, details, how far it got: new / progress / waiting / resolved / closed)
SCENARIOS: list[tuple[str, str, str, dict[str, Any], str]] = [
    (
        "fault",
        "鼓楼开关站 DTU 通信中断",
        "主站收不到鼓楼开关站 DTU 的遥信，现场指示灯正常。",
        {"equipment": "E0001", "phenomenon": "03", "soft_hard": "hardware"},
        "closed",
    ),
    (
        "fault",
        "前置通信服务器 A 死机",
        "凌晨 3 点前置服务器无响应，已手工重启。",
        {"equipment": "E0006", "phenomenon": "01", "soft_hard": "hardware"},
        "closed",
    ),
    (
        "fault",
        "观前街环网柜遥控失败",
        "遥控分闸命令下发后返校超时。",
        {"equipment": "E0008", "phenomenon": "09", "soft_hard": "hardware"},
        "progress",
    ),
    (
        "fault",
        "苏州调度环网交换机告警",
        "交换机电源模块告警灯常亮。",
        {"equipment": "E0010", "phenomenon": "05", "soft_hard": "hardware"},
        "waiting",
    ),
    (
        "fault",
        "无锡主站报表数据错误",
        "日报中 10kV 线路负荷为负值。",
        {
            "project": "PJ03",
            "phenomenon": "04",
            "soft_hard": "software",
            "software_version": "DMS 5.2",
        },
        "resolved",
    ),
    (
        "fault",
        "工行录音服务器磁盘告警",
        "录音服务器 RAID 一块磁盘离线。",
        {"equipment": "E0016", "phenomenon": "05", "soft_hard": "hardware"},
        "closed",
    ),
    (
        "fault",
        "门诊自助机 1 号打印异常",
        "凭条打印空白。",
        {"equipment": "E0020", "phenomenon": "08", "soft_hard": "hardware"},
        "new",
    ),
    (
        "fault",
        "政务热线网关 B 通话断续",
        "高峰时段通话断续、回声大。",
        {"equipment": "E0026", "phenomenon": "03", "soft_hard": "hardware"},
        "progress",
    ),
    (
        "fault",
        "扬子石化核心交换机端口闪断",
        "第 12 口每小时闪断一次。",
        {"equipment": "E0028", "phenomenon": "03", "soft_hard": "hardware"},
        "closed",
    ),
    (
        "fault",
        "集中抄表终端数据不刷新",
        "梁溪区抄表数据停在昨天。",
        {"equipment": "E0013", "phenomenon": "02", "soft_hard": "hardware"},
        "new",
    ),
    (
        "complaint",
        "工程师上门迟到两小时",
        "约好九点上门，十一点才到，影响营业。",
        {"complaint_kind": "complaint", "soft_hard": "hardware"},
        "closed",
    ),
    (
        "complaint",
        "热线长时间无人接听",
        "连续三次拨打客服热线等待超过五分钟。",
        {"complaint_kind": "complaint", "soft_hard": "software"},
        "resolved",
    ),
    (
        "complaint",
        "叫号系统升级后评价器失灵",
        "申告：升级后评价器按键无反应。",
        {"complaint_kind": "declaration", "soft_hard": "hardware"},
        "progress",
    ),
    (
        "complaint",
        "发票迟迟未寄出",
        "维保费已付一个月，发票仍未收到。",
        {"complaint_kind": "complaint", "soft_hard": "software"},
        "new",
    ),
    (
        "complaint",
        "软件授权到期提醒不及时",
        "授权过期当天才收到通知。",
        {"complaint_kind": "complaint", "soft_hard": "software"},
        "closed",
    ),
    (
        "suggestion",
        "希望报表可导出 Excel",
        "现在只能打印，希望增加导出。",
        {"soft_hard": "software"},
        "closed",
    ),
    (
        "suggestion",
        "建议增加短信通知",
        "工单处理完成后希望短信告知。",
        {"soft_hard": "software"},
        "resolved",
    ),
    (
        "suggestion",
        "自助机界面字体太小",
        "老年患者看不清，建议加大字号。",
        {"soft_hard": "hardware"},
        "new",
    ),
    ("suggestion", "建议提供夜间值班电话", "夜间故障找不到人。", {}, "closed"),
    (
        "consultation",
        "KF100 能否接入企业微信",
        "想了解 KF100 是否支持企业微信渠道。",
        {"product": "P001"},
        "closed",
    ),
    (
        "consultation",
        "DTU-3000 的通信规约",
        "是否支持 IEC 104 和 101？",
        {"product": "P003"},
        "resolved",
    ),
    ("consultation", "维保合同续签流程", "维保到期后如何续签？", {}, "progress"),
    (
        "consultation",
        "系统能否部署在国产操作系统",
        "询问对麒麟、统信的支持。",
        {"product": "P002"},
        "new",
    ),
    (
        "consultation",
        "录音保存多长时间",
        "录音默认保存期限及扩容方式。",
        {"product": "P001"},
        "closed",
    ),
    (
        "product_query",
        "KF100 报价",
        "询问 50 座席的价格。",
        {"product": "P001", "asked_price": True},
        "closed",
    ),
    (
        "product_query",
        "叫号系统功能",
        "了解叫号系统的功能和性能。",
        {"product": "P005", "asked_function": True, "asked_performance": True},
        "closed",
    ),
    (
        "product_query",
        "自助机保修条款",
        "询问自助机的维修条款。",
        {"product": "P006", "asked_repair_terms": True, "asked_after_sales": True},
        "resolved",
    ),
    (
        "product_query",
        "交换机售后服务",
        "询问交换机的售后响应时间。",
        {"product": "P004", "asked_after_sales": True},
        "new",
    ),
    (
        "change",
        "调度报表增加按月汇总",
        "需要按月汇总线路负荷。",
        {"change_kind": "add", "change_class": "RPT", "reason": "月度考核需要", "project": "PJ03"},
        "progress",
    ),
    (
        "change",
        "取消登录验证码",
        "内网使用，验证码影响效率。",
        {
            "change_kind": "delete",
            "change_class": "UI",
            "reason": "内网环境无需验证码",
            "project": "PJ04",
        },
        "waiting",
    ),
    (
        "change",
        "接口改为 HTTPS",
        "对接平台要求 HTTPS。",
        {
            "change_kind": "modify",
            "change_class": "API",
            "reason": "安全整改要求",
            "project": "PJ08",
        },
        "closed",
    ),
    (
        "change",
        "优化查询速度",
        "历史数据查询超过 30 秒。",
        {
            "change_kind": "modify",
            "change_class": "PERF",
            "reason": "数据量增长后查询变慢",
            "project": "PJ01",
        },
        "new",
    ),
    (
        "fault",
        "鼓楼医院大屏黑屏",
        "班长监控大屏无显示。",
        {"equipment": "E0024", "phenomenon": "01", "soft_hard": "hardware"},
        "closed",
    ),
    ("consultation", "如何修改坐席密码", "坐席忘记密码如何重置。", {"product": "P001"}, "closed"),
    (
        "suggestion",
        "希望增加英文界面",
        "外籍员工使用需要英文。",
        {"soft_hard": "software"},
        "progress",
    ),
    (
        "complaint",
        "维修后同一故障再次出现",
        "上周修好的 FTU 又掉线了。",
        {"complaint_kind": "declaration", "soft_hard": "hardware"},
        "waiting",
    ),
]

REPLY_CHANNELS = ["callback", "email", "sms", "fax", "voice"]


def _users() -> dict[str, User]:
    return {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "1001",
                "2001",
                "2002",
                "3001",
                "3002",
                "3003",
                "3005",
                "3006",
                "4001",
                "4002",
            ]
        )
    }


def _details(values: dict[str, Any]) -> dict[str, Any]:
    lookups: dict[str, Any] = {
        "equipment": Equipment,
        "phenomenon": Phenomenon,
        "product": Product,
        "project": Project,
    }
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in lookups:
            out[name] = lookups[name].objects.get(code=value)
        elif name == "change_class":
            from kefu.directory.models import ChangeClass

            out[name] = ChangeClass.objects.get(code=value)
        else:
            out[name] = value
    return out


def _bulletins(author: User, at: datetime.datetime) -> list[MaintenanceBulletin]:
    made = []
    for number, version, content in [
        ("WH-2026-07", "DMS 5.2.3", "修正日报负荷为负值的问题；优化前置通信重连。"),
        ("WH-2026-08", "KF100 3.1.2", "修正录音服务器磁盘告警误报；支持企业微信渠道。"),
    ]:
        made.append(
            actions.do_create_bulletin(
                author,
                {
                    "bulletin_no": number,
                    "department": "研发部",
                    "issued_on": at.date(),
                    "modification_content": content,
                    "version_change": "update",
                    "new_version": version,
                    "contact_name": "马琳",
                    "contact_phone": "025-84510000",
                },
                now=at,
            )
        )
    return made


def _contacts() -> list[CustomerContact]:
    return list(CustomerContact.objects.select_related("unit").order_by("unit__code", "name"))


def load() -> None:
    if ServiceRequest.objects.exists():
        return
    users = _users()
    for code, name, members in DEPARTMENTS:
        dept, _created = Department.objects.get_or_create(code=code, defaults={"name": name})
        dept.members.set([users[m] for m in members])
    now = timezone.now()
    bulletins = _bulletins(users["4002"], now - datetime.timedelta(days=20))
    contacts = _contacts()
    operators = ["3001", "3002", "3003", "3005", "3006"]
    for index, (kind, subject, content, details, stage) in enumerate(SCENARIOS):
        at = now - datetime.timedelta(days=14 - index * 13 / len(SCENARIOS), hours=index % 5)
        contact = contacts[(index * 7) % len(contacts)]
        if kind == "fault" and "equipment" in details:
            owner = Equipment.objects.get(code=details["equipment"]).owner
            contact = owner.contacts.order_by("name").first() or contact
        values = _details(details)
        if kind == "fault":
            values["reported_on"] = timezone.localtime(at).date()
        request = actions.do_create_request(
            users[operators[index % len(operators)]],
            actions.NewRequest(
                kind=kind,
                channel=["phone", "phone", "web", "email", "walk_in", "sms"][index % 6],
                subject=subject,
                content=content,
                contact=contact,
                details=values,
                call_id=f"demo-call-{index:03d}",
                priority=["normal", "normal", "high", "urgent", "low"][index % 5],
            ),
            now=at,
        )
        _progress(request, stage, index, at, users, bulletins)
    _outbound_and_duty(users, contacts, now)


def _progress(
    request: ServiceRequest,
    stage: str,
    index: int,
    at: datetime.datetime,
    users: dict[str, User],
    bulletins: list[MaintenanceBulletin],
) -> None:
    if stage == "new":
        return
    handler = users["4001" if index % 2 else "4002"]
    boss = users["2001"]
    step = datetime.timedelta(minutes=20)
    request = actions.do_assign(request, handler, boss, now=at + step)
    actions.do_transition(request, "in_progress", handler, now=at + 2 * step)
    actions.do_add_work_log(
        request,
        handler,
        text="与客户确认现象，查阅历史记录。",
        minutes=15 + index % 30,
        now=at + 3 * step,
    )
    order = None
    if request.kind in ("fault", "change", "complaint"):
        dept = Department.objects.get(code=["field", "rd", "vendor"][index % 3])
        order = actions.do_create_work_order(
            request,
            handler,
            instructions="请核实并处理，结果反馈客服中心。",
            department=dept,
            deadline=at + datetime.timedelta(days=1),
            now=at + 4 * step,
        )
    channel = REPLY_CHANNELS[index % len(REPLY_CHANNELS)]
    partial = actions.ReplyInput(
        channel="callback",
        content="已受理，正在安排处理。",
        started_at=at + 5 * step,
        ended_at=at + 5 * step + datetime.timedelta(seconds=75),
        call_id=f"demo-cb-{index:03d}",
    )
    actions.do_reply(request, handler, partial, now=at + 6 * step)
    if stage == "waiting":
        actions.do_transition(
            request,
            "waiting_customer" if index % 2 else "waiting_vendor",
            handler,
            now=at + 7 * step,
        )
        return
    if stage == "progress":
        return
    if order is not None:
        actions.do_update_work_order(
            order, handler, status="done", result="已处理完毕，运行正常。", now=at + 8 * step
        )
    if request.kind == "fault":
        actions.do_update_details(
            request,
            handler,
            {"bulletin": bulletins[index % 2], "resolved_on": (at + 9 * step).date()},
            now=at + 9 * step,
        )
    final = actions.ReplyInput(
        channel=channel,
        content="问题已解决，处理结果如上，如有疑问请致电客服中心。",
        started_at=at + 10 * step,
        ended_at=at + 10 * step + datetime.timedelta(seconds=120),
        outcome="sent" if channel in ("email", "sms", "fax") else "informed",
        final=True,
        recording="处理结果通知.wav" if channel == "voice" else "",
    )
    actions.do_reply(request, handler, final, now=at + 11 * step)
    actions.do_transition(request, "resolved", handler, now=at + 12 * step)
    if stage == "closed":
        actions.do_transition(request, "closed", handler, now=at + 13 * step)
        if index % 3:
            actions.do_answer_survey(
                request.survey.token,
                csat=5 - index % 3,
                nps=10 - index % 4,
                comment="处理及时，态度很好。",
                now=at + 20 * step,
            )


def _outbound_and_duty(
    users: dict[str, User], contacts: list[CustomerContact], now: datetime.datetime
) -> None:
    outbound = actions.do_create_outbound_list(
        users["2001"],
        name="季度回访",
        purpose="survey",
        script="您好，我是客服中心，想了解您对近期服务的评价……",
        contacts=[c for c in contacts if c.mobile or c.phone][:8],
    )
    for entry, result in zip(
        outbound.entries.order_by("id")[:3], ["reached", "no_answer", "busy"], strict=False
    ):
        actions.do_record_outbound_result(entry, users["3001"], result=result, note="演示数据")
    for handler in ("4001", "4002"):
        actions.do_go_on_duty(users[handler], now=now - datetime.timedelta(hours=6))
    actions.do_go_on_duty(users["3001"], now=now - datetime.timedelta(hours=9))
    open_items = list(
        ServiceRequest.objects.filter(created_by=users["3001"], status__group="open")[:2]
    )
    handover = actions.do_hand_over(
        users["3001"],
        incoming=users["3002"],
        notes="白班交夜班：调度系统两单待厂家回电。",
        items=[(r, "等厂家回电") for r in open_items],
        now=now - datetime.timedelta(hours=1),
    )
    actions.do_acknowledge_handover(
        handover, users["3002"], now=now - datetime.timedelta(minutes=50)
    )
    actions.do_write_duty_log(
        users["2001"],
        text="夜间巡检正常，热线接通率 96%。",
        now=now - datetime.timedelta(minutes=30),
    )
