"""Tunings read from the environment: for tests and for people with unusual needs."""

from __future__ import annotations

import os


def seconds(name: str, default: float) -> float:
    """A duration in seconds from ``name``; ``default`` when unset or not a number, and
    never below zero."""
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default
