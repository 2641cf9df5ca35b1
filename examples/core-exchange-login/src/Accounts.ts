/**
 * The fintech's own customers and their sign-in: in a real app, your user
 * database and your login (with its own password hashing, rate limits,
 * second factor, …). Here, two demo users, each mapped to the Synctera
 * customer that Plaid's access is granted for: the mapping that step 3 of
 * Plaid Core Exchange asks of the fintech.
 */
import { Context, Effect, Layer, Option } from "effect"
import { sandboxIds } from "effect-synctera/sandbox"
import { createHash, timingSafeEqual } from "node:crypto"

/** A user of the app, and the Synctera customer they are. */
export interface Account {
  readonly id: string
  /** What they type to sign in. */
  readonly username: string
  /** What the pages call them. */
  readonly name: string
  /** Their Synctera `customer_id`: who a grant is for, and whose FDX tokens they see. */
  readonly customerId: string
}

/** A demo user and the password that signs them in. */
export interface DemoAccount extends Account {
  readonly password: string
}

/** The password of every demo user, shown on the sign-in page. */
export const demoPassword = "demo"

/**
 * The demo users. Alice is the sandbox's `customer`, who already has FDX
 * tokens (active, revoked, refreshed, one of a status this client does not
 * know); Bob is its `newCustomer`, with none until he connects.
 */
export const demoAccounts: ReadonlyArray<DemoAccount> = [
  { id: "alice", username: "alice", name: "Alice", customerId: sandboxIds.customer, password: demoPassword },
  { id: "bob", username: "bob", name: "Bob", customerId: sandboxIds.newCustomer, password: demoPassword }
]

/** Compares two secrets in time that does not depend on where they differ (nor on their lengths). */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash("sha256").update(given).digest(),
    createHash("sha256").update(expected).digest()
  )

const withoutPassword = ({ password: _password, ...account }: DemoAccount): Account => account

/** Users and their sign-in. */
export class Accounts extends Context.Tag("core-exchange-login/Accounts")<Accounts, {
  /** The account whose username and password these are, if any. */
  readonly authenticate: (username: string, password: string) => Effect.Effect<Option.Option<Account>>
  /** The account of a user id (from a session). */
  readonly byId: (userId: string) => Effect.Effect<Option.Option<Account>>
}>() {
  /** In memory, with the demo users. */
  static readonly layer = (accounts: ReadonlyArray<DemoAccount> = demoAccounts) =>
    Layer.succeed(Accounts, {
      authenticate: (username, password) =>
        Effect.sync(() => {
          const account = accounts.find((a) => a.username === username.trim().toLowerCase())
          // The password is compared even for an unknown username, so that the
          // answer takes as long either way.
          const matches = sameSecret(password, account?.password ?? demoPassword)
          return account !== undefined && matches ? Option.some(withoutPassword(account)) : Option.none()
        }),
      byId: (userId) =>
        Effect.succeed(
          Option.fromNullable(accounts.find((a) => a.id === userId)).pipe(Option.map(withoutPassword))
        )
    })
}
