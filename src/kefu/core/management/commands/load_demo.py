from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kefu.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data set (a software and equipment vendor's service center). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data ready"))
        self.stdout.write("演示账户 / demo accounts (工号 / 密码 · 角色):")
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<8} {password:<14} {role}")
