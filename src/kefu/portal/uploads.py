"""Size and type limits for files customers attach (checked before anything is stored)."""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kefu.knowledge.attachments import TYPES, FileType, human_size
from kefu.portal.errors import AttachmentRefused

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ALLOWED = ("pdf", "png", "jpg", "jpeg", "gif", "txt", "docx", "xlsx")
MAX_PER_REQUEST = 10


def max_bytes() -> int:
    return int(getattr(settings, "KEFU_PORTAL_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _head(upload: Any) -> bytes:
    upload.seek(0)
    head = bytes(upload.read(4096))
    upload.seek(0)
    return head


def _text_ok(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3:  # a character cut at the 4 KiB boundary
                return True
    return False


def checked_type(upload: Any) -> FileType:
    """The file's type, or AttachmentRefused with a sentence for the customer."""
    extension = extension_of(getattr(upload, "name", "") or "")
    if extension not in ALLOWED:
        raise AttachmentRefused(
            _("不支持此文件类型。允许的类型：%(types)s。") % {"types": "、".join(ALLOWED)}
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > max_bytes():
        raise AttachmentRefused(_("文件太大，最大 %(size)s。") % {"size": human_size(max_bytes())})
    if size == 0:
        raise AttachmentRefused(_("文件是空的。"))
    file_type = TYPES[extension]
    head = _head(upload)
    ok = (
        any(head.startswith(s) for s in file_type.signatures)
        if file_type.signatures
        else _text_ok(head)
    )
    if not ok:
        raise AttachmentRefused(_("文件内容与扩展名不符。"))
    return file_type


def stored_name(name: str) -> str:
    """A random name on disk; the customer's file name is kept only in the row."""
    return f"{secrets.token_hex(12)}.{extension_of(name)}"
