/**
 * What the sandbox model starts with, at the wire level: a tenant, its
 * customers and businesses, cards, and FDX tokens and authorization requests
 * written exactly as Synctera sends them (snake_case, ISO timestamps); and
 * the default seed, with the ids of what it holds.
 *
 * This is the JSON form of each line's `Seed` schema: a seed file
 * (`synctera sandbox --seed file.json`) is one, and the model takes one.
 *
 * @since 0.3.0
 */
import type { FdxAuthRequestJson, FdxTokenJson } from "./wire.js"

/**
 * How a card answers widget token requests in the sandbox. These are sandbox
 * behaviours, not Synctera's `card_status` enum:
 *
 * - `active`: every widget type gets a fresh token (200).
 * - `forbidden`: the API key may not use this card (403 `FORBIDDEN`).
 * - `terminated`: the card is terminated (422 `CARD_TERMINATED`).
 * - `suspended`: the card is suspended (422 `CARD_SUSPENDED`).
 *
 * @since 0.3.0
 * @category seed
 */
export const cardStates = ["active", "forbidden", "terminated", "suspended"] as const

/**
 * One of {@link cardStates}.
 *
 * @since 0.3.0
 * @category seed
 */
export type CardState = (typeof cardStates)[number]

/**
 * A card of the sandbox: its id (a UUID) and how it behaves (default
 * `active`).
 *
 * @since 0.3.0
 * @category seed
 */
export interface SeedCardJson {
  readonly id: string
  readonly state?: CardState | undefined
}

/**
 * Everything the sandbox model starts with. The tenant's customers and
 * businesses are those listed and the owners of the seeded tokens and auth
 * requests.
 *
 * @since 0.3.0
 * @category seed
 */
export interface SeedJson {
  /** The tenant id put into every widget token. */
  readonly tenant: string
  /** The cards that exist; any other card id answers 404. */
  readonly cards: ReadonlyArray<SeedCardJson>
  /** The FDX tokens that exist, in full, in list order; any other id answers 404. */
  readonly fdx_tokens: ReadonlyArray<FdxTokenJson>
  /** Customers that a grant may name besides the owners of tokens and auth requests. Default: none. */
  readonly customers?: ReadonlyArray<string> | undefined
  /** Businesses, likewise. Default: none. */
  readonly businesses?: ReadonlyArray<string> | undefined
  /** The FDX authorization requests that exist, in list order. Default: none. */
  readonly fdx_auth_requests?: ReadonlyArray<FdxAuthRequestJson> | undefined
}

/**
 * The ids of {@link defaultSeedJson}, by what they are for. The `unknown` ones are
 * valid UUIDs that are *not* seeded (they answer 404, or a grant naming them is
 * refused).
 *
 * @since 0.3.0
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
 * How many bulk FDX tokens and auth requests {@link defaultSeedJson} has besides
 * the named ones, so that each list spans three pages at the default limit
 * (100).
 *
 * @since 0.3.0
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
): FdxTokenJson => ({
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
): FdxAuthRequestJson => ({
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
 * @since 0.3.0
 * @category seed
 */
export const defaultSeedJson: SeedJson = {
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
