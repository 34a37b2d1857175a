"""The switch's native build (mypyc): never used stale, the pure Python always there, and the
same figures either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import warnings
from pathlib import Path

import pytest

import kefu.switch
from kefu.switch import native
from kefu.switch.engine import core

FIGURES = (
    "from kefu.switch.scenarios import full_day\n"
    "from kefu.switch.simulation import run_model\n"
    "import json, kefu.switch\n"
    "c, callers, agents, skills = full_day(4000, 40)\n"
    "f = run_model(c, callers, agents, hours=24, seed=3, threshold=20, skills=skills)\n"
    "f.pop('wall_seconds')\n"
    "print(json.dumps({'build': kefu.switch.BUILD, **f}))\n"
)


def own_meta_path() -> list[object]:
    """A copy of the import finders without the guard's own (running pure, one is there)."""
    return [finder for finder in sys.meta_path if not isinstance(finder, native._PureFinder)]


def fake_build(root: Path) -> None:
    """A package tree laid out like the switch, 'built' (empty extension files, a manifest)."""
    for name in (
        "engine/__init__.py",
        "engine/core.py",
        "engine/ivr.py",
        "adapters/sim.py",
        "simulation.py",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"# {name}\n")
    for source in native.sources(root):
        native.compiled(source).write_bytes(b"")
    native.write_manifest(root, native.digests(native.sources(root), root))


def test_a_build_is_fresh_only_for_exactly_the_sources_it_compiled(tmp_path):
    assert native.state(tmp_path) == native.ABSENT
    fake_build(tmp_path)
    assert native.state(tmp_path) == native.FRESH
    (tmp_path / "engine" / "core.py").write_text("# edited\n")
    assert native.state(tmp_path) == native.STALE


def test_an_incomplete_build_is_stale_and_clean_removes_every_compiled_file(tmp_path):
    fake_build(tmp_path)
    native.compiled(tmp_path / "simulation.py").unlink()
    assert native.state(tmp_path) == native.STALE
    native.clean(tmp_path)
    assert native.state(tmp_path) == native.ABSENT
    assert not [path for path in tmp_path.rglob("*") if path.suffix in (".so", ".json")]


def test_a_stale_build_is_bypassed_for_the_pure_python(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "meta_path", own_meta_path())
    monkeypatch.delenv(native.NATIVE_ENV, raising=False)
    fake_build(tmp_path)
    (tmp_path / "simulation.py").write_text("# edited\n")
    with pytest.warns(RuntimeWarning, match="does not match its sources"):
        assert native.select(tmp_path) == "pure"
    finder = sys.meta_path[0]
    assert isinstance(finder, native._PureFinder)
    spec = finder.find_spec("kefu.switch.engine.core", None)
    assert spec is not None and spec.origin == str(tmp_path / "engine" / "core.py")
    for never_compiled in ("kefu.switch.engine", "kefu.switch.engine.ivr", "kefu.switch.erlang"):
        assert finder.find_spec(never_compiled, None) is None


def test_a_fresh_build_is_used_unless_the_pure_python_is_asked_for(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "meta_path", own_meta_path())
    monkeypatch.delenv(native.NATIVE_ENV, raising=False)
    fake_build(tmp_path)
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    assert native.select(tmp_path) == "native"
    monkeypatch.setenv(native.PURE_ENV, "1")
    assert native.select(tmp_path) == "pure"
    assert isinstance(sys.meta_path[0], native._PureFinder)


def test_a_required_build_that_is_missing_or_stale_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(native.NATIVE_ENV, "require")
    with pytest.raises(ImportError, match="native build is absent"):
        native.select(tmp_path)
    fake_build(tmp_path)
    (tmp_path / "engine" / "core.py").write_text("# edited\n")
    with pytest.raises(ImportError, match="native build is stale"):
        native.select(tmp_path)


def test_the_modules_running_are_the_build_the_guard_chose():
    compiled = core.__file__.endswith(str(sysconfig.get_config_var("EXT_SUFFIX")))
    assert ("native" if compiled else "pure") == kefu.switch.BUILD
    if os.environ.get(native.NATIVE_ENV) == "require":  # scripts/test: what is shipped
        assert kefu.switch.BUILD == "native" and native.state() == native.FRESH


def run_figures(pure: bool) -> dict[str, object]:
    env = {**os.environ, native.PURE_ENV: "1" if pure else "0"}
    env.pop(native.NATIVE_ENV, None)
    with warnings.catch_warnings():
        output = subprocess.run(
            [sys.executable, "-c", FIGURES], env=env, capture_output=True, text=True, check=True
        ).stdout
    return json.loads(output)


@pytest.mark.skipif(native.state() != native.FRESH, reason="no fresh native build")
def test_the_native_build_and_the_pure_python_give_the_same_figures():
    compiled, pure = run_figures(pure=False), run_figures(pure=True)
    assert (compiled.pop("build"), pure.pop("build")) == ("native", "pure")
    assert compiled == pure and compiled["offered"] > 3000


def test_compiled_files_without_a_manifest_are_never_loaded(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "meta_path", own_meta_path())
    monkeypatch.delenv(native.NATIVE_ENV, raising=False)
    fake_build(tmp_path)
    (tmp_path / native.MANIFEST).unlink()  # as a build that failed half-way leaves it
    assert native.state(tmp_path) == native.ABSENT
    assert native.select(tmp_path) == "pure"
    spec = sys.meta_path[0].find_spec("kefu.switch.simulation", None)
    assert spec is not None and spec.origin == str(tmp_path / "simulation.py")
