"""Shell completion (`_FOLLOWUP_COMPLETE=bash_source followup`): the values each
argument takes. A completion never fails loudly: a problem completes nothing."""

from __future__ import annotations

from typing import Any

from click import Context, Parameter
from click.shell_completion import CompletionItem


def interview_ids(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
    """Interview ids, with the company beside each (zsh and fish show it)."""
    try:
        from interview_followup import service

        labels = service.interview_labels()
    except Exception:  # a missing, locked or broken database: nothing to offer
        return []
    return [
        CompletionItem(str(label.id), help=_describe(label))
        for label in labels
        if str(label.id).startswith(incomplete)
    ]


def _describe(label: Any) -> str:
    what = f"{label.company} ({label.role})" if label.role else label.company
    return " ".join(f"{what}, {label.start}, {label.status}".split())


def statuses(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
    from interview_followup.model import Status

    return [CompletionItem(s.value) for s in Status if s.value.startswith(incomplete.lower())]


def kinds(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
    from interview_followup.model import Kind

    return [CompletionItem(k.value) for k in Kind if k.value.startswith(incomplete.lower())]


def config_keys(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
    from interview_followup.config import KEYS

    return [
        CompletionItem(name, help=key.help)
        for name, key in KEYS.items()
        if name.startswith(incomplete)
    ]


# Settings with a short list of values.
_VALUES = {"date_order": ("DMY", "MDY")}


def config_values(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
    choices = _VALUES.get(str(ctx.params.get("key") or ""), ())
    return [CompletionItem(v) for v in choices if v.lower().startswith(incomplete.lower())]
