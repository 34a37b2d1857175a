"""The switch as the rest of Kefu sees it: submit a command, take a snapshot, inject a call.

The desk's WebSocket consumer, the API, the dialer and the tests use these functions only::

    from kefu.telephony import client

    result = await client.submit({"command": "set_ready", "seat_id": "7"})   # or c.SetReady("7")
    result.ok, result.events, result.error            # error: code + message
    state = await client.snapshot("seat:7")           # or "wallboard"; state["seq"]
    call_id = await client.inject_call("13800138000", keys=("2", "1"))

Synchronous code (views, actions, the dialer) uses the ``*_sync`` twins. Whether the switch
runs in this process or in ``kefu switch`` (``KEFU_SWITCH``) is decided here; callers do not
care. Commands are engine commands or their JSON form (``kefu.telephony.wire``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from kefu.telephony.errors import CommandError, command_error
from kefu.telephony.runner import SwitchRunner
from kefu.telephony.runner_parts import CommandResult
from kefu.telephony.wire import WireError, decode, encode

T = TypeVar("T")
COMMAND_CHANNEL = "kefu-switch.commands"
DEFAULT_TIMEOUT = 30.0


class SwitchClient(Protocol):
    async def submit(self, command: Any) -> CommandResult: ...

    async def snapshot(self, scope: str = "wallboard") -> dict[str, Any]: ...

    async def inject_call(
        self, caller: str, *, trunk: str = "", dialled: str = "", keys: tuple[str, ...] = ()
    ) -> str: ...

    async def reload_config(self) -> CommandResult: ...


def refused(code: str, detail: str = "") -> CommandResult:
    return CommandResult(False, [], command_error(code, detail))


def wire_refusal(error: WireError) -> CommandResult:
    return CommandResult(False, [], command_error(error.code, error.detail, command=error.detail))


def as_command(command: Any) -> Any:
    """An engine command from a command or its JSON form (raises WireError)."""
    return decode(command) if isinstance(command, dict) else command


class LocalClient:
    """The switch of this process, from any event loop or thread."""

    def __init__(self, runner: SwitchRunner, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.runner = runner
        self.timeout = timeout

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        if self.runner.loop is _loop():
            return await asyncio.wait_for(make(), self.timeout)
        assert self.runner.loop is not None
        future = asyncio.run_coroutine_threadsafe(_coro(make), self.runner.loop)
        return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)

    async def submit(self, command: Any) -> CommandResult:
        try:
            message = as_command(command)
        except WireError as error:
            return wire_refusal(error)
        try:
            return await self._call(lambda: self.runner.submit(message))
        except TimeoutError:
            return refused("switch.timeout")
        except RuntimeError as error:
            return refused("switch.unavailable", str(error))

    async def snapshot(self, scope: str = "wallboard") -> dict[str, Any]:
        return await self._call(lambda: self.runner.snapshot(scope))

    async def inject_call(
        self, caller: str, *, trunk: str = "", dialled: str = "", keys: tuple[str, ...] = ()
    ) -> str:
        return await self._call(
            lambda: self.runner.inject_call(caller, trunk=trunk, dialled=dialled, keys=tuple(keys))
        )

    async def reload_config(self) -> CommandResult:
        try:
            return await self._call(self.runner.reload_config)
        except TimeoutError:
            return refused("switch.timeout")


def _loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


async def _coro(make: Callable[[], Awaitable[T]]) -> T:
    return await make()


class ChannelClient:
    """The switch in another process (``kefu switch``), over the channel layer."""

    def __init__(self, layer: Any, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.layer = layer
        self.timeout = timeout

    async def _request(self, op: str, **fields: Any) -> Any:
        reply = await self.layer.new_channel()
        message = {"type": "switch.request", "op": op, "reply": reply, **fields}
        await self.layer.send(COMMAND_CHANNEL, message)
        answer = await asyncio.wait_for(self.layer.receive(reply), self.timeout)
        if "failure" in answer:
            raise RuntimeError(answer["failure"])
        return answer["result"]

    async def submit(self, command: Any) -> CommandResult:
        try:
            wire = encode(as_command(command))
        except WireError as error:
            return wire_refusal(error)
        try:
            return result_from_dict(await self._request("submit", command=wire))
        except TimeoutError:
            return refused("switch.timeout")
        except RuntimeError as error:
            return refused("switch.unavailable", str(error))

    async def snapshot(self, scope: str = "wallboard") -> dict[str, Any]:
        found: dict[str, Any] = await self._request("snapshot", scope=scope)
        return found

    async def inject_call(
        self, caller: str, *, trunk: str = "", dialled: str = "", keys: tuple[str, ...] = ()
    ) -> str:
        call_id = await self._request(
            "inject", caller=caller, trunk=trunk, dialled=dialled, keys=list(keys)
        )
        return str(call_id)

    async def reload_config(self) -> CommandResult:
        try:
            return result_from_dict(await self._request("reload"))
        except TimeoutError:
            return refused("switch.timeout")


def result_from_dict(data: dict[str, Any]) -> CommandResult:
    error = data.get("error")
    problem = (
        CommandError(error["code"], error["message"], error["params"], error.get("detail", ""))
        if error
        else None
    )
    return CommandResult(bool(data["ok"]), list(data["events"]), problem, int(data["seq"]))


async def serve_commands(runner: SwitchRunner, layer: Any) -> None:
    """The ``kefu switch`` side of :class:`ChannelClient`: answer requests until cancelled."""
    pending: set[asyncio.Task[None]] = set()
    while True:
        message = await layer.receive(COMMAND_CHANNEL)
        task = asyncio.create_task(_answer(runner, layer, message))
        pending.add(task)
        task.add_done_callback(pending.discard)


async def _answer(runner: SwitchRunner, layer: Any, message: dict[str, Any]) -> None:
    op = message.get("op")
    try:
        if op == "submit":
            result: Any = (await LocalClient(runner).submit(message["command"])).as_dict()
        elif op == "snapshot":
            result = await runner.snapshot(str(message.get("scope", "wallboard")))
        elif op == "inject":
            result = await runner.inject_call(
                message["caller"],
                trunk=message.get("trunk", ""),
                dialled=message.get("dialled", ""),
                keys=tuple(message.get("keys", ())),
            )
        elif op == "reload":
            result = (await runner.reload_config()).as_dict()
        else:
            raise ValueError(f"unknown switch request {op!r}")
        answer = {"type": "switch.reply", "result": result}
    except Exception as error:
        answer = {"type": "switch.reply", "failure": str(error)}
    await layer.send(message["reply"], answer)


# -- the process's switch ---------------------------------------------------------------------


def current() -> SwitchClient | None:
    """The client for this process's switch (None when ``KEFU_SWITCH=off``)."""
    from kefu.telephony.root import embedded, switch_mode

    mode = switch_mode()
    if mode == "remote":
        from channels.layers import get_channel_layer

        return ChannelClient(get_channel_layer())
    if mode == "off":
        return None
    return LocalClient(embedded().ensure())


