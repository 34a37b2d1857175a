"""Interchangeable words of a service center's vocabulary (query expansion).

A query containing one member of a group also looks for the others, so "打印机夹纸" finds the
article written as "打印机卡纸" and "账号登陆不上" the one about "登录失败". Kept short and
hand-made: every group here was added because customers really phrase things both ways.
"""

from __future__ import annotations

import functools

GROUPS: tuple[tuple[str, ...], ...] = (
    ("卡纸", "夹纸", "塞纸", "纸卡住"),
    ("登录", "登陆", "登入", "登不上", "进不去"),
    ("密码", "口令"),
    ("离线", "掉线", "断线", "不在线", "下线", "脱机"),
    ("保修", "质保", "包修", "保修期", "质保期"),
    ("重置", "找回", "重设", "忘记密码"),
    ("无法", "不能", "没法", "不了"),
    ("死机", "卡死", "无响应", "没反应", "卡住"),
    ("黑屏", "不亮", "不显示", "没显示"),
    ("升级", "更新"),
    ("账号", "帐号", "账户", "帐户", "用户名"),
    ("验证码", "校验码", "动态码"),
    ("费用", "价格", "收费", "多少钱", "价钱"),
    ("维修", "修理", "报修", "返修"),
    ("上门", "现场"),
    ("发票", "开票", "票据"),
    ("电脑", "计算机", "主机"),
    ("网络", "断网", "没网", "网断"),
    ("工单", "单号", "受理号", "服务单"),
    ("客服", "人工", "坐席", "座席"),
    ("投诉", "不满意"),
    ("安装", "装机"),
    ("蓝屏", "崩溃"),
    ("报错", "出错", "错误", "故障码"),
    ("缺纸", "没纸"),
    ("墨盒", "硒鼓", "碳粉", "墨粉"),
    ("慢", "卡顿", "很卡"),
)


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in GROUPS:
        for word in group:
            index[word] = tuple(other for other in group if other != word)
    return index


def expansions(normalised_query: str) -> list[str]:
    """The words to look for as well, for every group member found in the query."""
    found: list[str] = []
    for word, others in _index().items():
        if word in normalised_query:
            found.extend(other for other in others if other not in normalised_query)
    return list(dict.fromkeys(found))
