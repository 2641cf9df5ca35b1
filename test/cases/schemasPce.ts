/**
 * The schema tables (see `schemas.ts`) of the Plaid Core Exchange schemas:
 * the FDX authorization request, the pages of tokens and of requests, the
 * grant's body and answer, and the authorization test. Wire snake_case to
 * camelCase, RFC 3339 to UTC, open response enums, closed request enums,
 * `null` read as absent, the grant body's owner rule.
 *
 * No Effect here, and nothing from either line.
 */
import type {
  AuthorizationTestJson,
  FdxAuthGrantJson,
  FdxAuthRequestPageJson,
  FdxTokenPageJson
} from "../../src/core/model/wire.js"
import type { Decodes, EncodeRefuses, Encodes, Refuses, Tables } from "./schemas.js"
import {
  authRequestBody,
  authRequestDomain,
  authRequestId,
  businessId,
  customerId,
  empty,
  fdxTokenBody,
  fdxTokenDomain,
  inheritedFieldGap,
  inheriting,
  issues,
  knownLists,
  missing,
  notA,
  notATimestamp,
  notTheShape,
  optionalNotA,
  without
} from "./schemas.js"

/** A page of two tokens, and a next page. */
export const fdxTokenPageBody = {
  fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, status: "REVOKED", token_type: "REFRESH" }],
  next_page_token: "a8937a0d"
} satisfies FdxTokenPageJson

/** {@link fdxTokenPageBody}, decoded. */
export const fdxTokenPageDomain = {
  fdxTokens: [fdxTokenDomain, { ...fdxTokenDomain, status: "REVOKED", tokenType: "REFRESH" }],
  nextPageToken: "a8937a0d"
}

/** A page whose second token is broken: its `token_type` is 5. */
export const brokenFdxTokenPageBody = { fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, token_type: 5 }] }

/** The three ways a page says it is the last. */
const lastPage = [{}, { next_page_token: null }, { next_page_token: "" }] as const

/** The authorization request's wire keys but its two required ones, and its domain keys. */
const optionalAuthRequestFields: Readonly<Record<string, string>> = {
  business_id: "businessId",
  code: "code",
  creation_time: "creationTime",
  customer_id: "customerId",
  expiry_time: "expiryTime",
  last_updated_time: "lastUpdatedTime",
  oauth2_state: "oauth2State",
  redirect_uri: "redirectUri",
  tenant: "tenant"
}

