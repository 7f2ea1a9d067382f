"""Text crafted to break iCalendar escaping, shared by the export and feed tests."""

HOSTILE_COMPANY = 'Evil, Inc; "Quoted" \\ back\\slash\r\nBEGIN:VEVENT\rEND:VCALENDAR 😀 שלום עולם'
HOSTILE_NOTES = (
    "line one\r\nEND:VCALENDAR\nBEGIN:VEVENT\nUID:injected\r\n"
    "commas, semicolons; backslashes \\n \\, tabs\there; " + "emoji 🎉👩‍💻 and مرحبا بالعالم " * 4
)
HOSTILE_CONTACT = "Mal\r\nORGANIZER:mailto:evil@example.com <mal@evil.example>"
HOSTILE_INTERVIEWER = "Zoë ‮reversed‬, Jr.; \\x"
