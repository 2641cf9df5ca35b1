/**
 * Reading a wire timestamp (RFC 3339, as Synctera sends it) as the instant it
 * names, in plain TypeScript so that both Effect lines accept and reject the
 * same strings; each line makes its own `DateTime.Utc` from the milliseconds.
 *
 * @since 0.3.0
 */

/**
 * Whether a timestamp names its zone: the test of Effect 3's `DateTime.make`,
 * word for word, which the Effect 3 line has always decoded with (Effect 4's
 * own `DateTime.make` also counts a trailing `z` or `GMT`, so the lines would
 * differ if each used its own). A `Z` anywhere, or a trailing `±hh`, `±hhmm`,
 * `±hh:mm` or `]`.
 */
const namesItsZone = /Z|[+-]\d{2}$|[+-]\d{2}:?\d{2}$|\]$/

/**
 * The instant a wire timestamp names, in milliseconds since the epoch, or
 * `undefined` when it names none.
 *
 * The rule is Effect 3's `DateTime.make` on a string, without Effect: a
 * string that names its zone is read by `Date.parse`; one that does not is
 * read as UTC (`Date.parse` of it with a `Z` appended: `Date.parse` alone
 * would read it in the machine's local time). So `…Z`, `…+02:00` and
 * `2010-05-06T12:23:34` (UTC) are read, lowercase `z`, a leap second (`:60`)
 * and a blank string are not, and what else is read is what the engine's
 * `Date.parse` reads (a day past the month's end, up to 31, rolls over into
 * the next month). `test/cases/timestamps.ts` lists the cases both lines are
 * held to.
 *
 * @since 0.3.0
 * @category timestamps
 */
export const timestampMillis = (text: string): number | undefined => {
  // `…Z`, what Synctera sends, skips the regular expression.
  const millis = Date.parse(text.endsWith("Z") || namesItsZone.test(text) ? text : `${text}Z`)
  return Number.isNaN(millis) ? undefined : millis
}
