"""What the simulators' states share: fault switches set by name, counted faults taken one unit at a
time, and state that belongs to one :class:`~connectors.sandbox.state.SandboxState`."""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, Generic, TypeVar

__all__ = ["Companions", "FaultCounters", "FaultSwitches"]

T = TypeVar("T")


class FaultSwitches:
    """Base of a simulator's fault dataclass: switches are set by name, and a name the simulator does
    not know is refused with the list of those it does (a typo must not pass as "no fault")."""

    def update(self, changes: dict[str, Any]) -> None:
        names = {f.name for f in fields(self)}  # type: ignore[arg-type]  # subclasses are dataclasses
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown fault switches: {sorted(unknown)}; known: {sorted(names)}")
        for name, value in changes.items():
            setattr(self, name, value)


class FaultCounters:
    """Mixin for a state with ``lock``, ``faults`` (vendor -> switches) and ``stats`` (vendor -> counts)."""

    lock: threading.RLock
    faults: Mapping[str, Any]
    stats: Mapping[str, Counter[str]]

    def take(self, vendor: str, switch: str) -> bool:
        """Consume one unit of a counted fault (``server_error=3``: the next three calls); True when it
        fires, counted as ``fault.<switch>``."""
        with self.lock:
            faults = self.faults[vendor]
            left = getattr(faults, switch)
            if left > 0:
                setattr(faults, switch, left - 1)
                self.stats[vendor][f"fault.{switch}"] += 1
                return True
            return False


class Companions(Generic[T]):
    """State kept beside each sandbox: made on first use, gone when the sandbox is."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._states: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, sandbox: Any) -> T:
        with self._lock:
            state = self._states.get(sandbox)
            if state is None:
                state = self._states[sandbox] = self._make()
            return state
