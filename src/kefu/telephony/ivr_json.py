"""IVR trees as JSON, the form they take in the database and the admin (pure, no Django).

A tree is ``{"root": "<node id>", "nodes": [<node>, ...]}``; every node has an ``id`` and a
``type`` and then the fields of the engine's node class of that type (``kefu.switch.engine.ivr``)::

    {"id": "main", "type": "menu", "prompt": "main_menu",
     "options": {"1": "sales", "2": "service"}, "fallback": "general"}
    {"id": "sales", "type": "queue", "queue": "sales", "vip_queue": "vip"}

Types: ``menu``, ``play``, ``queue``, ``self_service``, ``identity``, ``hours``, ``goodbye``.
:func:`parse_tree` reports every format problem (unknown type or field, missing field, wrong
value type) as ``(code, message)`` pairs in the engine's style; the engine's own validation
(loops, dangling keys, unknown queues) runs on the parsed tree.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any

from kefu.switch.engine.ivr import (
    Goodbye,
    HoursBranch,
    IdentityCheck,
    IvrTree,
    Menu,
    Node,
    Play,
    RouteToQueue,
    SelfService,
)

NODE_TYPES: dict[str, type[Any]] = {
    "menu": Menu,
    "play": Play,
    "queue": RouteToQueue,
    "self_service": SelfService,
    "identity": IdentityCheck,
    "hours": HoursBranch,
    "goodbye": Goodbye,
}
TYPE_NAMES = {cls: name for name, cls in NODE_TYPES.items()}
Problems = list[tuple[str, str]]


def _field_types(cls: type[Any]) -> dict[str, tuple[type[Any], ...]]:
    """Accepted JSON value types per field (``None`` where the field is optional)."""
    hints = typing.get_type_hints(cls)
    accepted: dict[str, tuple[type[Any], ...]] = {}
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        parts = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        kinds: list[type[Any]] = []
        for part in parts:
            origin = typing.get_origin(part) or part
            if origin is float:
                kinds += [int, float]
            elif origin is type(None):
                kinds.append(type(None))
            elif origin is Mapping:
                kinds.append(dict)
            else:
                kinds.append(origin)
        accepted[field.name] = tuple(kinds)
    return accepted


FIELDS = {name: _field_types(cls) for name, cls in NODE_TYPES.items()}


def _required(cls: type[Any]) -> set[str]:
    return {
        field.name
        for field in dataclasses.fields(cls)
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    }


def _node(raw: object, index: int, found: Problems) -> Node | None:
    where = f"node {index + 1}"
    if not isinstance(raw, dict):
        found.append(("ivr.format", f"{where} must be an object"))
        return None
    node_id = raw.get("id")
    kind = raw.get("type")
    if not isinstance(node_id, str) or not node_id:
        found.append(("ivr.format", f"{where} needs an id"))
        return None
    where = f"node {node_id}"
    if kind not in NODE_TYPES:
        known = ", ".join(NODE_TYPES)
        found.append(("ivr.format", f"{where}: unknown type {kind!r} ({known})"))
        return None
    cls, fields = NODE_TYPES[kind], FIELDS[kind]
    values = {key: value for key, value in raw.items() if key not in ("id", "type")}
    values["node_id"] = node_id
    problems = [
        ("ivr.format", f"{where}: unknown field {key}") for key in values if key not in fields
    ]
    problems += [
        ("ivr.format", f"{where}: {key} is required")
        for key in sorted(_required(cls) - set(values))
    ]
    for key, value in values.items():
        if key in fields and (isinstance(value, bool) or not isinstance(value, fields[key])):
            problems.append(("ivr.format", f"{where}: {key} has the wrong type"))
    for key, value in values.get("options", {}).items() if kind == "menu" else ():
        if not isinstance(value, str):
            problems.append(("ivr.format", f"{where}: option {key} must name a node"))
    found += problems
    return None if problems else typing.cast(Node, cls(**values))


def parse_tree(tree_id: str, data: object) -> tuple[IvrTree | None, Problems]:
    """The engine's tree from its JSON form, or None and every format problem."""
    found: Problems = []
    if not isinstance(data, dict):
        return None, [("ivr.format", f"IVR tree {tree_id} must be an object")]
    root, raw_nodes = data.get("root"), data.get("nodes")
    if not isinstance(root, str) or not root:
        found.append(("ivr.format", f"IVR tree {tree_id} needs a root node id"))
    if not isinstance(raw_nodes, list) or not raw_nodes:
        found.append(("ivr.format", f"IVR tree {tree_id} needs a list of nodes"))
        raw_nodes = []
    extra = set(data) - {"root", "nodes"}
    if extra:
        found.append(("ivr.format", f"IVR tree {tree_id}: unknown keys {', '.join(sorted(extra))}"))
    nodes = [_node(raw, index, found) for index, raw in enumerate(raw_nodes)]
    if found:
        return None, [(code, f"IVR tree {tree_id}: {text}") for code, text in found]
    assert isinstance(root, str)
    return IvrTree(tree_id, root, tuple(node for node in nodes if node is not None)), []


def tree_json(tree: IvrTree) -> dict[str, Any]:
    """The JSON form of an engine tree (the inverse of :func:`parse_tree`)."""
    nodes = []
    for node in tree.nodes:
        values = dataclasses.asdict(node)
        node_id = values.pop("node_id")
        nodes.append({"id": node_id, "type": TYPE_NAMES[type(node)], **values})
    return {"root": tree.root, "nodes": nodes}


def input_prompts(tree: IvrTree) -> set[str]:
    """Prompts after which the caller is expected to press keys (for simulated callers)."""
    found: set[str] = set()
    for node in tree.nodes:
        if isinstance(node, Menu | SelfService):
            found.add(node.prompt)
        elif isinstance(node, IdentityCheck):
            found |= {node.customer_prompt, node.pin_prompt}
    return found


def node_prompts(node: Node) -> set[str]:
    """Every prompt key a node may play (checked against the prompt table)."""
    found: set[str] = set()
    for field in dataclasses.fields(node):
        if "prompt" in field.name:
            value = getattr(node, field.name)
            if isinstance(value, str) and value:
                found.add(value)
    return found


def prompts_used(tree: IvrTree) -> set[str]:
    return set().union(*(node_prompts(node) for node in tree.nodes))
