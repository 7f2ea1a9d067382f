"""Our operations, the user's edits in the calendar and syncs of every kind, interleaved
by hypothesis on the memory sink; after every sync the invariants must hold.

Our side runs through the real service layer against a temporary data folder; the
calendar is the strict in-memory server. The same machine runs for a bounded number of
steps against Radicale and the Google fake in tests/sinks/test_sync_machine_servers.py.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from support.sync_machine import BatchingMemoryMachine, MemoryMachine


def _settings(examples: int) -> settings:
    return settings(
        max_examples=int(os.environ.get("FOLLOWUP_MACHINE_EXAMPLES", str(examples))),
        stateful_step_count=50,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


MemoryMachine.TestCase.settings = _settings(40)
TestSyncMachine = MemoryMachine.TestCase
BatchingMemoryMachine.TestCase.settings = _settings(25)
TestSyncMachineBatched = BatchingMemoryMachine.TestCase
