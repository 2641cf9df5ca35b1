/**
 * What the sandbox model starts with: a tenant, cards, and FDX tokens.
 *
 * A seed has a JSON form (the `Encoded` side of {@link Seed}): FDX tokens are
 * written exactly as Synctera sends them (snake_case, ISO timestamps), so a
 * seed file is also a set of example API answers. `synctera sandbox --seed
 * file.json` reads that form.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
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
  /** The FDX tokens that exist, in full; any other id answers 404. */
  fdxTokens: Schema.propertySignature(Schema.Array(FdxToken)).pipe(Schema.fromKey("fdx_tokens"))
}).annotations({ identifier: "Seed" })

/**
 * A decoded seed: the tenant, cards and FDX tokens a model starts with.
 *
 * @since 0.1.0
 * @category seed
 */
export type Seed = typeof Seed.Type

/**
 * The ids of {@link defaultSeed}, by what they are for. `cards.unknown` and
 * `fdxTokens.unknown` are valid UUIDs that are *not* seeded (they answer 404).
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
  customer: "a0000000-0000-4000-8000-00000000c001",
  business: "b0000000-0000-4000-8000-00000000b001"
} as const

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
    fdx(ids.fdxTokens.unrecognizedStatus, "SUSPENDED", "ACCESS", "customer")
  ]
}

/**
 * The default seed: tenant `sandbox_tenant`, a card in each
 * {@link CardState}, and FDX tokens of each status and type, owned by a
 * customer or a business. Its ids are in {@link sandboxIds}.
 *
 * @since 0.1.0
 * @category seed
 */
export const defaultSeed: Seed = Schema.decodeSync(Seed)(defaultSeedJson)
