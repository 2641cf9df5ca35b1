/**
 * HTML that is escaped by construction: every value interpolated into an
 * {@link html} template is escaped, unless it is itself {@link Html} (made by
 * another template). So a value from the request (an `auth_request_id`, a
 * username) or from Synctera can never become markup on these pages.
 */

const HtmlTypeId: unique symbol = Symbol.for("core-exchange-login/Html")

/** A piece of HTML, safe to put into a page as it is. */
export interface Html {
  readonly [HtmlTypeId]: typeof HtmlTypeId
  readonly value: string
}

/** What a template takes: text (escaped), numbers, HTML, lists of HTML, or nothing. */
export type Interpolated = string | number | Html | ReadonlyArray<Html> | undefined

const escapes: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&#39;"
}

/** Escapes text for an element's content or a quoted attribute value. */
export const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c)

const make = (value: string): Html => ({ [HtmlTypeId]: HtmlTypeId, value })

const isHtml = (value: Interpolated): value is Html =>
  typeof value === "object" && !Array.isArray(value) && HtmlTypeId in value

const render = (value: Interpolated): string => {
  if (value === undefined) return ""
  if (typeof value === "number") return String(value)
  if (typeof value === "string") return escape(value)
  if (isHtml(value)) return value.value
  return value.map((item) => item.value).join("")
}

/** The template tag: `` html`<p>${name}</p>` `` escapes `name`. */
export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<Interpolated>): Html =>
  make(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ""), ""))
