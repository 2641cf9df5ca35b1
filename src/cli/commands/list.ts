/**
 * The list commands, built once: `synctera <list> [--limit N] [--all |
 * --page-token T] [--json]`.
 *
 * - Without `--all`: one page (the first, or the one after `--page-token`).
 *   Text: a header, a row per item, then `next page token: T` (or
 *   `last page`). `--json`: a JSON line per item, in the API's snake_case,
 *   then a last line `{"next_page_token":"T"}`, or `{"next_page_token":null}`
 *   on the last page: the page as the API sends it, one line per item.
 * - `--all`: every page, through the operation's stream: each page is asked
 *   for when the one before has been printed, so rows come as pages arrive
 *   (nothing is collected). Text: the rows, then a count. `--json`: item
 *   lines only. A page that fails ends the output with the error, after the
 *   items before it.
 * - `--all` with `--page-token`: a usage error (exit 2).
 *
 * @since 0.2.0
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { SyncteraError } from "../../errors/SyncteraError.js"
import type { ListRequest, StreamRequest, Synctera } from "../../Synctera.js"
import { reported } from "../failure.js"
import { type Column, headerLine, rowLine } from "../format.js"
import { liveDescription, type OperationRoute, SyncteraFromEnv } from "./live.js"
import { json } from "./options.js"

/**
 * One page of a list, whatever the list calls its items.
 *
 * @since 0.2.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextPageToken?: string | undefined
}

/**
 * What makes a list command: its name and items, the operation (for its
 * description), how to read a page and every page, and how to show an item.
 *
 * @since 0.2.0
 * @category models
 */
export interface ListSpec<A> {
  /** The command's name: `fdx-tokens`. */
  readonly name: string
  /** What the items are, in the plural: `FDX tokens`. */
  readonly noun: string
  /** The list operation, for the help. */
  readonly operation: OperationRoute
  readonly page: (request: ListRequest) => Effect.Effect<Page<A>, SyncteraError, Synctera>
  readonly stream: (request: StreamRequest) => Stream.Stream<A, SyncteraError, Synctera>
  /** An item as one line of the API's JSON. */
  readonly json: (item: A) => string
  /** An item as one row of the text table. */
  readonly columns: ReadonlyArray<Column<A>>
}

const limit = Options.integer("limit").pipe(
  Options.optional,
  Options.withDescription("items per page, 1 to 100 (Synctera's default: 100); with --all, per page call")
)

const all = Options.boolean("all").pipe(
  Options.withDescription("every page, from the first (not with --page-token): rows are printed as their pages arrive")
)

const pageToken = Options.text("page-token").pipe(
  Options.optional,
  Options.withDescription("the page after this token (printed at the end of the page before)")
)

/** Which pages to print: every one, or one (the first, or the one after a token). */
type Pages =
  | { readonly _tag: "All" }
  | { readonly _tag: "One"; readonly pageToken: string | undefined }

const pages = Options.all({ all, pageToken }).pipe(
  Options.mapEffect(({ all, pageToken }): Effect.Effect<Pages, ValidationError.ValidationError> =>
    all && Option.isSome(pageToken)
      ? Effect.fail(
        ValidationError.invalidValue(
          HelpDoc.p("--all and --page-token cannot be used together: --all reads every page from the first")
        )
      )
      : Effect.succeed(all ? { _tag: "All" } : { _tag: "One", pageToken: Option.getOrUndefined(pageToken) })
  )
)

const listRequest = (limit: number | undefined, pageToken: string | undefined): ListRequest => ({
  ...(limit === undefined ? {} : { limit }),
  ...(pageToken === undefined ? {} : { pageToken })
})

const printPage = <A>(spec: ListSpec<A>, page: Page<A>, asJson: boolean, now: DateTime.Utc) => {
  const next = page.nextPageToken
  const lines = asJson
    ? [...page.items.map(spec.json), JSON.stringify({ next_page_token: next ?? null })]
    : [
      headerLine(spec.columns),
      ...page.items.map((item) => rowLine(spec.columns, item, now)),
      next === undefined ? "last page" : `next page token: ${next}`
    ]
  return Console.log(lines.join("\n"))
}

/**
 * Prints the items as their pages come (one write a page; the header with the
 * first row), and gives their number.
 */
const printAll = <A>(spec: ListSpec<A>, items: Stream.Stream<A, SyncteraError, Synctera>, asJson: boolean) =>
  Stream.runFoldEffect(Stream.chunks(items), 0, (count, chunk) => {
    if (Chunk.isEmpty(chunk)) return Effect.succeed(count)
    const print = asJson
      ? Console.log(Chunk.toReadonlyArray(Chunk.map(chunk, spec.json)).join("\n"))
      : Effect.flatMap(DateTime.now, (now) => {
        const rows = Chunk.toReadonlyArray(Chunk.map(chunk, (item) => rowLine(spec.columns, item, now)))
        return Console.log((count === 0 ? [headerLine(spec.columns), ...rows] : rows).join("\n"))
      })
    return Effect.as(print, count + chunk.length)
  })

/**
 * A list command for `spec`.
 *
 * @since 0.2.0
 * @category commands
 */
export const listCommand = <A>(spec: ListSpec<A>) =>
  Command.make(spec.name, { pages, limit, json }, (input) => {
    const size = Option.getOrUndefined(input.limit)
    const body = input.pages._tag === "One"
      ? Effect.flatMap(
        Effect.zip(spec.page(listRequest(size, input.pages.pageToken)), DateTime.now),
        ([page, now]) => printPage(spec, page, input.json, now)
      )
      : Effect.flatMap(
        printAll(spec, spec.stream(size === undefined ? {} : { limit: size }), input.json),
        (count) => input.json ? Effect.void : Console.log(`${count} ${spec.noun}`)
      )
    return body.pipe(Effect.provide(SyncteraFromEnv), (effect) => reported(effect, input.json))
  }).pipe(
    Command.withDescription(
      liveDescription(
        `List the tenant's ${spec.noun}, a page at a time or --all`,
        spec.operation,
        "With --json: a JSON line per item, then {\"next_page_token\": …} (null on the last page; " +
          "no such line with --all)."
      )
    )
  )
