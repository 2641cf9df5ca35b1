/**
 * The core's wire interfaces are the Effect 3 schemas' encoded types, field
 * for field: checked by the type checker (`tsc`), each pair both ways, so
 * that neither side gains, loses or retypes a field without the other.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type * as CoreOutcome from "../src/core/model/Outcome.js"
import type * as CoreSeed from "../src/core/model/Seed.js"
import type * as Wire from "../src/core/model/wire.js"
import type * as Outcome from "../src/model/Outcome.js"
import type { CardState, Seed, SeedCard } from "../src/model/Seed.js"
import type { AuthorizationTest } from "../src/schemas/AuthorizationTest.js"
import type { ErrorBody } from "../src/schemas/ErrorBody.js"
import type { FdxAuthGrant } from "../src/schemas/FdxAuthGrant.js"
import type { FdxAuthRequest } from "../src/schemas/FdxAuthRequest.js"
import type { FdxAuthRequestPage, FdxTokenPage } from "../src/schemas/FdxPages.js"
import type { FdxToken } from "../src/schemas/FdxToken.js"
import type { WidgetToken } from "../src/schemas/WidgetToken.js"

describe("the core's wire types", () => {
  it("are the encoded types of the Effect 3 schemas", () => {
    expectTypeOf<Wire.ErrorBodyJson>().toEqualTypeOf<typeof ErrorBody.Encoded>()
    expectTypeOf<Wire.FdxTokenJson>().toEqualTypeOf<FdxToken.Json>()
    expectTypeOf<Wire.FdxAuthRequestJson>().toEqualTypeOf<FdxAuthRequest.Json>()
    expectTypeOf<Wire.FdxTokenPageJson>().toEqualTypeOf<FdxTokenPage.Json>()
    expectTypeOf<Wire.FdxAuthRequestPageJson>().toEqualTypeOf<FdxAuthRequestPage.Json>()
    expectTypeOf<Wire.WidgetTokenJson>().toEqualTypeOf<WidgetToken.Json>()
    expectTypeOf<Wire.AuthorizationTestJson>().toEqualTypeOf<AuthorizationTest.Json>()
    expectTypeOf<Wire.FdxAuthGrantJson>().toEqualTypeOf<FdxAuthGrant.Json>()
  })

  it("give the seed's JSON form", () => {
    expectTypeOf<CoreSeed.SeedJson>().toEqualTypeOf<typeof Seed.Encoded>()
    expectTypeOf<CoreSeed.SeedCardJson>().toEqualTypeOf<typeof SeedCard.Encoded>()
    expectTypeOf<CoreSeed.CardState>().toEqualTypeOf<CardState>()
  })

  it("are what the Effect 3 line's model gives (an error body is ErrorBody's, with missing and invalid)", () => {
    expectTypeOf<Outcome.WireError>().toEqualTypeOf<CoreOutcome.WireError>()
    // An interface and an intersection are not identical types, but each is the other.
    type AsBefore = typeof ErrorBody.Encoded & {
      readonly missing?: ReadonlyArray<string>
      readonly invalid?: ReadonlyArray<string>
    }
    expectTypeOf<Outcome.WireError>().toExtend<AsBefore>()
    expectTypeOf<AsBefore>().toExtend<Outcome.WireError>()
    expectTypeOf<keyof Outcome.WireError>().toEqualTypeOf<keyof AsBefore>()
  })
})
