"""Staff pages of the switch: the queue_log download."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date

from kefu.telephony.queue_log import export_lines


def _day_start(text: str | None) -> datetime | None:
    day = parse_date(text or "")
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


@login_required
@permission_required("core.view_reports", raise_exception=True)
def queue_log(request: HttpRequest) -> StreamingHttpResponse:
    """``?since=YYYY-MM-DD&until=YYYY-MM-DD`` (until exclusive), as a text file."""
    since, until = _day_start(request.GET.get("since")), _day_start(request.GET.get("until"))
    lines = (line + "\n" for line in export_lines(since, until))
    response = StreamingHttpResponse(lines, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="queue_log"'
    return response
