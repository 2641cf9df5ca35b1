/**
 * What the sandbox model starts with: a tenant, its customers and businesses,
 * cards, FDX tokens and FDX authorization requests.
 *
 * A seed has a JSON form (the `Encoded` side of {@link Seed}): FDX tokens are
 * written exactly as Synctera sends them (snake_case, ISO timestamps), so a
 * seed file is also a set of example API answers. `synctera sandbox --seed
 * file.json` reads that form. The Effect-free core (`core/model/Seed`) holds
 * the default seed in that form, and the model takes a seed in it; this
 * module gives the schema, and the default seed decoded (its timestamps as
 * Effect 4 `DateTime.Utc` values).
 *
 * @since 0.3.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { cardStates, defaultSeedJson as coreDefaultSeedJson } from "../../../src/core/model/Seed.js"
import { uuidPattern } from "../../../src/core/rules.js"
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
 * @example
 * ```ts
 * import { CardState } from "effect-synctera/effect4/testing"
 * import { Schema } from "effect"
 *
 * Schema.is(CardState)("suspended") // true
 * ```
 *
 * @since 0.3.0
 * @category seed
 */
export const CardState = Schema.Literals(cardStates).annotate({ identifier: "CardState" })

/**
 * How a sandbox card answers widget token requests.
 *
 * @since 0.3.0
 * @category seed
 */
export type CardState = typeof CardState.Type

/**
 * A UUID as the Effect 3 line's seed reads one (`Schema.UUID`: any 8-4-4-4-12
 * hex string; Effect 4's `isUUID` would also require an RFC version and
 * variant, and refuse seed files the Effect 3 line takes).
 */
const Uuid = Schema.String.check(Schema.isPattern(uuidPattern, { expected: "a UUID" }))

/** An optional array that decodes to `[]` when absent (or `undefined`). */
const arrayOrEmpty = <S extends Schema.Top>(item: S) =>
  Schema.Array(item).pipe(Schema.withDecodingDefault(Effect.succeed([])))

/**
 * A card of the sandbox: its id (a UUID) and how it behaves. `state` defaults
 * to `active` in the JSON form.
 *
 * @since 0.3.0
 * @category seed
 */
export const SeedCard = Schema.Struct({
  /** The card id, a UUID. */
  id: Uuid,
  /** How the card answers widget token requests. */
  state: CardState.pipe(Schema.withDecodingDefault(Effect.succeed("active" as const)))
}).annotate({ identifier: "SeedCard" })

/**
 * A card of the sandbox, decoded.
 *
 * @since 0.3.0
 * @category seed
 */
export type SeedCard = typeof SeedCard.Type

/**
 * Everything the sandbox model starts with.
 *
 * @example
 * ```ts
 * import { Seed } from "effect-synctera/effect4/testing"
 * import { Schema } from "effect"
 *
 * const seed = Schema.decodeUnknownSync(Seed)({
 *   tenant: "my_tenant",
 *   cards: [{ id: "0a0a0a0a-0000-4000-8000-000000000001" }],
 *   fdx_tokens: []
 * })
 * // seed.cards[0].state === "active"; seed.customers, seed.fdxAuthRequests: []
 * ```
 *
 * @since 0.3.0
 * @category seed
 */
export const Seed = Schema.Struct({
  /** The tenant id put into every widget token. */
  tenant: Schema.String,
  /** The cards that exist; any other card id answers 404. */
  cards: Schema.Array(SeedCard),
  /** The FDX tokens that exist, in full, in list order; any other id answers 404. */
  fdxTokens: Schema.Array(FdxToken),
  /**
   * The tenant's customers that a grant may name, besides the owners of the
   * seeded tokens and auth requests (who are the tenant's too). Default: none.
   */
  customers: arrayOrEmpty(Uuid),
  /** The tenant's businesses, likewise. */
  businesses: arrayOrEmpty(Uuid),
  /** The FDX authorization requests that exist, in list order. Default: none. */
  fdxAuthRequests: arrayOrEmpty(FdxAuthRequest)
}).pipe(
  Schema.encodeKeys({ fdxTokens: "fdx_tokens", fdxAuthRequests: "fdx_auth_requests" })
).annotate({ identifier: "Seed" })

/**
 * A decoded seed: the tenant, cards and FDX tokens a model starts with.
 *
 * @since 0.3.0
 * @category seed
 */
export type Seed = typeof Seed.Type

export {
  /**
   * How many bulk FDX tokens and auth requests {@link defaultSeed} has
   * besides the named ones, so that each list spans three pages at the
   * default limit (100).
   *
   * @since 0.3.0
   * @category seed
   */
  bulkCount,
  /**
   * The ids of {@link defaultSeed}, by what they are for. The `unknown` ones
   * are valid UUIDs that are *not* seeded (they answer 404, or a grant naming
   * them is refused).
   *
   * @since 0.3.0
   * @category seed
   */
  sandboxIds
} from "../../../src/core/model/Seed.js"

/**
 * The default seed, in its JSON form: what `synctera sandbox` serves when no
 * `--seed` file is given, and a template for writing one.
 *
 * @since 0.3.0
 * @category seed
 */
export const defaultSeedJson: typeof Seed.Encoded = coreDefaultSeedJson

/**
 * The default seed: tenant `sandbox_tenant`, a card in each
 * {@link CardState}, FDX tokens of each status and type, owned by a customer
 * or a business, auth requests in each status (one expired), and enough bulk
 * tokens and requests for three pages of each list. Its ids are in
 * {@link sandboxIds}.
 *
 * @example
 * ```ts
 * import { defaultSeed, sandboxIds } from "effect-synctera/effect4/testing"
 *
 * const active = defaultSeed.cards.find((card) => card.id === sandboxIds.cards.active) // state: "active"
 * ```
 *
 * @since 0.3.0
 * @category seed
 */
export const defaultSeed: Seed = Schema.decodeSync(Seed)(defaultSeedJson)
