"""``kefu switch``: the switch in a process of its own (``KEFU_SWITCH=remote`` elsewhere).

Web processes reach it over the channel layer, which must then be shared between processes
(channels-redis); with the in-memory layer only this process would hear it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("switch", help="run the switch as its own process")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> None:
    from kefu.cli import _django

    _django()
    asyncio.run(serve())


async def serve() -> None:
    from channels.layers import InMemoryChannelLayer, get_channel_layer

    from kefu.telephony.client import serve_commands
    from kefu.telephony.root import build_runner

    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        print(
            "kefu switch: the channel layer is in-memory; web processes cannot reach this "
            "switch (configure channels-redis, or run the switch embedded)",
            file=sys.stderr,
        )
    runner = build_runner(layer=layer)
    task = runner.start()
    await runner.started.wait()
    if runner.failure is not None:
        raise SystemExit(f"kefu switch: {runner.failure}")
    print("Kefu switch started (kefu switch)", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    server = asyncio.create_task(serve_commands(runner, layer))
    waiting: set[asyncio.Future[Any]] = {task, asyncio.ensure_future(stop.wait())}
    await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    server.cancel()
    await runner.stop()
