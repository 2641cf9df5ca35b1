// The list the bench server serves at GET /v1/fdx_tokens, also decoded alone
// by micro.ts: 10,000 distinct FDX tokens (bodies.json's token, with its own
// id, hash and type), in 100 pages of 100. The page token is the offset of
// the page it names ("100", "200", …); the first page has none, the last no
// next_page_token.
export const TOKENS = 10_000
export const PAGE = 100

/** The pages' wire bodies (objects), from bodies.json's `fdxToken`. */
export const fdxTokenPages = (fdxToken) =>
  Array.from({ length: TOKENS / PAGE }, (_, page) => {
    const offset = page * PAGE
    const tokens = Array.from({ length: PAGE }, (_, i) => {
      const n = offset + i
      return {
        ...fdxToken,
        id: `3c90c3cc-0d44-4b50-8888-${n.toString(16).padStart(12, "0")}`,
        token_hash: n.toString(16).padStart(8, "0"),
        token_type: n % 2 === 0 ? "ACCESS" : "REFRESH"
      }
    })
    return offset + PAGE < TOKENS
      ? { fdx_tokens: tokens, next_page_token: String(offset + PAGE) }
      : { fdx_tokens: tokens }
  })
