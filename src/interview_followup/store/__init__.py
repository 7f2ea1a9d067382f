"""SQLite storage: interviews, their history, the events and per-calendar sync state."""
