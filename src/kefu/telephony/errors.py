"""Chinese messages for the switch's refusals: engine error codes and configuration problems.

The engine refuses with a stable ``code``, an English ``message`` and ``params``
(``kefu.switch.engine.errors``). Seats and managers see the Chinese text made here. Every code
the engine raises has an entry (a test keeps it so); an unknown code still gets a Chinese
sentence with the engine's English detail.

Configuration problems come as ``(code, message)`` pairs whose English messages name the queue,
seat or node concerned; :func:`problem_text` reads those names back out with the pattern of
its code, so the Chinese sentence names them too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from kefu.switch.engine.errors import ConfigError, SwitchError

STATE_NAMES = {
    "logged_off": pgettext_lazy("switch state", "未登录"),
    "ready": pgettext_lazy("switch state", "空闲"),
    "not_ready": pgettext_lazy("switch state", "示忙"),
    "ringing": pgettext_lazy("switch state", "振铃中"),
    "dialing": pgettext_lazy("switch state", "呼出中"),
    "on_call": pgettext_lazy("switch state", "通话中"),
    "wrap_up": pgettext_lazy("switch state", "话后整理"),
    "greeting": pgettext_lazy("switch state", "问候语"),
    "ivr": pgettext_lazy("switch state", "语音导航"),
    "queued": pgettext_lazy("switch state", "排队中"),
    "talking": pgettext_lazy("switch state", "通话中"),
    "held": pgettext_lazy("switch state", "保持中"),
    "agent_on_hook": pgettext_lazy("switch state", "等待主叫挂机"),
    "voicemail": pgettext_lazy("switch state", "留言中"),
    "message": pgettext_lazy("switch state", "放音中"),
    "ended": pgettext_lazy("switch state", "已结束"),
}


def _command_messages() -> dict[str, str]:
    return {
        "seat.unknown": _("坐席 %(seat)s 不存在。"),
        "seat.illegal_transition": _("坐席 %(seat)s 当前为“%(state_name)s”，不能执行此操作。"),
        "call.illegal_transition": _("呼叫当前为“%(state_name)s”，不能执行此操作。"),
        "seat.already_logged_on": _("员工 %(employee)s 已在坐席 %(seat)s 登录。"),
        "seat.employee_elsewhere": _(
            "员工 %(employee)s 已在坐席 %(other_seat)s 登录，请先在那里退出。"
        ),
        "seat.swap_busy": _("坐席 %(seat)s 正在通话，不能换班。"),
        "seat.reason_required": _("请选择示忙原因。"),
        "seat.no_call": _("坐席当前没有通话。"),
        "seat.not_logged_on": _("目标坐席 %(seat)s 未登录。"),
        "call.unknown": _("呼叫 %(call)s 不存在。"),
        "call.duplicate": _("呼叫 %(call)s 已存在。"),
        "call.recording_on": _("本通话已在录音。"),
        "call.recording_off": _("本通话没有在录音。"),
        "call.already_on_hook": _("您已挂机，正在等待主叫挂机。"),
        "call.intercom_hold": _("内部通话不能保持。"),
        "call.no_outside_party": _("内部通话没有外线方。"),
        "call.not_dialing": _("该呼叫不在呼出中。"),
        "call.not_voicemail": _("该呼叫不在留言中。"),
        "call.play_not_talking": _("只有与客户通话时才能放音。"),
        "callback.no_number": _("请填写要呼叫的号码。"),
        "campaign.invalid": _("外呼通知的号码、并发数或时限不正确。"),
        "campaign.exists": _("该外呼通知已在进行。"),
        "campaign.unknown": _("该外呼通知不存在或已结束。"),
        "intercom.self": _("不能呼叫自己的坐席。"),
        "intercom.none": _("当前没有内部通话。"),
        "transfer.to_self": _("本坐席就是班长席，不能转给自己。"),
        "switch.no_supervisor": _("尚未设置班长席。"),
        "switch.unknown_message": _("交换机不认识此命令。"),
        "clock.backwards": _("交换机时钟异常，请稍后重试。"),
        "config.invalid": _("交换机配置不正确：%(detail)s"),
        # host-side refusals (kefu.telephony), same shape as the engine's
        "command.unknown": _("未知的坐席命令：%(command)s。"),
        "command.invalid": _("命令参数不正确：%(detail)s"),
        "switch.unavailable": _("交换机暂时不可用，请稍后重试。"),
        "switch.timeout": _("交换机没有及时响应，请稍后重试。"),
    }


@dataclass(frozen=True)
class CommandError:
    """A refused command as the desk shows it: stable code, message, parameters."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    detail: str = ""  # the engine's English message, for logs

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "params": self.params,
            "detail": self.detail,
        }

    def localized(self) -> str:
        """The message again in the active language (the switch wrote it in the site's)."""
        problems = self.params.get("problems")
        if self.code == "config.invalid" and isinstance(problems, list):
            return _config_text([(str(code), str(message)) for code, message in problems])
        return _render(self.code, self.detail, self.params) or self.message


