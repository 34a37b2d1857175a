"""The journal exported in Asterisk queue_log format, line by line."""

from __future__ import annotations

from django.core.management import call_command
from tests.telephony.harness import START, Harness, run
from tests.telephony.test_journal import scripted_call

from kefu.switch.engine import commands as c
from kefu.telephony.queue_log import export_lines

T = int(START)


def journal_with_calls() -> None:
    async def scenario():
        async with Harness() as h:
            await scripted_call(h)  # ends at START + 106
            await h.ok(c.SetNotReady("7", "meal"))
            await h.ok(c.SetNotReady("8", "meal"))
            lost = await h.runner.inject_call("13900000000", keys=("2",))
            await h.advance(28.5)  # queued at +7.5, the caller gives up 21 s later
            await h.ok(c.CallerHangUp(lost))
            await h.ok(c.SetReady("7"))
            await h.ok(c.LogOff("8"))

    run(scenario)


def test_queue_log_lines_follow_asterisk_format(center):
    journal_with_calls()
    lines = list(export_lines())

    for line in lines:
        fields = line.split("|")
        assert 5 <= len(fields) <= 10 and fields[0].isdigit(), line
    assert lines[0] == f"{T}|NONE|NONE|NONE|QUEUESTART"
    expected = [
        f"{T}|NONE|NONE|Agent/3001|AGENTLOGIN|SIP/7",
        f"{T + 1}|NONE|NONE|Agent/3002|AGENTLOGIN|SIP/8",
        f"{T + 8}|inj-1|general|NONE|ENTERQUEUE||13800138000|1",
        f"{T + 23}|inj-1|general|Agent/3001|RINGNOANSWER|15000",
        f"{T + 28}|inj-1|general|Agent/3002|CONNECT|19|inj-1|4",
        f"{T + 68}|inj-1|general|Agent/3002|TRANSFER|9|supervisor|19|40|1",
    ]
    found = [line for line in lines if line in expected]
    assert found == expected
    assert not any("COMPLETE" in line for line in lines if "|inj-1|" in line)  # left the queue
    end = T + 106
    assert f"{end}|NONE|NONE|Agent/3001|PAUSE|meal" in lines
    assert f"{end + 7}|inj-2|general|NONE|ENTERQUEUE||13900000000|1" in lines
    assert f"{end + 28}|inj-2|general|NONE|ABANDON|1|1|21" in lines
    assert f"{end + 28}|NONE|NONE|Agent/3001|UNPAUSE|" in lines
    assert f"{end + 28}|NONE|NONE|Agent/3002|AGENTLOGOFF|SIP/8|{end + 28 - (T + 1)}" in lines


def test_an_answered_call_ends_with_complete_caller_or_agent(center):
    async def scenario():
        async with Harness() as h:
            await h.log_on("7", "3001")
            first = await h.runner.inject_call("13800000001", keys=("1",))
            await h.advance(10)
            await h.ok(c.Answer("7"))
            await h.advance(60)
            await h.ok(c.HangUp("7"))
            second = await h.runner.inject_call("13800000002", keys=("1",))
            await h.advance(10)
            await h.ok(c.Answer("7"))
            await h.advance(30)
            await h.ok(c.CallerHangUp(second))
            return first, second

    first, second = run(scenario)
    lines = list(export_lines())
    assert f"{T + 70}|{first}|sales|Agent/3001|COMPLETEAGENT|2|60|1" in lines
    assert f"{T + 110}|{second}|sales|Agent/3001|COMPLETECALLER|2|30|1" in lines


def test_the_export_command_writes_a_file(center, tmp_path):
    journal_with_calls()
    target = tmp_path / "queue_log"
    call_command("export_queue_log", "--output", str(target), "--since", "2026-01-01")
    assert target.read_text(encoding="utf-8").splitlines() == list(export_lines())
    call_command("export_queue_log", "--output", str(target), "--until", "2026-01-01")
    assert target.read_text(encoding="utf-8") == ""


def test_staff_with_reports_download_it_and_operators_may_not(center, supervisor, operator, client):
    journal_with_calls()
    client.force_login(operator)
    assert client.get("/switch/queue_log").status_code == 403
    client.force_login(supervisor)
    response = client.get("/switch/queue_log?since=2026-01-01&until=2026-01-02")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="queue_log"'
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == list(export_lines())
