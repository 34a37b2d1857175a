"""A small POP3 server on loopback (RFC 1939: USER, PASS, STAT, LIST, RETR, DELE, RSET, NOOP,
QUIT) holding one mailbox in memory; deletions take effect on QUIT, as on a real server."""

from __future__ import annotations

import socketserver
import threading


class Pop3Server:
    def __init__(self, *, user: str = "kefu", password: str = "secret") -> None:
        self.user, self.password = user, password
        self.messages: list[bytes] = []
        self.sessions = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                owner.sessions += 1
                Session(owner, self).run()

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, password: str | None = None) -> str:
        return f"pop3://{self.user}:{password or self.password}@127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Session:
    def __init__(self, owner: Pop3Server, handler: socketserver.StreamRequestHandler) -> None:
        self.owner, self.io = owner, handler
        self.user = ""
        self.authorised = False
        self.deleted: set[int] = set()
        self.box: list[bytes] = []

    def send(self, line: str) -> None:
        self.io.wfile.write(line.encode() + b"\r\n")

    def run(self) -> None:
        self.send("+OK kefu test POP3 ready")
        while True:
            raw = self.io.rfile.readline()
            if not raw:
                return
            verb, _, argument = raw.decode().strip().partition(" ")
            if not self.step(verb.upper(), argument):
                return

    def step(self, verb: str, argument: str) -> bool:
        if verb == "QUIT":
            with self.owner.lock:
                if self.authorised:
                    kept = [m for i, m in enumerate(self.box, 1) if i not in self.deleted]
                    self.owner.messages[:] = kept
            self.send("+OK bye")
            return False
        if verb == "USER":
            self.user = argument
            self.send("+OK")
        elif verb == "PASS":
            self.log_in(argument)
        elif not self.authorised:
            self.send("-ERR log in first")
        else:
            self.transaction(verb, argument)
        return True

    def log_in(self, password: str) -> None:
        if self.user == self.owner.user and password == self.owner.password:
            self.authorised = True
            with self.owner.lock:
                self.box = list(self.owner.messages)
            self.send("+OK mailbox locked and ready")
        else:
            self.send("-ERR [AUTH] invalid user name or password")

    def live(self) -> list[tuple[int, bytes]]:
        return [(i, m) for i, m in enumerate(self.box, 1) if i not in self.deleted]

    def transaction(self, verb: str, argument: str) -> None:
        if verb == "STAT":
            live = self.live()
            self.send(f"+OK {len(live)} {sum(len(m) for _, m in live)}")
        elif verb == "LIST":
            self.send("+OK")
            for number, message in self.live():
                self.send(f"{number} {len(message)}")
            self.send(".")
        elif verb in ("RETR", "DELE"):
            number = int(argument) if argument.isdigit() else 0
            if not 1 <= number <= len(self.box) or number in self.deleted:
                self.send("-ERR no such message")
            elif verb == "DELE":
                self.deleted.add(number)
                self.send("+OK deleted")
            else:
                self.retrieve(self.box[number - 1])
        elif verb == "RSET":
            self.deleted.clear()
            self.send("+OK")
        elif verb == "NOOP":
            self.send("+OK")
        else:
            self.send("-ERR unknown command")

    def retrieve(self, message: bytes) -> None:
        self.send(f"+OK {len(message)} octets")
        for line in message.replace(b"\r\n", b"\n").split(b"\n"):
            stuffed = b"." + line if line.startswith(b".") else line
            self.io.wfile.write(stuffed + b"\r\n")
        self.send(".")
