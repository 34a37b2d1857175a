"""Size and type limits for article attachments.

A file is accepted only when its extension is on the list *and* its first bytes match that
type (a renamed ``.html`` does not pass as ``.pdf``). The stored content type comes from this
table, never from what the uploader's browser claimed, and downloads are always sent as
attachments, so an uploaded file cannot run script in our pages.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    signatures: tuple[bytes, ...]  # empty: plain text, checked differently


_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", (b"%PDF-",)),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": FileType("image/gif", (b"GIF87a", b"GIF89a")),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP
    ),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP
    ),
    "zip": FileType("application/zip", _ZIP),
    "doc": FileType("application/msword", _OLE),
    "xls": FileType("application/vnd.ms-excel", _OLE),
    "txt": FileType("text/plain; charset=utf-8", ()),
    "csv": FileType("text/csv; charset=utf-8", ()),
}


def max_bytes() -> int:
    return int(getattr(settings, "KEFU_KNOWLEDGE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(1, round(size / 1024))} KB"


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _head(upload: Any, size: int = 4096) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = bytes(upload.read(size))
    upload.seek(position)
    return head


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            # The 4 KiB cut may split a character at the very end.
            if exc.start >= len(head) - 3:
                return True
            continue
        return True
    return False


def file_type_of(upload: Any) -> FileType:
    """The checked type of an upload, or ValidationError with a message for the uploader."""
    name = getattr(upload, "name", "") or ""
    file_type = TYPES.get(extension_of(name))
    if file_type is None:
        allowed = "、".join(sorted(TYPES))
        raise ValidationError(_("不支持此文件类型。允许的类型：%(types)s。") % {"types": allowed})
    size = getattr(upload, "size", None) or 0
    if size > max_bytes():
        raise ValidationError(_("文件太大，最大 %(size)s。") % {"size": human_size(max_bytes())})
    if size == 0:
        raise ValidationError(_("文件是空的。"))
    head = _head(upload)
    matches = (
        any(head.startswith(s) for s in file_type.signatures)
        if file_type.signatures
        else _is_text(head)
    )
    if not matches:
        raise ValidationError(_("文件内容与扩展名不符。"))
    return file_type


def validate_attachment(upload: Any) -> None:
    """Model field validator (admin uploads go through it too)."""
    file_type_of(upload)


def attachment_path(instance: Any, filename: str) -> str:
    """A random stored name: the original name is kept in the row, never used as a path."""
    extension = extension_of(filename)
    return f"knowledge/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
