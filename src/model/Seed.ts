/**
 * What the sandbox model starts with: a tenant, its customers and businesses,
 * cards, FDX tokens and FDX authorization requests.
 *
 * A seed has a JSON form (the `Encoded` side of {@link Seed}): FDX tokens are
 * written exactly as Synctera sends them (snake_case, ISO timestamps), so a
 * seed file is also a set of example API answers. `synctera sandbox --seed
 * file.json` reads that form.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { FdxAuthRequest } from "../schemas/FdxAuthRequest.js"
import { FdxToken } from "../schemas/FdxToken.js"

/**
 * How a card answers widget token requests in the sandbox. These are sandbox
 * behaviours, not Synctera's `card_status` enum:
 *
 * - `active`: every widget type gets a fresh token (200).
 * - `forbidden`: the API key may not use this card (403 `FORBIDDEN`).
 * - `terminated`: the card is terminated (422 `CARD_TERMINATED`).
 * - `suspended`: the card is suspended (422 `CARD_SUSPENDED`).
 *
 * @since 0.1.0
 * @category seed
 */
export const CardState = Schema.Literal("active", "forbidden", "terminated", "suspended").annotations({
  identifier: "CardState"
})

/**
 * How a sandbox card answers widget token requests.
 *
 * @since 0.1.0
 * @category seed
 */
export type CardState = typeof CardState.Type

/**
 * A card of the sandbox: its id (a UUID) and how it behaves. `state` defaults
 * to `active` in the JSON form.
 *
 * @since 0.1.0
 * @category seed
 */
export const SeedCard = Schema.Struct({
  /** The card id, a UUID. */
  id: Schema.UUID,
  /** How the card answers widget token requests. */
  state: Schema.optionalWith(CardState, { default: () => "active" as const })
}).annotations({ identifier: "SeedCard" })

/**
 * A card of the sandbox, decoded.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedCard = typeof SeedCard.Type

/**
 * Everything the sandbox model starts with.
 *
 * @since 0.1.0
 * @category seed
 */
export const Seed = Schema.Struct({
  /** The tenant id put into every widget token. */
  tenant: Schema.String,
  /** The cards that exist; any other card id answers 404. */
  cards: Schema.Array(SeedCard),
  /** The FDX tokens that exist, in full, in list order; any other id answers 404. */
  fdxTokens: Schema.propertySignature(Schema.Array(FdxToken)).pipe(Schema.fromKey("fdx_tokens")),
  /**
   * The tenant's customers that a grant may name, besides the owners of the
   * seeded tokens and auth requests (who are the tenant's too). Default: none.
   */
  customers: Schema.optionalWith(Schema.Array(Schema.UUID), { default: () => [] }),
  /** The tenant's businesses, likewise. */
  businesses: Schema.optionalWith(Schema.Array(Schema.UUID), { default: () => [] }),
  /** The FDX authorization requests that exist, in list order. Default: none. */
  fdxAuthRequests: Schema.optionalWith(Schema.Array(FdxAuthRequest), { default: () => [] }).pipe(
    Schema.fromKey("fdx_auth_requests")
  )
}).annotations({ identifier: "Seed" })

/**
 * A decoded seed: the tenant, cards and FDX tokens a model starts with.
 *
 * @since 0.1.0
 * @category seed
 */
export type Seed = typeof Seed.Type

/**
 * The ids of {@link defaultSeed}, by what they are for. The `unknown` ones are
 * valid UUIDs that are *not* seeded (they answer 404, or a grant naming them is
 * refused).
 *
 * @since 0.1.0
 * @category seed
 */
