"""The Kefu software switch (S1–S19, F1–F10, X1, X2, X4, X12).

``engine`` is the pure state machine (no Django, no I/O, no wall clock), ``adapters`` are the
seams to telephony (``sim`` generates traffic in virtual time), ``erlang`` holds the queueing
formulas the simulator is checked against, and ``simulate_cli`` is ``kefu simulate``.
"""

from kefu.switch.native import select as _select_build

#: ``native`` when the compiled modules of a fresh mypyc build run, else ``pure`` (see native)
BUILD = _select_build()
