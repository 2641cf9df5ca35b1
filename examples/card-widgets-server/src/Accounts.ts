/**
 * The app's own users, sessions and card ownership: in a real app, your
 * database. Here, two demo users whose cards are the local sandbox's seeded
 * cards.
 */
import { Context, Effect, Layer, Option, Redacted, Ref } from "effect"
import { sandboxIds } from "effect-synctera/sandbox"

/** A user of the app and the Synctera cards that are theirs. */
export interface Account {
  readonly id: string
  readonly name: string
  readonly cardIds: ReadonlyArray<string>
}

/**
 * The demo users. Alice has an active card and a terminated one (Synctera
 * makes no token for it: 409). Bob has one card, which the sandbox's API key
 * may not use (403 from Synctera, so 409 here too); to Alice it is someone
 * else's card (404, and Synctera is not asked).
 */
export const demoAccounts: ReadonlyArray<Account> = [
  { id: "alice", name: "Alice", cardIds: [sandboxIds.cards.active, sandboxIds.cards.terminated] },
  { id: "bob", name: "Bob", cardIds: [sandboxIds.cards.forbidden] }
]

/** Users, sessions and ownership. */
export class Accounts extends Context.Tag("card-widgets/Accounts")<Accounts, {
  /** Starts a session for a user; the session id goes into the cookie. */
  readonly signIn: (userId: string) => Effect.Effect<Option.Option<Redacted.Redacted>>
  /** The account behind a session id, if the session exists. */
  readonly fromSession: (sessionId: Redacted.Redacted) => Effect.Effect<Option.Option<Account>>
  /** Whether the card is one of the user's: the check that comes before any token. */
  readonly owns: (userId: string, cardId: string) => Effect.Effect<boolean>
  /** The ids of the user's cards. */
  readonly cardsOf: (userId: string) => Effect.Effect<ReadonlyArray<string>>
}>() {
  /** In memory, with the demo users. */
  static readonly layer = (accounts: ReadonlyArray<Account> = demoAccounts) =>
    Layer.effect(
      Accounts,
      Effect.gen(function*() {
        const sessions = yield* Ref.make(new Map<string, string>())
        const byId = new Map(accounts.map((account) => [account.id, account]))
        return {
          signIn: (userId) =>
            byId.has(userId)
              ? Effect.gen(function*() {
                const sessionId = crypto.randomUUID()
                yield* Ref.update(sessions, (map) => new Map(map).set(sessionId, userId))
                return Option.some(Redacted.make(sessionId))
              })
              : Effect.succeed(Option.none()),
          fromSession: (sessionId) =>
            Ref.get(sessions).pipe(
              Effect.map((map) =>
                Option.fromNullable(map.get(Redacted.value(sessionId))).pipe(
                  Option.flatMap((userId) => Option.fromNullable(byId.get(userId)))
                )
              )
            ),
          cardsOf: (userId) => Effect.succeed(byId.get(userId)?.cardIds ?? []),
          owns: (userId, cardId) =>
            Effect.succeed(
              byId.get(userId)?.cardIds.some((owned) => owned.toLowerCase() === cardId.toLowerCase()) ?? false
            )
        }
      })
    )
}
