"""The switch's optional native build: its pure hot modules compiled with mypyc.

The engine (``kefu.switch.engine``), the simulated telephony (``adapters/sim.py``) and the
virtual-time driver (``simulation.py``) are plain Python, ``mypy --strict`` clean, and run as
they are. ``python -m kefu.switch.native_build`` (run by ``scripts/setup``) compiles them with
mypyc into extension modules beside their sources (git-ignored); Python's importer then prefers
those to the ``.py`` files. The compiled modules are the same code, so a seeded run gives the
same figures either way, in about half the time (``benchmarks/switch_bench.py``).

A build can never be used stale. It records the SHA-256 of every source it compiled; importing
``kefu.switch`` calls :func:`select`, which compares them with the sources now on disk and, if
any differs, bypasses every compiled module (all or none: compiled modules call each other
directly) and runs the pure Python, with a warning. ``KEFU_SWITCH_PURE=1`` forces the pure
Python; ``KEFU_SWITCH_NATIVE=require`` turns a missing or stale build into an ImportError (the
test script sets it, so the tests run against what is shipped).

Compiled classes differ from Python ones in two ways the code respects: a class that Python
code subclasses (``SimTelephony``) is marked ``allow_interpreted_subclasses``, and the engine's
classes, which hosts copy (``copy.deepcopy(engine)``), are marked ``serializable`` and
``allow_interpreted_subclasses`` (mypyc runs a serializable class's ``__init__`` from Python
only with both). Modules in ``PURE`` stay Python (see there).

``python -m kefu.switch.native_build [COMMAND]``: ``ensure`` (the default: build unless the
build is fresh), ``build`` (always), ``status``, ``clean``.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

try:
    from mypy_extensions import mypyc_attr as mypyc_attr
except ImportError:  # comes with mypy; without it there is no native build, only pure Python
    _T = TypeVar("_T")

    def mypyc_attr(*attrs: str, **kwattrs: Any) -> Callable[[_T], _T]:  # type: ignore[misc]
        return lambda cls: cls


PACKAGE = "kefu.switch"
HERE = Path(__file__).resolve().parent  # src/kefu/switch
#: what is compiled, relative to HERE: a folder means every module in it
COMPILED = ("engine", "adapters/sim.py", "simulation.py")
#: left pure: the packages' ``__init__`` (re-exports; a compiled package cannot import a pure
#: submodule) and the configuration's dataclasses, which hosts read by reflection (type hints)
#: and copy, and which the hot paths only read
PURE = ("engine/config.py", "engine/hours.py", "engine/ivr.py")
GROUP = f"{PACKAGE}._native"  # the shared library: kefu/switch/_native__mypyc.<suffix>
MANIFEST = "_native.json"
PURE_ENV, NATIVE_ENV = "KEFU_SWITCH_PURE", "KEFU_SWITCH_NATIVE"
FRESH, STALE, ABSENT = "fresh", "stale", "absent"


def _suffix() -> str:
    return str(sysconfig.get_config_var("EXT_SUFFIX"))


def sources(root: Path = HERE) -> list[Path]:
    """The compiled modules' sources, sorted."""
    found: list[Path] = []
    for name in COMPILED:
        path = root / name
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [
        path
        for path in found
        if path.name != "__init__.py" and str(path.relative_to(root)) not in PURE
    ]


def module_name(source: Path, root: Path = HERE) -> str:
    parts = source.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def digests(files: Sequence[Path], root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest() for path in files
    }


def compiled(source: Path) -> Path:
    return source.with_name(source.stem + _suffix())


def _artifacts(root: Path) -> list[Path]:
    """Every compiled file under the compiled paths (any interpreter, any earlier module list),
    the shared library and the manifest."""
    found: list[Path] = []
    for name in COMPILED:
        path = root / name
        for pattern in ("*.so", "*.pyd"):
            if path.is_dir():
                found += path.rglob(pattern)
            else:
                found += path.parent.glob(f"{path.stem}.{pattern}")
    found += root.glob(GROUP.rsplit(".", 1)[1] + "__mypyc.*")
    return found + [path for path in (root / MANIFEST,) if path.exists()]