def _render(code: str, detail: str, params: dict[str, Any]) -> str:
    values = {key: str(value) for key, value in params.items()}
    values.setdefault("detail", detail)
    if "state" in values:
        name = STATE_NAMES.get(values["state"])
        values["state_name"] = str(name) if name is not None else values["state"]
    template = _command_messages().get(code)
    try:
        return template % values if template else ""
    except KeyError:
        return ""


def command_error(code: str, detail: str = "", **params: Any) -> CommandError:
    """The message for ``code`` in the active language with ``params`` filled in."""
    text = _render(code, detail, params)
    if not text:
        text = _("交换机拒绝了此操作（%(code)s：%(detail)s）。") % {"code": code, "detail": detail}
    return CommandError(code, text, dict(params), detail)


def _config_text(problems: list[tuple[str, str]]) -> str:
    separator = pgettext("between configuration problems", "；")
    text = separator.join(problem_text(code, message) for code, message in problems)
    return _("交换机配置不正确：%(detail)s") % {"detail": text}


def from_switch_error(error: SwitchError) -> CommandError:
    if isinstance(error, ConfigError):
        problems = [[code, message] for code, message in error.problems]
        return CommandError(error.code, _config_text(error.problems), {"problems": problems})
    return command_error(error.code, error.message, **error.params)


# -- configuration problems -------------------------------------------------------------------

_NAME = r"(?P<name>\S+)"


def _problem_patterns() -> list[tuple[str, str, str]]:
    """(code, English pattern, Chinese template); the first match of the code wins."""
    return [
        ("config.not_positive", r"(?P<field>\w+) must be positive", _("%(field_name)s必须大于 0")),
        ("config.not_positive", r".*", _("连续未接次数和密码错误次数至少为 1")),
        ("config.negative", r"(?P<field>\w+) cannot be negative", _("%(field_name)s不能为负数")),
        ("config.agent_tone", r".*", _("提示音音量应在 0–100%% 之间，长度不能为负")),
        ("config.seats", r".*", _("坐席号必须唯一且不能为空")),
        ("config.supervisor", rf"supervisor seat {_NAME} is unknown", _("班长席 %(name)s 不存在")),
        ("config.queue_ids", r".*", _("队列代码必须唯一")),
        (
            "config.default_queue",
            rf"default queue {_NAME} is unknown",
            _("默认队列 %(name)s 不存在"),
        ),
        (
            "config.seat_in_use",
            rf"seat {_NAME} is logged on",
            _("坐席 %(name)s 正在使用，不能停用"),
        ),
        ("queue.strategy", rf"queue {_NAME}: unknown strategy", _("队列 %(name)s 的分配策略未知")),
        ("queue.no_seats", rf"queue {_NAME} has no seats", _("队列 %(name)s 没有坐席也没有技能")),
        (
            "queue.unknown_seat",
            rf"queue {_NAME}: unknown seat (?P<other>\S+)",
            _("队列 %(name)s 的坐席 %(other)s 不存在或未启用"),
        ),
        (
            "queue.level",
            rf"queue {_NAME}: seat (?P<other>\S+)",
            _("队列 %(name)s 坐席 %(other)s 的级别至少为 1"),
        ),
        (
            "queue.time",
            rf"queue {_NAME}: (?P<field>\w+) (must be positive|cannot be negative)",
            _("队列 %(name)s 的%(field_name)s必须为正数"),
        ),
        ("queue.overflow", rf"queue {_NAME}:", _("队列 %(name)s 溢出时需要另一个已有的队列")),
        ("priority.classes", r".*", _("优先级类别必须唯一且不能为空")),
        (
            "priority.unknown_class",
            rf"unknown priority class {_NAME}",
            _("优先级类别 %(name)s 未知"),
        ),
        ("priority.ageing", r".*", _("优先级老化时间必须为正数")),
        (
            "hours.timezone",
            rf"schedule {_NAME}: unknown time zone",
            _("营业时间 %(name)s 的时区未知"),
        ),
        ("hours.weekday", rf"schedule {_NAME}:", _("营业时间 %(name)s 的星期应为 0–6")),
        (
            "hours.window",
            rf"schedule {_NAME}: bad window (?P<other>\S+)",
            _("营业时间 %(name)s 的时段 %(other)s 不正确"),
        ),
        ("ivr.tree_ids", r".*", _("语音导航代码必须唯一")),
        (
            "ivr.unknown_tree",
            rf"number {_NAME} uses unknown IVR tree (?P<other>\S+)",
            _("接入号码 %(name)s 指向的语音导航 %(other)s 不存在"),
        ),
        ("ivr.unknown_tree", rf"default IVR tree {_NAME}", _("默认语音导航 %(name)s 不存在")),
        ("ivr.duplicate_node", rf"IVR tree {_NAME}:", _("语音导航 %(name)s 有重复的节点代码")),
        (
            "ivr.no_root",
            rf"IVR tree {_NAME}: root node (?P<other>\S+)",
            _("语音导航 %(name)s 的起始节点 %(other)s 不存在"),
        ),
        (
            "ivr.dangling",
            rf"IVR tree {_NAME}, node (?P<node>\S+): (?P<label>.+) "
            r"leads to unknown node (?P<other>\S+)",
            _("语音导航 %(name)s 的节点 %(node)s：%(label_name)s指向不存在的节点 %(other)s"),
        ),
        (
            "ivr.bad_key",
            rf"IVR tree {_NAME}, node (?P<node>\S+): key '(?P<other>.)'",
            _("语音导航 %(name)s 的节点 %(node)s：按键 %(other)s 不能作为选项"),
        ),
        (
            "ivr.unknown_queue",
            rf"IVR tree {_NAME}, node (?P<node>\S+): unknown queue (?P<other>\S+)",
            _("语音导航 %(name)s 的节点 %(node)s：队列 %(other)s 不存在"),
        ),
        (
            "ivr.unknown_schedule",
            rf"IVR tree {_NAME}, node (?P<node>\S+): unknown schedule (?P<other>\S+)",
            _("语音导航 %(name)s 的节点 %(node)s：营业时间 %(other)s 不存在"),
        ),
        (
            "ivr.unknown_prompt",
            rf"IVR tree {_NAME}, node (?P<node>\S+): unknown prompt (?P<other>\S+)",
            _("语音导航 %(name)s 的节点 %(node)s：语音提示 %(other)s 不存在"),
        ),
        (
            "ivr.timeout",
            rf"IVR tree {_NAME}, node (?P<node>\S+):",
            _("语音导航 %(name)s 的节点 %(node)s：超时必须为正数"),
        ),
        (
            "ivr.retries",
            rf"IVR tree {_NAME}, node (?P<node>\S+):",
            _("语音导航 %(name)s 的节点 %(node)s：重试次数不能为负"),
        ),
        (
            "ivr.digits",
            rf"IVR tree {_NAME}, node (?P<node>\S+):",
            _("语音导航 %(name)s 的节点 %(node)s：至少允许输入一位"),
        ),
        (
            "ivr.attempts",
            rf"IVR tree {_NAME}, node (?P<node>\S+):",
            _("语音导航 %(name)s 的节点 %(node)s：至少允许尝试一次"),
        ),
        (
            "ivr.loop",
            rf"IVR tree {_NAME}: nodes loop: (?P<other>.+)",
            _("语音导航 %(name)s 存在循环：%(other)s"),
        ),
        (
            "ivr.format",
            rf"IVR tree {_NAME}: (?P<other>.+)",
            _("语音导航 %(name)s 格式不正确：%(other)s"),
        ),
    ]


