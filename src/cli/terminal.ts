/**
 * Colour and line width of what `@effect/cli` prints (help, usage errors).
 *
 * Why here and not in `CliConfig`: `@effect/cli` 0.77 renders every help doc
 * with `Doc.render(doc, { style: "pretty" })` and no options, so its ANSI
 * styles are always on (whatever the stream, `NO_COLOR` or `TERM`), and its
 * text is one `Doc.text` per paragraph, so a line width would not break it
 * anyway. What it prints goes through `Console.log` (stdout) and
 * `Console.error` (stderr): the one place to decide is a `Console` that
 * rewrites those strings for the stream they go to.
 *
 * @since 0.2.0
 */
import type * as Console from "effect/Console"

/**
 * How text is written to one stream.
 *
 * @since 0.2.0
 * @category models
 */
export interface Style {
  readonly colour: boolean
  readonly width: number
}

/** Help prose and usage lines beyond this are hard to read, however wide the terminal. */
const maxWidth = 100

/**
 * The one rule. Colour: never with `NO_COLOR` set to a non-empty value
 * (no-color.org, and it wins over everything); else as `FORCE_COLOR` says,
 * when it is set (`0` or `false`: off, anything else: on, as in Node and
 * chalk), even on a pipe; else only on a terminal that is not `TERM=dumb`.
 * Width: the terminal's, up to 100 columns; 100 when it is not a terminal
 * (a pipe, a file) or tells none.
 *
 * @since 0.2.0
 * @category style
 */
export const styleOf = (
  stream: { readonly isTTY?: boolean; readonly columns?: number },
  env: Readonly<Record<string, string | undefined>> = process.env
): Style => {
  const force = env["FORCE_COLOR"]
  const forced = force === undefined ? undefined : force !== "0" && force !== "false"
  const colour = !env["NO_COLOR"] && (forced ?? (stream.isTTY === true && env["TERM"] !== "dumb"))
  const columns = stream.isTTY === true && stream.columns ? stream.columns : maxWidth
  return { colour, width: Math.min(columns, maxWidth) }
}

// Select Graphic Rendition, the only escapes @effect/printer-ansi writes; and
// a word to wrap: a `[...]` group (not across an escape), or any run of
// non-spaces.
// eslint-disable-next-line no-control-regex
const sgr = /\x1b\[[0-9;]*m/g
// eslint-disable-next-line no-control-regex
const words = /\[[^\]\x1b]*\]\S*|\S+/g

const visible = (text: string): number => text.replace(sgr, "").length

/**
 * A line longer than `width` broken at spaces. A gap of two or more spaces (a
 * padded column) always breaks; a `[...]` group stays whole; continuation
 * lines are indented to the text after a leading `- ` or `$ `.
 */
const wrapLine = (line: string, width: number): string => {
  if (visible(line) <= width) return line
  const lead = /^ *(?:[-$] )?/.exec(line)![0]
  const indent = " ".repeat(lead.length)
  const lines: Array<string> = []
  let current = lead
  let empty = true
  for (const column of line.slice(lead.length).split(/ {2,}/)) {
    for (const word of column.match(words) ?? []) {
      if (!empty && visible(current) + 1 + visible(word) > width) {
        lines.push(current)
        current = indent
        empty = true
      }
      current += empty ? word : ` ${word}`
      empty = false
    }
    if (!empty) {
      lines.push(current)
      current = indent
      empty = true
    }
  }
  return lines.join("\n")
}

/**
 * `text` as written with `style`: escapes kept or removed, long lines wrapped.
 *
 * @since 0.2.0
 * @category style
 */
export const terminalText = (text: string, style: Style): string =>
  (style.colour ? text : text.replace(sgr, "")).split("\n").map((line) => wrapLine(line, style.width)).join("\n")

/**
 * `console` with string arguments of `log` (stdout) and `error` (stderr)
 * styled for their stream: what `@effect/cli` prints runs with it.
 *
 * @since 0.2.0
 * @category style
 */
export const terminalConsole = (base: Console.Console): Console.Console => {
  const styled = (stream: NodeJS.WriteStream) => (args: ReadonlyArray<unknown>) => {
    const style = styleOf(stream)
    return args.map((arg) => typeof arg === "string" ? terminalText(arg, style) : arg)
  }
  const out = styled(process.stdout)
  const err = styled(process.stderr)
  return { ...base, log: (...args) => base.log(...out(args)), error: (...args) => base.error(...err(args)) }
}
