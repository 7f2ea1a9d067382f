"""One-way sync: decide what a calendar needs (pure, ``actions``), carry it out
(``apply``), and wire a target to the store (``run``)."""