def state(root: Path = HERE) -> str:
    """``fresh`` (a build of exactly the sources on disk, for this interpreter), ``stale``
    (a build of other sources, or an incomplete one) or ``absent``."""
    manifest = root / MANIFEST
    if not manifest.exists():
        return ABSENT
    try:
        recorded = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return STALE
    files = sources(root)
    if recorded.get("suffix") != _suffix():
        return ABSENT  # built for another interpreter: this one cannot load it anyway
    complete = all(compiled(path).exists() for path in files)
    if not complete or recorded.get("sources") != digests(files, root):
        return STALE
    return FRESH


class _PureFinder(importlib.abc.MetaPathFinder):
    """Loads the compiled modules from their ``.py`` sources, ignoring the extensions."""

    def __init__(self, modules: dict[str, Path]) -> None:
        self.modules = modules

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.modules.get(fullname)
        if source is None:
            return None
        package = [str(source.parent)] if source.name == "__init__.py" else None
        return importlib.util.spec_from_file_location(
            fullname, source, submodule_search_locations=package
        )


def select(root: Path = HERE) -> str:
    """Choose compiled or pure modules before any is imported; return ``native`` or ``pure``."""
    found = state(root)
    if os.environ.get(NATIVE_ENV) == "require" and found != FRESH:
        raise ImportError(
            f"{NATIVE_ENV}=require but the switch's native build is {found}: "
            "run `python -m kefu.switch.native_build`"
        )
    if found == FRESH and os.environ.get(PURE_ENV, "") in ("", "0"):
        return "native"
    if found == STALE:
        warnings.warn(
            "the switch's native build does not match its sources; running the pure Python "
            "(rebuild: python -m kefu.switch.native_build)",
            RuntimeWarning,
            stacklevel=2,
        )
    # even with no manifest: compiled files a failed build left behind must not load
    modules = {module_name(path, root): path for path in sources(root)}
    if not any(isinstance(finder, _PureFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PureFinder(modules))
    return "pure"


_BUILD = """
import sys
from setuptools import Distribution
from mypyc.build import mypycify
temp, paths = sys.argv[1], sys.argv[2:]
modules = mypycify(paths, opt_level="3", target_dir=temp, group_name={group!r})
dist = Distribution({{"name": "kefu-switch-native", "ext_modules": modules}})
dist.script_name = "build"
dist.script_args = [
    "-q", "build_ext", "--inplace", "--build-temp", temp, "--build-lib", temp + "/lib"
]
dist.parse_command_line()
dist.run_commands()
"""


def clean(root: Path = HERE) -> None:
    for path in _artifacts(root):
        path.unlink()


def build(root: Path = HERE) -> None:
    """Compile the modules in place (about a minute); the manifest is written last."""
    clean(root)
    files = sources(root)
    recorded = digests(files, root)  # before compiling: an edit meanwhile leaves it stale
    top = root.parents[len(PACKAGE.split(".")) - 1]  # the folder holding ``kefu``
    with tempfile.TemporaryDirectory(prefix="kefu-native-") as temp:
        command = [sys.executable, "-c", _BUILD.format(group=GROUP), temp]
        command += [str(path.relative_to(top)) for path in files]
        subprocess.run(command, cwd=top, check=True)
    write_manifest(root, recorded)


def write_manifest(root: Path, recorded: dict[str, str]) -> None:
    manifest = {"suffix": _suffix(), "sources": recorded}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


COMMANDS = "ensure|build|status|clean"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "ensure"
    if command == "build" or (command == "ensure" and state() != FRESH):
        build()
    elif command == "clean":
        clean()
    elif command not in ("status", "ensure"):
        print(f"usage: python -m {PACKAGE}.native_build [{COMMANDS}]", file=sys.stderr)
        return 2
    print(f"switch native build: {state()}")
    return 0
