"""Staff and portal accounts, groups (组别), roles and the log-on journal (kf_emp, M1, X2)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.accounts.history import AuditHistory


class AccountKind(models.TextChoices):
    STAFF = "staff", _("员工")
    CUSTOMER = "customer", _("客户")


class Team(models.Model):
    """A group of staff (组别): the unit supervisors look after and reports roll up by."""

    code = models.CharField(_("组别代码"), max_length=20, unique=True)
    name = models.CharField(_("组别名称"), max_length=60, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = _("组别")
        verbose_name_plural = pgettext_lazy("plural", "组别")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Role(Group):
    """A named permission set (角色). Stored as Django's auth group so the admin can edit it."""

    class Meta:
        proxy = True
        verbose_name = _("角色")
        verbose_name_plural = pgettext_lazy("plural", "角色")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: object) -> User:
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", AccountKind.STAFF)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One log-on identity. Staff log on with their employee number (kf_emp.emp_no);
    portal customers are a separate kind and never pass the staff checks."""

    username = models.CharField(
        _("工号/账号"),
        max_length=64,
        unique=True,
        help_text=_("员工为工号 (kf_emp.emp_no); 门户客户为电子邮箱。"),
    )
    kind = models.CharField(
        _("账户类型"), max_length=10, choices=AccountKind.choices, default=AccountKind.STAFF
    )
    name = models.CharField(_("姓名"), max_length=40, help_text=_("kf_emp.emp_name"))
    teams = models.ManyToManyField(
        Team,
        blank=True,
        related_name="members",
        verbose_name=pgettext_lazy("plural", "组别"),
        help_text=_("kf_emp.group; 一人可属多个组别。"),
    )
    email = models.EmailField(_("电子邮箱"), blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    language = models.CharField(
        _("界面语言"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("留空则使用系统默认语言。"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    date_joined = models.DateTimeField(_("创建时间"), default=timezone.now)
    failed_logons = models.PositiveSmallIntegerField(
        _("连续密码错误次数"), default=0, editable=False
    )
    locked_at = models.DateTimeField(
        _("冻结时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("连续输错密码达到上限后冻结 (X2); 由班长或系统管理员解锁。"),
    )
    history = AuditHistory(excluded_fields=["password", "last_login", "failed_logons"])

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = pgettext_lazy("plural", "账户")
        ordering = ["username"]
        permissions = [("unlock_user", _("可解锁被冻结的账户"))]

    def __str__(self) -> str:
        return f"{self.username} {self.name}".strip()

    @property
    def is_staff(self) -> bool:
        """Django's admin gate: only active staff accounts, never portal customers."""
        return self.is_active and self.kind == AccountKind.STAFF

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def role_names(self) -> list[str]:
        return [group.name for group in self.groups.all()]


class LogonEventKind(models.TextChoices):
    SUCCESS = "success", _("登录成功")
    FAILURE = "failure", _("密码错误")
    REFUSED_LOCKED = "refused", _("冻结中拒绝登录")
    LOCKED = "locked", _("账户冻结")
    UNLOCKED = "unlocked", _("账户解锁")
    LOGOUT = "logout", pgettext_lazy("logon event", "退出")


class LogonEvent(models.Model):
    """Every log-on success, failure, lock and unlock (X2). Append-only."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=10, choices=LogonEventKind.choices)
    username = models.CharField(_("输入的账号"), max_length=64, db_index=True)
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="logon_events",
        verbose_name=_("账户"),
    )
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("解锁时为执行解锁的人。"),
    )
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("登录日志")
        verbose_name_plural = pgettext_lazy("plural", "登录日志")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_kind_display()}"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


class ApiToken(models.Model):
    """A per-employee API token. Only its SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("账户")
    )
    name = models.CharField(_("用途"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = pgettext_lazy("plural", "接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    @classmethod
    def digest_of(cls, key: str) -> str:
        return _digest(key)


class ConfigGeneration(models.Model):
    """The current token of one per-process configuration cache (:mod:`kefu.accounts.generations`).

    A change to the configuration behind cache ``name`` writes a fresh random token here in
    the transaction of the change; every process compares it with the token its copy was
    loaded under. Bookkeeping only: no history, no admin.
    """

    name = models.CharField(max_length=40, primary_key=True)
    token = models.BigIntegerField()

    class Meta:
        verbose_name = _("配置版本")
        verbose_name_plural = pgettext_lazy("plural", "配置版本")

    def __str__(self) -> str:
        return f"{self.name} {self.token}"
