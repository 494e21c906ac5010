// Reads an iCalendar feed on standard input and prints, as JSON, every occurrence ical.js finds between
// the two dates given (YYYY-MM-DD, end exclusive): UID, summary, status, start and end as Unix seconds
// (through the feed's own VTIMEZONE), and the start as local wall-clock time. Used by portal/tests/test_ical.py.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, until] = process.argv.slice(2).map((day) => ICAL.Time.fromDateString(day));
const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const events = root.getAllSubcomponents("vevent");
const overrides = events.filter((event) => event.hasProperty("recurrence-id"));
const occurrences = [];

function add(event, start, end) {
  if (start.compare(from) < 0 || start.compare(until) >= 0) return;
  occurrences.push({
    uid: event.uid,
    summary: event.summary,
    status: event.component.getFirstPropertyValue("status"),
    start: start.toUnixTime(),
    end: end.toUnixTime(),
    local: start.toString(),
  });
}

for (const component of events) {
  if (component.hasProperty("recurrence-id")) continue;
  // Overrides are related by UID, as calendar programs split a feed into one object per UID: without
  // `exceptions`, ical.js would relate every RECURRENCE-ID of the whole feed to each event.
  const uid = component.getFirstPropertyValue("uid");
  const exceptions = overrides.filter((override) => override.getFirstPropertyValue("uid") === uid);
  const event = new ICAL.Event(component, { strictExceptions: true, exceptions });
  if (!event.isRecurring()) {
    add(event, event.startDate, event.endDate);
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(until) < 0; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    add(details.item, details.startDate, details.endDate);
  }
}
process.stdout.write(JSON.stringify(occurrences));
