/**
 * THE timestamp table: which wire timestamps the client reads, as the
 * instant they name, and which it rejects, as plain data shared by both
 * Effect lines (`test/timestamps.test.ts`, `effect4/test/timestamps.test.ts`
 * run it through each line's `FdxToken`). Both lines read timestamps with
 * the shared core's `timestampMillis` (Effect 3's `DateTime.make`, without
 * Effect), so a line that strays from it, or an engine whose `Date.parse`
 * reads one of these differently, fails here.
 *
 * No Effect here, and nothing from either line.
 */

/** A timestamp the client reads, and the instant it names. */
export interface AcceptedTimestamp {
  readonly text: string
  /** Milliseconds since the epoch. */
  readonly millis: number
  /** What the case is about. */
  readonly note: string
}

/** A timestamp the client rejects. */
export interface RejectedTimestamp {
  readonly text: string
  /** What the case is about. */
  readonly note: string
}

/**
 * Milliseconds since the epoch of a UTC date and time, months from 1, by
 * arithmetic rather than by parsing a string (the rule under test). Any year:
 * `Date.UTC` would read the years 0–99 as 1900–1999.
 */
const at = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number => {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millis)
  return date.getTime()
}

/** The reference example's instant, `2010-05-06T12:23:34.321Z`. */
const reference = at(2010, 5, 6, 12, 23, 34, 321)

/** The timestamps both lines read, and the instant each names. */
export const acceptedTimestamps: ReadonlyArray<AcceptedTimestamp> = [
  { text: "2010-05-06T12:23:34.321Z", millis: reference, note: "RFC 3339 in UTC, as Synctera sends it" },
  { text: "2010-05-06T14:23:34.321+02:00", millis: reference, note: "an offset east of UTC" },
  { text: "2010-05-06T10:23:34.321-02:00", millis: reference, note: "an offset west of UTC" },
  { text: "2010-05-06T12:23:34.321+00:00", millis: reference, note: "a zero offset" },
  { text: "2010-05-06T12:23:34.321-00:00", millis: reference, note: "RFC 3339's unknown local offset" },
  { text: "2010-05-07T02:23:34.321+14:00", millis: reference, note: "the largest offset in use" },
  { text: "2010-05-06T14:23:34.321+0200", millis: reference, note: "an offset without its colon (not RFC 3339)" },
  { text: "2010-05-06t12:23:34.321Z", millis: reference, note: "a lowercase t" },
  { text: "2010-05-06 12:23:34.321Z", millis: reference, note: "a space for the T" },
  { text: "2010-05-06T12:23:34Z", millis: at(2010, 5, 6, 12, 23, 34), note: "no fraction" },
  { text: "2010-05-06T12:23:34.3Z", millis: at(2010, 5, 6, 12, 23, 34, 300), note: "1 fraction digit" },
  { text: "2010-05-06T12:23:34.32Z", millis: at(2010, 5, 6, 12, 23, 34, 320), note: "2 fraction digits" },
  { text: "2010-05-06T12:23:34.3219Z", millis: reference, note: "4 fraction digits: cut to milliseconds" },
  { text: "2010-05-06T12:23:34.32199Z", millis: reference, note: "5 fraction digits" },
  { text: "2010-05-06T12:23:34.321999Z", millis: reference, note: "6 fraction digits (not rounded up)" },
  { text: "2010-05-06T12:23:34.3219999Z", millis: reference, note: "7 fraction digits" },
  { text: "2010-05-06T12:23:34.32199999Z", millis: reference, note: "8 fraction digits" },
  { text: "2010-05-06T12:23:34.321999999Z", millis: reference, note: "9 fraction digits" },
  { text: "2010-05-06T12:23:34.999999999Z", millis: at(2010, 5, 6, 12, 23, 34, 999), note: "no carry into the second" },
  { text: "2010-05-06T12:23Z", millis: at(2010, 5, 6, 12, 23), note: "no seconds (not RFC 3339)" },
  { text: "2010-05-06T12:23:34.321", millis: reference, note: "no zone: UTC, not the machine's local time" },
  { text: "2010-05-06T12:23:34", millis: at(2010, 5, 6, 12, 23, 34), note: "no zone, no fraction" },
  { text: "2010-05-06", millis: at(2010, 5, 6), note: "a date alone: its midnight, UTC" },
  { text: "2010-05-06T24:00:00Z", millis: at(2010, 5, 7), note: "24:00, the end of the day" },
  { text: "2020-02-29T00:00:00Z", millis: at(2020, 2, 29), note: "a leap day" },
  { text: "2021-02-29T00:00:00Z", millis: at(2021, 3, 1), note: "no leap day that year: rolls over" },
  { text: "2021-02-30T00:00:00Z", millis: at(2021, 3, 2), note: "a day past the month's end rolls over" },
  { text: "2021-04-31T00:00:00Z", millis: at(2021, 5, 1), note: "day 31 of a 30-day month rolls over" },
  { text: "0000-01-01T00:00:00Z", millis: at(0, 1, 1), note: "year 0000" },
  { text: "9999-12-31T23:59:59.999Z", millis: at(9999, 12, 31, 23, 59, 59, 999), note: "year 9999" },
  { text: "+275760-09-13T00:00:00Z", millis: 8.64e15, note: "the last instant a Date holds" }
]

/** The timestamps both lines reject. */
export const rejectedTimestamps: ReadonlyArray<RejectedTimestamp> = [
  { text: "", note: "an empty string" },
  { text: "   ", note: "blanks" },
  { text: " 2010-05-06T12:23:34.321Z", note: "a leading blank" },
  { text: "2010-05-06T12:23:34.321Z ", note: "a trailing blank" },
  { text: "2010-05-06T12:23:34.321Z\n", note: "a trailing line break" },
  { text: "2010-05-06T12:23:34.321z", note: "a lowercase z (Effect 4's own DateTime.make reads it)" },
  { text: "2010-05-06t12:23:34.321z", note: "a lowercase t and z" },
  { text: "2016-12-31T23:59:60Z", note: "a leap second" },
  { text: "2021-02-32T00:00:00Z", note: "day 32" },
  { text: "2010-13-45T99:00:00Z", note: "month 13" },
  { text: "2010-05-06T25:00:00Z", note: "hour 25" },
  { text: "2010-05-06T12:60:00Z", note: "minute 60" },
  { text: "2010-05-06T14:23:34.321+02", note: "an offset of hours alone" },
  { text: "2010-05-06T12:23:34.321+24:00", note: "an offset of 24 hours" },
  { text: "2010-05-06T12:23:34,321Z", note: "a comma before the fraction" },
  { text: "2010-05-06T12:23:34.Z", note: "a point and no fraction" },
  { text: "2010-05-06T12Z", note: "an hour alone" },
  { text: "2010-05-06T12:23:34.321Z[UTC]", note: "a zone name after the time" },
  { text: "Thu, 06 May 2010 12:23:34 GMT", note: "an HTTP date (Effect 4's own DateTime.make reads it)" },
  { text: "+275760-09-13T00:00:00.001Z", note: "past the last instant a Date holds" },
  { text: "yesterday", note: "not a date" }
]
