"""What an e-mail address says about who sent an invitation: the employer's own domain,
a free-mail provider, or a scheduling or applicant-tracking service."""

from __future__ import annotations

import re

# Matched against the name part of the domain (gmail in gmail.com, yahoo in yahoo.co.uk).
FREE_MAIL = frozenset(
    {
        "gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "ymail",
        "icloud", "me", "mac", "aol", "proton", "protonmail", "pm", "gmx", "web", "mail",
        "yandex", "zoho", "fastmail", "hey", "tutanota", "tuta", "t-online", "orange",
        "free", "laposte", "wanadoo", "sfr", "libero", "qq", "163", "126", "rediffmail",
        "btinternet", "comcast", "verizon", "att", "sbcglobal", "seznam", "posteo",
        "mailbox", "freenet", "arcor", "bluewin", "o2", "wp", "onet", "naver", "daum",
    }
)  # fmt: skip
SCHEDULERS = frozenset(
    {
        "calendly", "greenhouse", "greenhouse-mail", "lever", "workday", "myworkday",
        "myworkdayjobs", "ashbyhq", "ashby", "smartrecruiters", "icims", "goodtime",
        "modernloop", "gem", "jobvite", "doodle", "cal", "youcanbook", "acuityscheduling",
        "teamtailor", "workable", "recruitee", "personio", "bamboohr", "breezy", "breezyhr",
        "jazzhr", "applytojob", "zoom", "hubspot", "google", "microsoft", "office365",
        "successfactors", "taleo", "oraclecloud", "phenom", "paradox", "hirevue",
        "recruiterbox", "pinpointhq", "join", "rippling", "gusto", "zohorecruit",
        "chilipiper", "savvycal", "zcal", "meetingbird",
    }
)  # fmt: skip
# Second-level labels under a country code: acme.co.uk, acme.com.au, acme.ac.jp.
_UNDER_COUNTRY = frozenset({"co", "com", "ac", "org", "net", "gov", "edu", "ne", "or", "gv"})
_ROBOT = re.compile(
    r"^(?:no-?reply|do-?not-?reply|notifications?|calendar-notification|mailer-daemon)\b"
)


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def name_label(domain: str) -> str:
    """The part of a domain that names its owner: acme for mail.acme.co.uk."""
    labels = [label for label in domain.lower().split(".") if label]
    if len(labels) >= 3 and labels[-2] in _UNDER_COUNTRY and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


def is_free_mail(email: str) -> bool:
    return name_label(domain_of(email)) in FREE_MAIL


def is_scheduler(email: str) -> bool:
    return name_label(domain_of(email)) in SCHEDULERS


def is_person(email: str) -> bool:
    """Not a scheduling tool, nor an automatic sender such as no-reply@."""
    local = email.partition("@")[0].lower()
    return not is_scheduler(email) and not _ROBOT.match(local)


def company_from(email: str) -> str:
    """'Northwind Traders' for sam@mail.northwind-traders.com; '' when the address is
    at a free-mail provider or a scheduling service, which names no employer."""
    if not email or is_free_mail(email) or is_scheduler(email):
        return ""
    label = name_label(domain_of(email))
    return " ".join(word[:1].upper() + word[1:] for word in label.split("-") if word)
