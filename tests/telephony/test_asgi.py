"""The embedded switch starts and stops with the web server (ASGI lifespan), and the module
API (``kefu.telephony.client``) reaches it."""

from __future__ import annotations

import asyncio

from tests.telephony.harness import run

from kefu.telephony import client
from kefu.telephony.asgi import SwitchLifespan
from kefu.telephony.models import SwitchEvent
from kefu.telephony.root import embedded


async def _app(scope, receive, send):
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def test_the_embedded_switch_lives_as_long_as_the_server(center, settings):
    settings.KEFU_SWITCH = "embedded"
    settings.KEFU_SIMULATOR = False

    async def scenario():
        app = SwitchLifespan(_app)
        inbox: asyncio.Queue = asyncio.Queue()
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        await inbox.put({"type": "lifespan.startup"})
        server = asyncio.create_task(app({"type": "lifespan"}, inbox.get, send))
        while not sent:
            await asyncio.sleep(0.01)
        assert sent == [{"type": "lifespan.startup.complete"}]
        runner = embedded().runner
        assert runner is not None and runner.failure is None

        logged = await client.submit({"command": "log_on", "seat_id": "7", "employee_id": "3001"})
        state = await client.snapshot("seat:7")
        await app({"type": "http"}, inbox.get, send)  # requests pass through
        await inbox.put({"type": "lifespan.shutdown"})
        await server
        return logged, state, sent

    logged, state, sent = run(scenario)
    assert logged.ok and state["seats"]["7"]["state"] == "ready"
    assert sent[-1] == {"type": "lifespan.shutdown.complete"}
    assert embedded().runner is None
    assert SwitchEvent.objects.filter(type="switch.started").count() == 1


def test_without_a_switch_commands_are_refused_politely(settings):
    settings.KEFU_SWITCH = "off"

    async def scenario():
        return await client.submit({"command": "set_ready", "seat_id": "7"})

    result = run(scenario)
    assert not result.ok
    assert result.error.message == "交换机暂时不可用，请稍后重试。"
