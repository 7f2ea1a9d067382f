// Reads an .ics file with ical.js, as Thunderbird and the Nextcloud calendar do, and
// prints its events as JSON: uid, summary, the start and end instants in unix seconds
// (dates as YYYY-MM-DD for all-day events) and the zone ical.js resolved.
// Usage: node read_ics.mjs FILE
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
ICAL.TimezoneService.reset();
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

function when(time) {
  if (time.isDate) {
    return { date: time.toString(), zone: null };
  }
  return { unix: time.toUnixTime(), zone: time.zone ? time.zone.tzid : null };
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    start: when(event.startDate),
    end: when(event.endDate),
  };
});
process.stdout.write(JSON.stringify(events) + "\n");
