"""Demo staff: 1 general manager, 2 supervisors, 8 operators, 2 back-office handlers, 1 admin."""

from __future__ import annotations

from kefu.accounts.models import AccountKind, Role, Team, User
from kefu.accounts.roles import role_named

DEMO_PASSWORD = "kefu-demo-2026"

TEAMS = [("A", "受理一组"), ("B", "受理二组"), ("H", "后台处理组")]

# (employee no, name, role key, team codes)
STAFF = [
    ("1001", "王建国", "general_manager", []),
    ("2001", "李秀英", "supervisor", ["A"]),
    ("2002", "张伟", "supervisor", ["B"]),
    ("3001", "刘洋", "operator", ["A"]),
    ("3002", "陈静", "operator", ["A"]),
    ("3003", "杨帆", "operator", ["A"]),
    ("3004", "赵敏", "operator", ["A"]),
    ("3005", "黄磊", "operator", ["B"]),
    ("3006", "周婷", "operator", ["B"]),
    ("3007", "吴昊", "operator", ["B"]),
    ("3008", "徐丽", "operator", ["B"]),
    ("4001", "孙强", "back_office", ["H"]),
    ("4002", "马琳", "back_office", ["H"]),
    ("9001", "郑管理", "sysadmin", []),
]


def load() -> list[tuple[str, str, str]]:
    teams = {}
    for code, name in TEAMS:
        teams[code], _ = Team.objects.get_or_create(code=code, defaults={"name": name})
    accounts = []
    for number, name, role_key, team_codes in STAFF:
        role = Role.objects.get(name=role_named(role_key).name)
        user = User.objects.filter(username=number).first()
        if user is None:
            user = User.objects.create_user(
                number, DEMO_PASSWORD, name=name, kind=AccountKind.STAFF
            )
            user.groups.set([role])
            user.teams.set([teams[c] for c in team_codes])
        accounts.append((number, DEMO_PASSWORD, role.name))
    return accounts