const authRequestCases = {
  decodes: [
    {
      note: "every field, renamed to camelCase, the timestamps in UTC",
      wire: authRequestBody,
      domain: authRequestDomain,
      encoded: authRequestBody
    },
    {
      note: "id and status alone, as the spec allows",
      wire: { id: authRequestId, status: "GRANTED" },
      domain: { id: authRequestId, status: "GRANTED" },
      encoded: { id: authRequestId, status: "GRANTED" }
    },
    ...Object.keys(authRequestBody).flatMap((key) => {
      const field = optionalAuthRequestFields[key]
      return field === undefined ? [] : [{
        note: `without the optional ${key}`,
        wire: without(authRequestBody, key),
        domain: without(authRequestDomain, field),
        encoded: without(authRequestBody, key)
      }]
    }),
    {
      note: "every optional field null, as absent",
      wire: {
        ...authRequestBody,
        ...Object.fromEntries(Object.keys(optionalAuthRequestFields).map((key) => [key, null]))
      },
      domain: { id: authRequestId, status: "PENDING" },
      encoded: { id: authRequestId, status: "PENDING" }
    },
    {
      note: "an optional field its prototype has: only own fields are read",
      wire: inheriting({ code: "from-a-prototype" }, { id: authRequestId, status: "USED" }),
      domain: { id: authRequestId, status: "USED" },
      encoded: { id: authRequestId, status: "USED" },
      differs: {
        effect4: {
          domain: { id: authRequestId, status: "USED", code: "from-a-prototype" },
          encoded: { id: authRequestId, status: "USED", code: "from-a-prototype" }
        },
        why: inheritedFieldGap
      }
    },
    {
      note: "unknown fields, ignored",
      wire: { ...authRequestBody, scopes: ["accounts"], extra: 1 },
      domain: authRequestDomain,
      encoded: authRequestBody
    },
    {
      note: "an offset timestamp: the same instant, in UTC",
      wire: { ...authRequestBody, creation_time: "2010-05-06T14:23:34.321+02:00" },
      domain: authRequestDomain,
      encoded: authRequestBody
    },
    ...[...knownLists.knownFdxAuthRequestStatuses, "EXPIRED"].map((status) => ({
      note: `the status ${status}, known or passed through`,
      wire: { ...authRequestBody, status },
      domain: { ...authRequestDomain, status },
      encoded: { ...authRequestBody, status }
    }))
  ].map((decodes): Decodes => ({ schema: "FdxAuthRequest", ...decodes })),
  refuses: [
    ...["id", "status"].map((key) => ({
      note: `without the required ${key}`,
      wire: without(authRequestBody, key),
      error: missing(key)
    })),
    { note: "a status alone", wire: { status: "PENDING" }, error: missing("id") },
    { note: "a status not a string", wire: { ...authRequestBody, status: 5 }, error: notA("status", "string", 5) },
    {
      note: "an optional field not a string",
      wire: { ...authRequestBody, tenant: 5 },
      error: optionalNotA("tenant", "string", 5)
    },
    {
      note: "a timestamp not a date",
      wire: { ...authRequestBody, expiry_time: "yesterday" },
      error: notATimestamp("expiry_time", "yesterday")
    },
    {
      note: "a timestamp out of range",
      wire: { ...authRequestBody, last_updated_time: "2010-13-45T99:00:00Z" },
      error: notATimestamp("last_updated_time", "2010-13-45T99:00:00Z")
    },
    {
      note: "an id not a UUID",
      wire: { ...authRequestBody, id: "not-a-uuid" },
      error: "id: an FDX authorization request id must be a UUID"
    },
    {
      note: "an array",
      wire: [authRequestBody],
      error: notTheShape(
        "FdxAuthRequest.Json",
        /^Expected \{ readonly id: string; readonly status: string; .*actual \[/
      )
    },
    {
      note: "null",
      wire: null,
      error: notTheShape("FdxAuthRequest.Json", /^Expected \{ readonly id: string; .*actual null$/)
    }
  ].map((refuses): Refuses => ({ schema: "FdxAuthRequest", ...refuses }))
}

const fdxTokenPageCases = {
  decodes: [
    {
      note: "every token as FdxToken decodes it, and the next page token",
      wire: fdxTokenPageBody,
      domain: fdxTokenPageDomain,
      encoded: fdxTokenPageBody
    },
    ...lastPage.map((next) => ({
      note: `${JSON.stringify(next)}: the last page`,
      wire: { fdx_tokens: [fdxTokenBody], ...next },
      domain: { fdxTokens: [fdxTokenDomain] },
      encoded: { fdx_tokens: [fdxTokenBody] }
    })),
    { note: "an empty page", wire: { fdx_tokens: [] }, domain: { fdxTokens: [] }, encoded: { fdx_tokens: [] } },
    {
      note: "an unknown token status passed through, unknown fields ignored",
      wire: { fdx_tokens: [{ ...fdxTokenBody, status: "SUSPENDED", scope: "x" }], total: 1 },
      domain: { fdxTokens: [{ ...fdxTokenDomain, status: "SUSPENDED" }] },
      encoded: { fdx_tokens: [{ ...fdxTokenBody, status: "SUSPENDED" }] }
    }
  ].map((decodes): Decodes => ({ schema: "FdxTokenPage", ...decodes })),
  refuses: [
    {
      note: "a broken token, at its index",
      wire: brokenFdxTokenPageBody,
      error: notA("fdx_tokens.1.token_type", "string", 5)
    },
    {
      note: "a token id not a UUID",
      wire: { fdx_tokens: [fdxTokenBody, { ...fdxTokenBody, id: "not-a-uuid" }] },
      error: "fdx_tokens.1.id: an FDX token id must be a UUID"
    },
    {
      note: "a token's timestamp not a date",
      wire: { fdx_tokens: [{ ...fdxTokenBody, creation_time: "yesterday" }] },
      error: notATimestamp("fdx_tokens.0.creation_time", "yesterday")
    },
    {
      note: "a next page token not a string",
      wire: { fdx_tokens: [fdxTokenBody], next_page_token: 4 },
      error: optionalNotA("next_page_token", "string", 4)
    },
    {
      note: "a token where the array should be",
      wire: { fdx_tokens: fdxTokenBody },
      error: {
        effect3: /^fdx_tokens: Expected ReadonlyArray<FdxToken\.Json>, actual \{/,
        effect4: "fdx_tokens: Expected array",
        why: "Effect 3's formatter prints the array's whole type and the value, Effect 4's says `array`"
      }
    },
    { note: "no fdx_tokens", wire: { tokens: [] }, error: missing("fdx_tokens") },
    {
      note: "a string",
      wire: "page",
      error: notTheShape(
        "FdxTokenPage.Json",
        /^Expected \{ readonly fdx_tokens: ReadonlyArray<FdxToken\.Json>; .*actual "page"$/
      )
    },
    {
      note: "every broken token, asked for all errors",
      wire: {
        fdx_tokens: [{ ...fdxTokenBody, id: "x" }, fdxTokenBody, { ...fdxTokenBody, token_expiry_time: "soon" }]
      },
      allErrors: true,
      error: issues(
        "fdx_tokens.0.id: an FDX token id must be a UUID",
        notATimestamp("fdx_tokens.2.token_expiry_time", "soon")
      )
    }
  ].map((refuses): Refuses => ({ schema: "FdxTokenPage", ...refuses }))
}

const authRequestPageCases = {
  decodes: [
    {
      note: "every request as FdxAuthRequest decodes it, and the next page token",
      wire: {
        fdx_auth_requests: [authRequestBody, { id: authRequestId, status: "DENIED", customer_id: null }],
        next_page_token: "a8937a0d"
      },
      domain: {
        fdxAuthRequests: [authRequestDomain, { id: authRequestId, status: "DENIED" }],
        nextPageToken: "a8937a0d"
      },
      encoded: {
        fdx_auth_requests: [authRequestBody, { id: authRequestId, status: "DENIED" }],
        next_page_token: "a8937a0d"
      } satisfies FdxAuthRequestPageJson
    },
    ...lastPage.map((next) => ({
      note: `${JSON.stringify(next)}: the last page`,
      wire: { fdx_auth_requests: [], ...next },
      domain: { fdxAuthRequests: [] },
      encoded: { fdx_auth_requests: [] }
    }))
  ].map((decodes): Decodes => ({ schema: "FdxAuthRequestPage", ...decodes })),
  refuses: [
    {
      note: "a broken request, at its index",
      wire: { fdx_auth_requests: [authRequestBody, { id: authRequestId }] },
      error: missing("fdx_auth_requests.1.status")
    },
    {
      note: "a request's timestamp not a date",
      wire: { fdx_auth_requests: [{ ...authRequestBody, expiry_time: "later" }] },
      error: notATimestamp("fdx_auth_requests.0.expiry_time", "later")
    },
    { note: "no fdx_auth_requests", wire: { fdx_tokens: [] }, error: missing("fdx_auth_requests") },
    {
      note: "every broken request, asked for all errors",
      wire: {
        fdx_auth_requests: [{ ...authRequestBody, id: "x" }, authRequestBody, {
          ...authRequestBody,
          expiry_time: "later"
        }]
      },
      allErrors: true,
      error: issues(
        "fdx_auth_requests.0.id: an FDX authorization request id must be a UUID",
        notATimestamp("fdx_auth_requests.2.expiry_time", "later")
      )
    }
  ].map((refuses): Refuses => ({ schema: "FdxAuthRequestPage", ...refuses }))
}

/** The grant body's answers: a caller's camelCase input as the snake_case JSON body (no key for an id not given). */
const grantBodyCases = {
  encodes: [
    {
      note: "GRANTED for a customer",
      domain: { authRequestId, status: "GRANTED", customerId },
      wire: { auth_request_id: authRequestId, status: "GRANTED", customer_id: customerId }
    },
    {
      note: "GRANTED for a business",
      domain: { authRequestId, status: "GRANTED", businessId },
      wire: { auth_request_id: authRequestId, status: "GRANTED", business_id: businessId }
    },
    {
      // No key for an id not given (not even `undefined`: JSON.stringify would drop it, a strict server might not).
      note: "DENIED for no one",
      domain: { authRequestId, status: "DENIED" },
      wire: { auth_request_id: authRequestId, status: "DENIED" },
      text: `{"auth_request_id":"${authRequestId}","status":"DENIED"}`
    },
    {
      note: "ERROR for a customer",
      domain: { authRequestId, status: "ERROR", customerId },
      wire: { auth_request_id: authRequestId, status: "ERROR", customer_id: customerId },
      text: `{"auth_request_id":"${authRequestId}","status":"ERROR","customer_id":"${customerId}"}`
    }
  ].map((encodes): Encodes => ({ schema: "FdxAuthGrantBody", ...encodes })),
  encodeRefuses: [
    {
      note: "a request id not a UUID",
      domain: { authRequestId: "x", status: "GRANTED", customerId },
      error: "authRequestId: an FDX authorization request id must be a UUID"
    },
    {
      note: "a customer id not a UUID",
      domain: { authRequestId, status: "GRANTED", customerId: "../customers" },
      error: "customerId: a customer id must be a UUID"
    },
    {
      note: "a business id not a UUID",
      domain: { authRequestId, status: "GRANTED", businessId: "b" },
      error: "businessId: a business id must be a UUID"
    },
    {
      note: "a status a grant does not give",
      domain: { authRequestId, status: "PENDING", customerId },
      error: "status: a grant status must be GRANTED, DENIED or ERROR"
    },
    {
      note: "GRANTED for no one",
      domain: { authRequestId, status: "GRANTED" },
      error: "a GRANTED request needs the customerId or businessId it is granted for"
    },
    {
      note: "GRANTED for a customer and a business",
      domain: { authRequestId, status: "GRANTED", customerId, businessId },
      error: "give a customerId or a businessId, not both"
    },
    {
      note: "DENIED for a customer and a business",
      domain: { authRequestId, status: "DENIED", customerId, businessId },
      error: "give a customerId or a businessId, not both"
    },
    { note: "no request id", domain: { status: "GRANTED", customerId }, error: missing("authRequestId") }
  ].map((refuses): EncodeRefuses => ({ schema: "FdxAuthGrantBody", ...refuses }))
}

/** The grant's answer, and the authorization test's. */
const grant = { redirect_uri: "https://plaid.example/cb" } satisfies FdxAuthGrantJson
const authorizationTest = {
  redirect_url: `https://fintech.example/plaid/auth?auth_request_id=${authRequestId}`
} satisfies AuthorizationTestJson

/** The Plaid Core Exchange schemas' cases. */
export const pceTables: Tables = {
  decodes: [
    ...authRequestCases.decodes,
    ...fdxTokenPageCases.decodes,
    ...authRequestPageCases.decodes,
    {
      schema: "FdxAuthGrantBody",
      note: "the wire body too (a server reading it)",
      wire: { auth_request_id: authRequestId, status: "DENIED" },
      domain: { authRequestId, status: "DENIED" },
      encoded: { auth_request_id: authRequestId, status: "DENIED" }
    },
    {
      schema: "FdxAuthGrant",
      note: "redirect_uri, an unknown field ignored",
      wire: { ...grant, state: "s" },
      domain: { redirectUri: grant.redirect_uri },
      encoded: grant
    },
    {
      schema: "AuthorizationTest",
      note: "redirect_url, an unknown field ignored",
      wire: { ...authorizationTest, other: 1 },
      domain: { redirectUrl: authorizationTest.redirect_url },
      encoded: authorizationTest
    },
    ...[{}, { redirect_url: null }].map((wire): Decodes => ({
      schema: "AuthorizationTest",
      note: `${JSON.stringify(wire)}: no redirect_url (the spec does not require it)`,
      wire,
      domain: {},
      encoded: {}
    }))
  ],
  refuses: [
    ...authRequestCases.refuses,
    ...fdxTokenPageCases.refuses,
    ...authRequestPageCases.refuses,
    {
      schema: "FdxAuthGrantBody",
      note: "a wire status a grant does not give",
      wire: { auth_request_id: authRequestId, status: "MAYBE" },
      error: "status: a grant status must be GRANTED, DENIED or ERROR"
    },
    {
      schema: "FdxAuthGrantBody",
      note: "a wire GRANTED for no one: the owner rule holds both ways",
      wire: { auth_request_id: authRequestId, status: "GRANTED" },
      error: "a GRANTED request needs the customerId or businessId it is granted for"
    },
    {
      schema: "FdxAuthGrant",
      note: "no redirect_uri (the spec requires it)",
      wire: {},
      error: missing("redirect_uri")
    },
    {
      schema: "FdxAuthGrant",
      note: "a null redirect_uri",
      wire: { redirect_uri: null },
      error: notA("redirect_uri", "string", null)
    },
    {
      schema: "AuthorizationTest",
      note: "a redirect_url not a string",
      wire: { redirect_url: 5 },
      error: optionalNotA("redirect_url", "string", 5)
    }
  ],
  encodes: grantBodyCases.encodes,
  encodeRefuses: [
    ...grantBodyCases.encodeRefuses,
    {
      schema: "FdxTokenPage",
      note: "an empty next page token",
      domain: { fdxTokens: [], nextPageToken: "" },
      error: empty("nextPageToken")
    },
    {
      schema: "FdxAuthRequestPage",
      note: "an empty next page token",
      domain: { fdxAuthRequests: [], nextPageToken: "" },
      error: empty("nextPageToken")
    }
  ],
  memberships: [
    {
      schema: "FdxTokenPage",
      side: "type",
      note: "a page given on the domain side, checked in full",
      accepts: [{ fdxTokens: [] }],
      refuses: [{ fdxTokens: [], nextPageToken: "" }, { fdxTokens: [{}] }, { fdxTokens: [{ id: "not a token" }] }]
    },
    {
      schema: "FdxTokenPage",
      side: "wire",
      note: "each token's wire shape, checked",
      accepts: [fdxTokenPageBody, { fdx_tokens: [] }],
      refuses: [{ fdx_tokens: [{ ...fdxTokenBody, token_hash: null }] }, { fdx_tokens: [1] }]
    },
    {
      schema: "FdxAuthRequestPage",
      side: "type",
      note: "a page given on the domain side, checked in full",
      accepts: [{ fdxAuthRequests: [] }],
      refuses: [{ fdxAuthRequests: [], nextPageToken: "" }, { fdxAuthRequests: [{ id: "x", status: "PENDING" }] }]
    }
  ],
  jsonSchemaKeys: [
    { schema: "FdxAuthRequest", mentions: Object.keys(authRequestBody), omits: ["oauth2State"] },
    {
      schema: "FdxTokenPage",
      mentions: ["fdx_tokens", "next_page_token", ...Object.keys(fdxTokenBody)],
      omits: ["fdxTokens"]
    }
  ]
}
