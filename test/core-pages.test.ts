/**
 * The core's pagination, without Node's `Buffer`: its page tokens are the
 * ones the model made with `Buffer` before, and a token is accepted only as
 * the model wrote it (a mangled one is refused with a 400).
 */
import { describe, expect, it } from "@effect/vitest"
import { Buffer } from "node:buffer"
import { page } from "../src/core/model/Pages.js"

/** How the model made and read tokens with `Buffer`. */
const bufferToken = (offset: number): string => Buffer.from(`offset:${offset}`).toString("base64url")

const items = Array.from({ length: 1000 }, (_, i) => i)

/** The offset `page` reads from a token: that of its first item, or undefined for a 400. */
const offsetRead = (token: string): number | undefined => {
  const answer = page(items, { page_token: token, limit: "1" })
  return "_tag" in answer ? undefined : answer.items[0] ?? items.length
}

/** A small deterministic random source (a linear congruential generator), so that a failure repeats. */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31
  return seed / 2 ** 31
}

describe("the core's page tokens", () => {
  it("are the tokens Buffer made", () => {
    for (const offset of [0, 1, 2, 99, 100, 101, 999, 12345]) {
      const answer = page(Array.from({ length: offset + 2 }, (_, i) => i), {
        page_token: offset === 0 ? undefined : bufferToken(offset),
        limit: "1"
      })
      expect("_tag" in answer ? undefined : answer.next).toBe(bufferToken(offset + 1))
    }
  })

  it("are accepted only as the model wrote them: a mangled one is a 400, never a throw", () => {
    const ten = bufferToken(10)
    expect(offsetRead(ten)).toBe(10)
    for (const token of [`!${ten}`, `${ten}=`, `${ten} `, `${ten}A`, `\u0162${ten.slice(1)}`, `${ten}%3D`]) {
      expect([token, offsetRead(token)]).toEqual([token, undefined])
    }
    const next = random(42)
    const pick = <A>(from: ReadonlyArray<A>): A => from[Math.floor(next() * from.length)] ?? expect.unreachable()
    const noise = ["=", "==", "!", " ", "\n", ".", "-", "_", "+", "/", "A", "w", "é", "\u0162", "\u013d", "😀", "%3D"]
    for (let i = 0; i < 5000; i++) {
      const offset = Math.floor(next() * 1200)
      let token = bufferToken(offset)
      for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
        const at = Math.floor(next() * (token.length + 1))
        token = next() < 0.7
          ? token.slice(0, at) + pick(noise) + token.slice(at)
          : token.slice(0, at) + token.slice(at + 1)
      }
      // Whatever it became, the answer is a page or a 400: if a page, the token is one the model writes.
      const read = offsetRead(token)
      if (read !== undefined) expect(bufferToken(read)).toBe(token)
    }
  })

  it("refuse what is not a token, and limits out of range", () => {
    for (const token of ["", "offset:1", "b2Zmc2V0Oi0x", bufferToken(1001)]) expect(offsetRead(token)).toBeUndefined()
    for (const limit of ["0", "-1", "1.5", "ten", "1234567890"]) {
      expect(page(items, { limit })).toMatchObject({ status: 400, body: { invalid: ["limit"] } })
    }
    expect(page(items, { limit: "500" })).toMatchObject({ items: items.slice(0, 100), next: bufferToken(100) })
  })
})
