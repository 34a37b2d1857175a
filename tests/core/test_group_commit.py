"""Group commit (kefu.core.group_commit): callers that arrive while a batch is being written
are written together in the next one, each gets its own outcome, and a caller alone waits
for nobody."""

from __future__ import annotations

import threading
import time

import pytest

from kefu.core.group_commit import GroupCommit


def test_a_caller_alone_is_a_batch_of_one() -> None:
    seen: list[list[int]] = []

    def write(batch: list[int]) -> list[int]:
        seen.append(list(batch))
        return [n * 10 for n in batch]

    group: GroupCommit[int, int] = GroupCommit(write)
    assert group.submit(1) == 10
    assert group.submit(2) == 20
    assert seen == [[1], [2]]
    assert (group.batches, group.items) == (2, 2)


def run_while_first_batch_is_held(
    group: GroupCommit[int, int], held: threading.Event, release: threading.Event, callers: int
) -> dict[int, object]:
    """Submit 0 (it leads and is held), then ``callers`` more that must queue behind it."""
    outcomes: dict[int, object] = {}

    def call(n: int) -> None:
        try:
            outcomes[n] = group.submit(n)
        except Exception as exc:  # the test looks at what each caller got
            outcomes[n] = exc

    first = threading.Thread(target=call, args=(0,))
    first.start()
    assert held.wait(5)
    others = [threading.Thread(target=call, args=(n,)) for n in range(1, callers + 1)]
    for t in others:
        t.start()
    deadline = time.monotonic() + 5
    while len(group._queue) < callers and time.monotonic() < deadline:
        time.sleep(0.001)
    release.set()
    for t in [first, *others]:
        t.join(5)
    return outcomes


def holding_writer(
    seen: list[list[int]], held: threading.Event, release: threading.Event, fail: int | None = None
):
    def write(batch: list[int]) -> list[int | BaseException]:
        seen.append(list(batch))
        if batch == [0]:
            held.set()
            assert release.wait(5)
        return [ValueError(f"bad {n}") if n == fail else n * 10 for n in batch]

    return write


def test_callers_arriving_during_a_write_share_the_next_batch() -> None:
    seen: list[list[int]] = []
    held, release = threading.Event(), threading.Event()
    group: GroupCommit[int, int] = GroupCommit(holding_writer(seen, held, release))
    outcomes = run_while_first_batch_is_held(group, held, release, callers=5)
    assert outcomes == {n: n * 10 for n in range(6)}
    assert seen[0] == [0]
    assert sorted(seen[1]) == [1, 2, 3, 4, 5]  # one batch for everyone who waited
    assert (group.batches, group.items) == (2, 6)


def test_each_caller_gets_its_own_error() -> None:
    seen: list[list[int]] = []
    held, release = threading.Event(), threading.Event()
    group: GroupCommit[int, int] = GroupCommit(holding_writer(seen, held, release, fail=3))
    outcomes = run_while_first_batch_is_held(group, held, release, callers=4)
    assert isinstance(outcomes[3], ValueError) and str(outcomes[3]) == "bad 3"
    assert {n: v for n, v in outcomes.items() if n != 3} == {0: 0, 1: 10, 2: 20, 4: 40}


def test_a_writer_that_raises_fails_its_whole_batch_only() -> None:
    calls = []

    def write(batch: list[int]) -> list[int]:
        calls.append(batch)
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return batch

    group: GroupCommit[int, int] = GroupCommit(write)
    with pytest.raises(RuntimeError, match="disk full"):
        group.submit(1)
    assert group.submit(2) == 2  # the next batch is written normally


def test_batches_are_no_larger_than_max_batch() -> None:
    seen: list[list[int]] = []
    held, release = threading.Event(), threading.Event()
    group: GroupCommit[int, int] = GroupCommit(holding_writer(seen, held, release), max_batch=2)
    outcomes = run_while_first_batch_is_held(group, held, release, callers=5)
    assert outcomes == {n: n * 10 for n in range(6)}
    assert all(len(batch) <= 2 for batch in seen)
    assert sorted(n for batch in seen for n in batch) == list(range(6))


def test_a_writer_giving_the_wrong_number_of_outcomes_is_an_error() -> None:
    group: GroupCommit[int, int] = GroupCommit(lambda batch: [])
    with pytest.raises(RuntimeError, match="number of outcomes"):
        group.submit(1)
    with pytest.raises(ValueError):
        GroupCommit(lambda batch: batch, max_batch=0)