export const sandboxIds = {
  tenant: "sandbox_tenant",
  cards: {
    active: "c0000000-0000-4000-8000-000000000001",
    forbidden: "c0000000-0000-4000-8000-000000000403",
    terminated: "c0000000-0000-4000-8000-000000000422",
    suspended: "c0000000-0000-4000-8000-000000000423",
    unknown: "c0000000-0000-4000-8000-000000000404"
  },
  fdxTokens: {
    /** ENABLED ACCESS token of a customer, expiring in 2099. */
    enabledAccess: "f0000000-0000-4000-8000-000000000001",
    /** ENABLED REFRESH token of a business, expiring in 2099. */
    enabledRefresh: "f0000000-0000-4000-8000-000000000002",
    /** REVOKED ACCESS token of a business. */
    revokedAccess: "f0000000-0000-4000-8000-000000000003",
    /** REVOKED REFRESH token of a customer. */
    revokedRefresh: "f0000000-0000-4000-8000-000000000004",
    /** USED REFRESH token of a customer (it refreshed into `refreshedAccess`). */
    usedRefresh: "f0000000-0000-4000-8000-000000000005",
    /** ENABLED ACCESS token of a customer, made by refreshing `usedRefresh`. */
    refreshedAccess: "f0000000-0000-4000-8000-000000000006",
    /** ENABLED ACCESS token of a business whose expiry time has passed. */
    expiredAccess: "f0000000-0000-4000-8000-000000000007",
    /** An ACCESS token with a status this client does not know (`SUSPENDED`): an open enum at work. */
    unrecognizedStatus: "f0000000-0000-4000-8000-000000000008",
    unknown: "f0000000-0000-4000-8000-000000000404"
  },
  fdxAuthRequests: {
    /** PENDING, expiring in 2099: ready to be granted or denied. */
    pending: "d0000000-0000-4000-8000-000000000001",
    /** GRANTED for `customer`, not yet exchanged by Plaid. */
    granted: "d0000000-0000-4000-8000-000000000002",
    /** DENIED (the customer declined). */
    denied: "d0000000-0000-4000-8000-000000000003",
    /** USED: granted for `business`, its code exchanged. */
    used: "d0000000-0000-4000-8000-000000000004",
    /** PENDING, but its expiry time has passed: a grant is refused. */
    expired: "d0000000-0000-4000-8000-000000000005",
    unknown: "d0000000-0000-4000-8000-000000000404"
  },
  /** The customer who owns most named tokens (the example app's signed-in customer). */
  customer: "a0000000-0000-4000-8000-00000000c001",
  /** The business that owns the other named tokens. */
  business: "b0000000-0000-4000-8000-00000000b001",
  /** A customer with no tokens or requests yet: grant one for them. */
  newCustomer: "a0000000-0000-4000-8000-00000000c003",
  /** The owner of the bulk tokens and requests that make the lists span several pages. */
  bulkCustomer: "a0000000-0000-4000-8000-00000000c002",
  /** Valid UUIDs that are not the tenant's. */
  unknownCustomer: "a0000000-0000-4000-8000-000000000404",
  unknownBusiness: "b0000000-0000-4000-8000-000000000404"
} as const

/**
 * How many bulk FDX tokens and auth requests {@link defaultSeed} has besides
 * the named ones, so that each list spans three pages at the default limit
 * (100).
 *
 * @since 0.2.0
 * @category seed
 */
export const bulkCount = 240

const ids = sandboxIds
const created = "2026-01-15T09:30:00.000Z"
const farFuture = "2099-01-01T00:00:00.000Z"

const fdx = (
  id: string,
  status: string,
  tokenType: string,
  owner: "customer" | "business",
  extra: { readonly expiry?: string; readonly parent?: string } = {}
) => ({
  id,
  tenant: ids.tenant,
  status,
  token_type: tokenType,
  token_hash: `sha256:${id.slice(-4)}${tokenType.toLowerCase()}`,
  creation_time: created,
  last_updated_time: status === "ENABLED" ? created : "2026-02-01T12:00:00.000Z",
  token_expiry_time: extra.expiry ?? farFuture,
  ...(owner === "customer" ? { customer_id: ids.customer } : { business_id: ids.business }),
  ...(extra.parent === undefined ? {} : { parent_token_id: extra.parent })
})

