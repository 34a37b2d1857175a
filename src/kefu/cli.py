"""The ``kefu`` console command.

Subcommands:
  kefu demo      migrate the database and load the demo data set (safe to run twice)
  kefu serve     run the ASGI server (HTTP + WebSocket) on 127.0.0.1:8000, with the
                 background jobs (roll-up refresh, SLA worker, scheduled report mail)
  kefu manage …  any Django management command
  kefu switch    run the switch as its own process (KEFU_SWITCH=remote in the web processes)
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Sequence


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()


def _manage(argv: Sequence[str]) -> None:
    from django.core.management import execute_from_command_line

    _django()
    execute_from_command_line(["kefu manage", *argv])


def _demo(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    _django()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")


def _listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, made with ``proto=IPPROTO_TCP``: asyncio turns Nagle's algorithm
    off (TCP_NODELAY) only on sockets whose ``proto`` says TCP, and uvicorn's own ``--workers``
    socket has ``proto=0``, so each response written in two parts would wait ~40 ms for the
    client's delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _serve(args: argparse.Namespace) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    # Roll-up refresh, SLA worker and report mailer run beside the server (kefu.background).
    if args.no_jobs:
        os.environ["KEFU_BACKGROUND_JOBS"] = "0"
    else:
        os.environ.setdefault("KEFU_BACKGROUND_JOBS", "1")
    _django()
    from django.core.management import call_command

    from kefu.telephony.root import switch_mode

    if args.workers > 1 and switch_mode() == "embedded":
        raise SystemExit(
            "kefu serve --workers needs the switch outside the web processes: KEFU_SWITCH=remote"
            " (kefu switch, shared channel layer) or KEFU_SWITCH=off (no telephony here)"
        )
    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    from django.conf import settings

    print(f"Kefu 客服系统: http://{args.host}:{args.port}/", flush=True)
    # httptools and uvloop (pinned dependencies) parse HTTP and run the event loop when
    # installed ("auto"); one access-log line per request unless KEFU_LOG_LEVEL is above INFO.
    config = uvicorn.Config(
        "kefu.asgi:application",
        log_level="info",
        access_log=settings.LOG_LEVEL in {"DEBUG", "INFO"},
        lifespan="on",
        workers=args.workers,
        http="auto",
        loop="auto",
    )
    sock = _listening_socket(args.host, args.port)
    if args.workers == 1:
        uvicorn.Server(config).run(sockets=[sock])
    else:
        Multiprocess(config, sockets=[sock]).run()  # restarts a worker that dies


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="Kefu 客服系统")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="migrate and load the demo data set (idempotent)")
    demo.set_defaults(func=_demo)

    serve = sub.add_parser("serve", help="run the web server (HTTP and WebSocket)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-migrate", action="store_true", help="skip applying migrations")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        choices=range(1, 65),
        metavar="N",
        help="server processes sharing the port (N > 1: the switch must run elsewhere)",
    )
    serve.add_argument(
        "--no-jobs",
        action="store_true",
        help="do not run the background jobs (roll-ups, SLA worker, report mail) in this server",
    )
    serve.set_defaults(func=_serve)

    manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=lambda a: _manage(a.rest))

    _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Subcommands owned by other packages register themselves here."""
    try:
        from kefu.switch.simulate_cli import register
    except ImportError:
        return
    register(sub)
    from kefu.telephony.cli import register as register_switch

    register_switch(sub)


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    args.func(args)


if __name__ == "__main__":
    main()
