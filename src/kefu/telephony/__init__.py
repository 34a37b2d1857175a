"""The Django side of the switch (issue 5): configuration in the database, the runner that owns
the engine, the journal of switch events with call detail records and agent state history, the
``queue_log`` export, and the command/snapshot API the desk uses (see docs/runner.md and
docs/events.md)."""
