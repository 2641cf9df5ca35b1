/**
 * Flags shared by several commands.
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"

/**
 * `--json`: print the API's JSON on stdout, and errors as a JSON line on stderr.
 *
 * @since 0.1.0
 * @category options
 */
export const json = Options.boolean("json").pipe(
  Options.withDescription("print the API's JSON on stdout, and errors as one JSON line on stderr")
)
