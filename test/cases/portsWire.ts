/**
 * Wire bodies for the ports' shared cases (`retryTiming.ts`, `configCases.ts`,
 * `layerNodeCases.ts`, …), taken from the sandbox seed of the Effect-free core
 * (`src/core/model/Seed.ts`) rather than written again: a card, an FDX token,
 * and the bodies Synctera answers with for them. Both lines' drivers send
 * these from their scripted servers and transports.
 */
import { defaultSeedJson, sandboxIds } from "../../src/core/model/Seed.js"
import type { FdxTokenJson } from "../../src/core/model/wire.js"

/** The seed's active card. */
export const cardId = sandboxIds.cards.active

/** The seed's ENABLED ACCESS token. */
export const fdxTokenId = sandboxIds.fdxTokens.enabledAccess

/** `GET /cards/{id}/widget_token`'s answer. */
export const widgetTokenBody = { tenant: defaultSeedJson.tenant, widget_token: "0b0319e2-d5f4-49cb-b426-9ff9b2e96969" }

const seeded: FdxTokenJson | undefined = defaultSeedJson.fdx_tokens.find((token) => token.id === fdxTokenId)
if (seeded === undefined) throw new Error(`the seed has no FDX token ${fdxTokenId}`)

/** `GET /fdx_tokens/{id}`'s answer (a copy: an object type, which a JSON body is). */
export const fdxTokenBody = { ...seeded }