def running() -> SwitchClient | None:
    """Like :func:`current`, but never starts an embedded switch (for applying changes)."""
    from kefu.telephony.root import embedded, switch_mode

    mode = switch_mode()
    if mode == "remote":
        return current()
    runner = embedded().runner
    if mode == "off" or runner is None or runner.failure is not None:
        return None
    return LocalClient(runner)


async def submit(command: Any) -> CommandResult:
    found = current()
    return await found.submit(command) if found else refused("switch.unavailable")


async def snapshot(scope: str = "wallboard") -> dict[str, Any]:
    found = current()
    if found is None:
        raise RuntimeError("no switch in this installation (KEFU_SWITCH=off)")
    return await found.snapshot(scope)


async def inject_call(
    caller: str, *, trunk: str = "", dialled: str = "", keys: tuple[str, ...] = ()
) -> str:
    found = current()
    if found is None:
        raise RuntimeError("no switch in this installation (KEFU_SWITCH=off)")
    return await found.inject_call(caller, trunk=trunk, dialled=dialled, keys=keys)


def _sync(call: Callable[[SwitchClient], Awaitable[T]]) -> T:
    """Run a client call from synchronous code (a view, an action, a management command)."""
    found = current()
    if found is None:
        raise RuntimeError("no switch in this installation (KEFU_SWITCH=off)")
    return run_with(found, call)


def run_with(found: SwitchClient, call: Callable[[SwitchClient], Awaitable[T]]) -> T:
    """Run ``call(found)`` from synchronous code, on the switch's loop if it is local."""
    if isinstance(found, LocalClient):
        loop = found.runner.loop
        assert loop is not None
        if _loop() is loop:
            raise RuntimeError("a blocking switch call on the switch's own event loop")
        future = asyncio.run_coroutine_threadsafe(_coro(lambda: call(found)), loop)
        return future.result(found.timeout + 5)
    from asgiref.sync import async_to_sync

    return async_to_sync(_coro)(lambda: call(found))


def submit_sync(command: Any) -> CommandResult:
    try:
        return _sync(lambda client: client.submit(command))
    except RuntimeError as error:
        return refused("switch.unavailable", str(error))


def snapshot_sync(scope: str = "wallboard") -> dict[str, Any]:
    return _sync(lambda client: client.snapshot(scope))


def inject_call_sync(
    caller: str, *, trunk: str = "", dialled: str = "", keys: tuple[str, ...] = ()
) -> str:
    return _sync(lambda client: client.inject_call(caller, trunk=trunk, dialled=dialled, keys=keys))


def reload_config_sync() -> CommandResult | None:
    """Apply the stored configuration to the running switch, if one runs (never starts one)."""
    found = running()
    if found is None:
        return None
    return _sync(lambda client: found.reload_config())