const authRequest = (
  id: string,
  status: string,
  extra: {
    readonly expiry?: string
    readonly customer?: string
    readonly business?: string
    readonly code?: string
  } = {}
) => ({
  id,
  tenant: ids.tenant,
  status,
  oauth2_state: `e${id.slice(1)}`,
  creation_time: created,
  last_updated_time: status === "PENDING" ? created : "2026-01-15T09:31:00.000Z",
  expiry_time: extra.expiry ?? farFuture,
  ...(extra.customer === undefined ? {} : { customer_id: extra.customer }),
  ...(extra.business === undefined ? {} : { business_id: extra.business }),
  ...(extra.code === undefined ? {} : { code: extra.code })
})

/** The i-th bulk id of a kind (`f` tokens, `d` auth requests), a UUID outside the named ones' range. */
const bulkId = (prefix: string, i: number) => `${prefix}0000000-0000-4000-9000-${String(i).padStart(12, "0")}`

const bulk = <A>(make: (i: number) => A): Array<A> => Array.from({ length: bulkCount }, (_, i) => make(i + 1))

/**
 * The default seed, in its JSON form: what `synctera sandbox` serves when no
 * `--seed` file is given, and a template for writing one.
 *
 * @since 0.1.0
 * @category seed
 */
export const defaultSeedJson: typeof Seed.Encoded = {
  tenant: ids.tenant,
  cards: [
    { id: ids.cards.active, state: "active" },
    { id: ids.cards.forbidden, state: "forbidden" },
    { id: ids.cards.terminated, state: "terminated" },
    { id: ids.cards.suspended, state: "suspended" }
  ],
  fdx_tokens: [
    fdx(ids.fdxTokens.enabledAccess, "ENABLED", "ACCESS", "customer"),
    fdx(ids.fdxTokens.enabledRefresh, "ENABLED", "REFRESH", "business"),
    fdx(ids.fdxTokens.revokedAccess, "REVOKED", "ACCESS", "business"),
    fdx(ids.fdxTokens.revokedRefresh, "REVOKED", "REFRESH", "customer"),
    fdx(ids.fdxTokens.usedRefresh, "USED", "REFRESH", "customer"),
    fdx(ids.fdxTokens.refreshedAccess, "ENABLED", "ACCESS", "customer", { parent: ids.fdxTokens.usedRefresh }),
    fdx(ids.fdxTokens.expiredAccess, "ENABLED", "ACCESS", "business", { expiry: "2026-01-15T10:30:00.000Z" }),
    fdx(ids.fdxTokens.unrecognizedStatus, "SUSPENDED", "ACCESS", "customer"),
    ...bulk((i) => ({
      ...fdx(bulkId("f", i), i % 3 === 0 ? "REVOKED" : "ENABLED", i % 2 === 0 ? "REFRESH" : "ACCESS", "customer"),
      customer_id: ids.bulkCustomer
    }))
  ],
  customers: [ids.newCustomer],
  businesses: [],
  fdx_auth_requests: [
    authRequest(ids.fdxAuthRequests.pending, "PENDING"),
    authRequest(ids.fdxAuthRequests.granted, "GRANTED", { customer: ids.customer, code: "sandbox-code-granted" }),
    authRequest(ids.fdxAuthRequests.denied, "DENIED"),
    authRequest(ids.fdxAuthRequests.used, "USED", { business: ids.business, code: "sandbox-code-used" }),
    authRequest(ids.fdxAuthRequests.expired, "PENDING", { expiry: "2026-01-15T09:40:00.000Z" }),
    ...bulk((i) => authRequest(bulkId("d", i), "USED", { customer: ids.bulkCustomer, code: `sandbox-code-${i}` }))
  ]
}

/**
 * The default seed: tenant `sandbox_tenant`, a card in each
 * {@link CardState}, FDX tokens of each status and type, owned by a customer
 * or a business, auth requests in each status (one expired), and enough bulk
 * tokens and requests for three pages of each list. Its ids are in
 * {@link sandboxIds}.
 *
 * @since 0.1.0
 * @category seed
 */
export const defaultSeed: Seed = Schema.decodeSync(Seed)(defaultSeedJson)
