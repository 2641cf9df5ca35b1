/**
 * Sessions of the login page: in a real app, your session store.
 *
 * A session starts, signed out, on the first page a browser gets (the
 * sign-in page), so that even the sign-in form carries a CSRF token: a form
 * of another site can neither sign a browser in nor decide for it. Signing in
 * replaces the session (a new id and a new token), so that an id known before
 * the sign-in is worth nothing after it.
 */
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { randomBytes, timingSafeEqual } from "node:crypto"

/** One browser's session. */
export interface Session {
  /** The cookie's value. */
  readonly id: Redacted.Redacted
  /** The token every form of this session carries. */
  readonly csrfToken: Redacted.Redacted
  /** The signed-in user, if any. */
  readonly userId: Option.Option<string>
  /** Failed sign-ins so far: after a few, the login page reports the request DENIED. */
  readonly failedSignIns: number
}

/** The session cookie's name. */
export const sessionCookie = "login_session"

/**
 * The most sessions kept: the oldest go first. Every visit to the sign-in
 * page starts one, so an unbounded store would be a way to fill the memory.
 */
export const maxSessions = 10_000

/** 256 random bits, URL-safe. */
const secret = (): string => randomBytes(32).toString("base64url")

/** Whether a form's token is the session's, compared in constant time. */
export const isSessionToken = (session: Session, token: string): boolean => {
  const expected = Buffer.from(Redacted.value(session.csrfToken))
  const given = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The session store. */
export class Sessions extends Context.Tag("core-exchange-login/Sessions")<Sessions, {
  /** Starts a signed-out session. */
  readonly start: Effect.Effect<Session>
  /** The session of a cookie value, if it exists. */
  readonly get: (id: string) => Effect.Effect<Option.Option<Session>>
  /** Ends `session` and starts a signed-in one for `userId`, with a new id and token. */
  readonly signIn: (session: Session, userId: string) => Effect.Effect<Session>
  /** Counts a failed sign-in; the count so far. */
  readonly failedSignIn: (session: Session) => Effect.Effect<number>
  /** Ends a session. */
  readonly end: (session: Session) => Effect.Effect<void>
}>() {
  /**
   * In memory. One `Map`, changed in place: the JavaScript thread runs each
   * `Effect.sync` to its end, so no two requests change it at once.
   */
  static readonly layer: Layer.Layer<Sessions> = Layer.sync(Sessions, () => {
    // A Map keeps insertion order: its first key is the oldest session.
    const store = new Map<string, Session>()
    const save = (session: Session): Session => {
      store.set(Redacted.value(session.id), session)
      for (const oldest of store.keys()) {
        if (store.size <= maxSessions) break
        store.delete(oldest)
      }
      return session
    }
    const fresh = (userId: Option.Option<string>): Session => ({
      id: Redacted.make(secret()),
      csrfToken: Redacted.make(secret()),
      userId,
      failedSignIns: 0
    })
    return {
      start: Effect.sync(() => save(fresh(Option.none()))),
      get: (id) => Effect.sync(() => Option.fromNullable(store.get(id))),
      signIn: (session, userId) =>
        Effect.sync(() => {
          store.delete(Redacted.value(session.id))
          return save(fresh(Option.some(userId)))
        }),
      failedSignIn: (session) =>
        Effect.sync(() => {
          const current = store.get(Redacted.value(session.id)) ?? session
          const counted = { ...current, failedSignIns: current.failedSignIns + 1 }
          if (store.has(Redacted.value(session.id))) store.set(Redacted.value(session.id), counted)
          return counted.failedSignIns
        }),
      end: (session) =>
        Effect.sync(() => {
          store.delete(Redacted.value(session.id))
        })
    }
  })
}