def _field_names() -> dict[str, str]:
    return {
        "ring_timeout": _("振铃超时"),
        "caller_release_timeout": _("等待主叫挂机时间"),
        "lookup_timeout": _("自助查询超时"),
        "dial_timeout": _("外呼无人接超时"),
        "watchdog_interval": _("巡检间隔"),
        "reoffer_backoff": _("不再回振间隔"),
        "wrap_up": _("话后整理时间"),
        "directed_max_wait": _("转接最长等待"),
        "announce_every": _("插播间隔"),
        "max_wait": _("最长等待"),
        "voicemail_seconds": _("留言最长时间"),
        "fallback": _("默认去向"),
        "next": _("下一步"),
        "on_fail": _("验证失败去向"),
        "open": _("营业时去向"),
        "closed": _("非营业时去向"),
    }


def _label(text: str) -> str:
    match = re.fullmatch(r"key '(.)'", text)
    if match:
        return _("按键 %(key)s ") % {"key": match.group(1)}
    return _field_names().get(text, text)


def problem_text(code: str, message: str) -> str:
    """One configuration problem in Chinese, naming what it concerns."""
    names = _field_names()
    for known, pattern, template in _problem_patterns():
        if known != code:
            continue
        match = re.match(pattern, message)
        if match is None:
            continue
        values = {key: value or "" for key, value in match.groupdict().items()}
        values["field_name"] = names.get(values.get("field", ""), values.get("field", ""))
        values["label_name"] = _label(values.get("label", ""))
        return template % values
    return _("配置问题（%(code)s）：%(message)s") % {"code": code, "message": message}


def problems_text(problems: list[tuple[str, str]]) -> list[str]:
    return [problem_text(code, message) for code, message in problems]
