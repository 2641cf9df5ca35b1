/**
 * How a line's own data types are written as plain JSON in the ports'
 * shared cases (and the live tables): a `DateTime.Utc` as `{ utc: iso }`, a
 * `Duration` as `{ millis }`, a `Redacted` as `{ redacted: value }` — for
 * `toPlain` of `engine.ts`. Both lines' modules have the same functions for
 * these, so a driver passes its own (`specialOf({ DateTime, Duration })`)
 * rather than write the conversion again; nothing here imports Effect.
 */
import type { Json } from "./behaviour.js"

/** What the conversion needs of a line's `DateTime`, `Duration` and (optionally) `Redacted` modules. */
export interface LineModules<D, U extends D, T, R> {
  readonly DateTime?: {
    readonly isDateTime: (u: unknown) => u is D
    readonly isUtc: (self: D) => self is U
    readonly formatIso: (self: U) => string
  }
  readonly Duration?: {
    readonly isDuration: (u: unknown) => u is T
    readonly toMillis: (self: T) => number
  }
  readonly Redacted?: {
    readonly isRedacted: (u: unknown) => u is R
    readonly value: (self: R) => unknown
  }
}

/** The `special` of `toPlain` for a line's modules: its values as the tables write them, `undefined` for any other. */
export const specialOf = <D, U extends D, T, R>(
  { DateTime, Duration, Redacted }: LineModules<D, U, T, R>
) =>
(value: unknown): Json | undefined => {
  if (DateTime !== undefined && DateTime.isDateTime(value) && DateTime.isUtc(value)) {
    return { utc: DateTime.formatIso(value) }
  }
  if (Duration !== undefined && Duration.isDuration(value)) return { millis: Duration.toMillis(value) }
  if (Redacted !== undefined && Redacted.isRedacted(value)) return { redacted: String(Redacted.value(value)) }
  return undefined
}
