"""What to say on the phone: a short script for a follow-up call. Pure."""

from __future__ import annotations


def call_script(
    ask_for: str, position: str, company: str, day: str, phone: str, me: str, opening: str
) -> list[str]:
    """``ask_for``: whom to ask for; ``day``: the interview day as text; ``opening``:
    why you call now ('following up', 'checking in once more')."""
    number = f"Number: {phone}" if phone else "Number: none stored yet; look it up or add it"
    introduce = f"this is {me}" if me else "this is (your name)"
    return [
        "",
        "Call script:",
        number,
        f"Ask for: {ask_for}.",
        f'Say: "Hello, {introduce}. I interviewed for {position} on {day}, and I am {opening}:'
        f' I am still very interested in joining {company}."',
        "Ask: whether there is news on the decision, when they expect one, and whether"
        " anything more from you would help.",
        "If you reach voicemail: leave your name, your number and one friendly sentence, then"
        " wait for their call rather than ringing again the same day.",
    ]
