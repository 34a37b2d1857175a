"""IVR menu trees as data (S19, X1, X2) and their validation.

A tree is a set of nodes reached from ``root`` by key options and ``next``/``fallback`` edges.
Those forward edges must form no loop: "back", "repeat" and "main menu" are keys of the menu
itself, handled by the call's cursor, so a tree needs no edge pointing upwards. A tree that
loops, names an unknown node or queue, or has a bad time-out is refused before it is used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

KEYS = frozenset("0123456789*#")


@dataclass(frozen=True)
class Menu:
    """Play ``prompt`` and wait for one key of ``options`` (key → node id)."""

    node_id: str
    prompt: str
    options: Mapping[str, str]
    fallback: str
    timeout: float = 8.0
    max_retries: int = 3
    invalid_prompt: str | None = "invalid_key"
    back_key: str | None = "*"
    repeat_key: str | None = "#"
    home_key: str | None = None


@dataclass(frozen=True)
class Play:
    node_id: str
    prompt: str
    next: str


@dataclass(frozen=True)
class RouteToQueue:
    """Leave the IVR for a queue; callers marked VIP go to ``vip_queue`` (X12)."""

    node_id: str
    queue: str
    vip_queue: str | None = None
    prompt: str | None = None


@dataclass(frozen=True)
class SelfService:
    """Collect digits (ended by ``terminator``), ask the host's ``service``, play its answer."""

    node_id: str
    prompt: str
    service: str
    next: str
    fallback: str
    max_digits: int = 20
    terminator: str = "#"
    timeout: float = 10.0
    max_retries: int = 2


@dataclass(frozen=True)
class IdentityCheck:
    """Customer number then phone PIN, checked by the host (X2: freeze after repeated failure)."""

    node_id: str
    customer_prompt: str
    pin_prompt: str
    next: str
    on_fail: str
    max_attempts: int = 3
    max_digits: int = 20
    terminator: str = "#"
    timeout: float = 10.0
    wrong_pin_prompt: str = "wrong_pin"
    frozen_prompt: str = "self_service_frozen"


@dataclass(frozen=True)
class HoursBranch:
    node_id: str
    schedule: str
    open: str
    closed: str


@dataclass(frozen=True)
class Goodbye:
    """Play a last prompt and release the call."""

    node_id: str
    prompt: str


Node = Menu | Play | RouteToQueue | SelfService | IdentityCheck | HoursBranch | Goodbye


@dataclass(frozen=True)
class IvrTree:
    tree_id: str
    root: str
    nodes: tuple[Node, ...]
    by_id: Mapping[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {node.node_id: node for node in self.nodes})


def edges(node: Node) -> Iterator[tuple[str, str]]:
    """(label, target node id) of every forward edge leaving ``node``."""
    if isinstance(node, Menu):
        for key, target in node.options.items():
            yield f"key '{key}'", target
        yield "fallback", node.fallback
    elif isinstance(node, Play):
        yield "next", node.next
    elif isinstance(node, SelfService):
        yield "next", node.next
        yield "fallback", node.fallback
    elif isinstance(node, IdentityCheck):
        yield "next", node.next
        yield "on_fail", node.on_fail
    elif isinstance(node, HoursBranch):
        yield "open", node.open
        yield "closed", node.closed


def tree_problems(
    tree: IvrTree, queues: frozenset[str], schedules: frozenset[str]
) -> list[tuple[str, str]]:
    """Every problem of ``tree``, as (code, message); empty when the tree is usable."""
    name = f"IVR tree {tree.tree_id}"
    found: list[tuple[str, str]] = []
    if len(tree.by_id) != len(tree.nodes):
        found.append(("ivr.duplicate_node", f"{name}: two nodes share an id"))
    if tree.root not in tree.by_id:
        found.append(("ivr.no_root", f"{name}: root node {tree.root} does not exist"))
    for node in tree.nodes:
        found += _node_problems(name, node, tree.by_id, queues, schedules)
    if not found:
        cycle = _find_cycle(tree)
        if cycle:
            found.append(("ivr.loop", f"{name}: nodes loop: {' → '.join(cycle)}"))
    return found


def _node_problems(
    name: str,
    node: Node,
    by_id: Mapping[str, Node],
    queues: frozenset[str],
    schedules: frozenset[str],
) -> list[tuple[str, str]]:
    where = f"{name}, node {node.node_id}"
    found = [
        ("ivr.dangling", f"{where}: {label} leads to unknown node {target}")
        for label, target in edges(node)
        if target not in by_id
    ]
    if isinstance(node, Menu):
        special = {node.back_key, node.repeat_key, node.home_key} - {None}
        for key in node.options:
            if key not in KEYS or key in special:
                found.append(("ivr.bad_key", f"{where}: key '{key}' cannot be an option"))
    if isinstance(node, RouteToQueue):
        for queue in (node.queue, node.vip_queue):
            if queue is not None and queue not in queues:
                found.append(("ivr.unknown_queue", f"{where}: unknown queue {queue}"))
    if isinstance(node, HoursBranch) and node.schedule not in schedules:
        found.append(("ivr.unknown_schedule", f"{where}: unknown schedule {node.schedule}"))
    if isinstance(node, Menu | SelfService | IdentityCheck) and node.timeout <= 0:
        found.append(("ivr.timeout", f"{where}: time-out must be positive"))
    if isinstance(node, Menu | SelfService) and node.max_retries < 0:
        found.append(("ivr.retries", f"{where}: retries cannot be negative"))
    if isinstance(node, SelfService | IdentityCheck) and node.max_digits < 1:
        found.append(("ivr.digits", f"{where}: at least one digit must be allowed"))
    if isinstance(node, IdentityCheck) and node.max_attempts < 1:
        found.append(("ivr.attempts", f"{where}: at least one attempt must be allowed"))
    return found


def _find_cycle(tree: IvrTree) -> list[str]:
    """A loop of forward edges as a list of node ids, or [] (iterative depth-first search)."""
    colour: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in tree.by_id:
        if start in colour:
            continue
        path: list[str] = [start]
        stack: list[Iterator[tuple[str, str]]] = [edges(tree.by_id[start])]
        colour[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                colour[path.pop()] = 2
                stack.pop()
                continue
            target = step[1]
            if colour.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in colour:
                colour[target] = 1
                path.append(target)
                stack.append(edges(tree.by_id[target]))
    return []
