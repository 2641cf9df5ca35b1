// The Effect 4 line's `npm run docgen` (run as `npm run effect4:examples`):
// what docgen enforces on src/ for the Effect 3 line, enforced here on
// effect4/src/ with effect4's own TypeScript (its compiler API) and Node 22.
//
// 1. Docs. Every checked module (effect4/src/**/*.ts but the DOC_EXCLUDES
//    below, docgen.json's excludes in this line's terms) has a module TSDoc
//    comment with a description and an `@since` tag (docgen reads it from the
//    first comment of the file), and so does every export it declares:
//    variables, functions (the first overload), classes and their public
//    methods and properties (static properties too, which docgen lets go:
//    they hold the services' accessors), interfaces, type aliases, enums,
//    namespaces (not their members), `export default`, and each re-export
//    (`export *`, `export * as`, every name of `export { … }`), as docgen. A
//    re-exported name declared in another checked module must also be
//    documented there (it is checked with that module); one declared in an
//    unchecked module (internal/, src/core/) has the re-export's comment as
//    its only documentation. `@internal` and `@ignore` exports are skipped,
//    as docgen does. The exports are cross-checked with the type checker
//    (`getExportsOfModule`), so that an export form the walk does not know
//    fails instead of passing unseen.
// 2. Examples. Every ```ts block in the TSDoc of effect4/src/ is a program
//    that imports "effect-synctera/effect4…" as a user would (mapped here to
//    effect4/src/). They are type-checked against Effect 4 together with the
//    sources, emitted with them into a temporary folder, and each is run
//    under effect4's Node 22; one that throws, rejects, exits non-zero or
//    runs past EXAMPLE_TIMEOUT_MS fails, named by file, number and line.
//    Examples must not reach the network: a guard loaded before each one
//    stops it (exit 97) at its first connection to anything but loopback,
//    and SYNCTERA_* variables are not passed to it.
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { availableParallelism } from "node:os"
import { relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const started = performance.now()
const root = new URL("../", import.meta.url)
const rootPath = fileURLToPath(root)
const src = new URL("effect4/src/", root)
const ts = createRequire(new URL("effect4/package.json", root))("typescript")
const node = fileURLToPath(new URL("effect4/node_modules/.bin/node", root))
// One folder per run, so that two runs do not clobber each other. It must sit
// under effect4/, so that the emitted code finds effect4/node_modules (Effect
// 4) and effect4/package.json ("type": "module").
const base = new URL("effect4/.examples-check/", root)
const dir = new URL(`${process.pid}/`, base)
const out = new URL("out/", dir)

const EXAMPLE_TIMEOUT_MS = 30_000

/**
 * Modules of effect4/src/ (paths relative to it) not held to the docs rule:
 * the Effect 4 equivalents of docgen.json's excludes. internal/ and
 * schemas/internal/ are no entry point's and reached by users only through
 * the re-exports of checked modules; sandbox/app.ts is the sandbox server's
 * HTTP app, used only by sandbox/Sandbox.ts. (src/bin/ and src/cli/, the
 * other excludes, have no counterpart in this line.)
 */
const DOC_EXCLUDES = [/^internal\//, /^schemas\/internal\//, /^sandbox\/app\.ts$/]

/** Every .ts file under effect4/src/, as a path relative to it. */
const files = readdirSync(src, { recursive: true }).map(String).filter((file) => file.endsWith(".ts")).sort()
const isChecked = (file) => !DOC_EXCLUDES.some((pattern) => pattern.test(file))

// ---------------------------------------------------------------------------
// The examples, written out as modules.

const examples = files.flatMap((file) => {
  const text = readFileSync(new URL(file, src), "utf8")
  return [...text.matchAll(/^\s*\* ```ts\n([\s\S]*?)^\s*\* ```/gm)].map((match, i) => ({
    file: `effect4/src/${file}`,
    number: i + 1,
    // The line of the example's first line of code in its file.
    line: text.slice(0, match.index).split("\n").length + 1,
    name: `${file.replaceAll("/", "_").replace(/\.ts$/, "")}_${i + 1}.ts`,
    code: match[1].split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n")
  }))
})
const exampleByName = new Map(examples.map((example) => [example.name, example]))
const describeExample = (example) => `${example.file} example ${example.number} (line ${example.line})`

// The folders of earlier runs that were killed before they could clean up.
for (const pid of existsSync(base) ? readdirSync(base) : []) {
  if (/^\d+$/.test(pid) && !isRunning(Number(pid))) rmSync(new URL(`${pid}/`, base), { recursive: true, force: true })
}
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    cleanUp()
    process.exit(1)
  })
}

function isRunning(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === "EPERM"
  }
}

function cleanUp() {
  rmSync(dir, { recursive: true, force: true })
  try {
    rmdirSync(base)
  } catch {
    // Another run's folder is still there.
  }
}

async function main() {
  for (const { code, name } of examples) {
    const mapped = code
      .replaceAll("\"effect-synctera/effect4/testing\"", "\"../../src/testing.js\"")
      .replaceAll("\"effect-synctera/effect4/sandbox\"", "\"../../src/sandbox.js\"")
      .replaceAll("\"effect-synctera/effect4\"", "\"../../src/index.js\"")
    writeFileSync(new URL(name, dir), `export {}\n${mapped}`)
  }
  writeFileSync(
    new URL("tsconfig.json", dir),
    JSON.stringify({
      extends: "../../../tsconfig.base.json",
      compilerOptions: {
        noUnusedLocals: false,
        noUnusedParameters: false,
        rootDir: "../../..",
        outDir: "out",
        noEmitOnError: true
      },
      include: ["*.ts", "../../src/**/*.ts"]
    })
  )
  const config = ts.getParsedCommandLineOfConfigFile(fileURLToPath(new URL("tsconfig.json", dir)), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))
    }
  })
  const program = ts.createProgram(config.fileNames, config.options)

  const docProblems = checkDocs(program)
  for (const problem of docProblems) process.stderr.write(`${problem}\n`)
  const checkedCount = files.filter(isChecked).length
  if (docProblems.length === 0) {
    process.stdout.write(
      `effect4: ${checkedCount} modules and their ${checkedExports} exports have a description and @since\n`
    )
  } else {
    process.stderr.write(
      `effect4: ${docProblems.length} missing descriptions or @since tags in ${checkedCount} checked modules\n`
    )
  }

  const diagnostics = ts.getPreEmitDiagnostics(program)
  if (diagnostics.length > 0) {
    for (const diagnostic of diagnostics) process.stderr.write(`${formatDiagnostic(diagnostic)}\n`)
    process.stderr.write(`effect4: ${diagnostics.length} type errors; the examples were not run\n`)
    return 1
  }
  process.stdout.write(`effect4: ${examples.length} TSDoc examples type-check (Effect 4)\n`)
  const emitted = program.emit()
  if (emitted.emitSkipped) {
    for (const diagnostic of emitted.diagnostics) process.stderr.write(`${formatDiagnostic(diagnostic)}\n`)
    return 1
  }

  const failures = await runExamples()
  const nodeVersion = (await run([node, "--version"], process.env, EXAMPLE_TIMEOUT_MS)).output.trim()
  for (const failure of failures) process.stderr.write(`${failure}\n`)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  if (failures.length === 0) {
    process.stdout.write(`effect4: ${examples.length} TSDoc examples run under Node ${nodeVersion} (${seconds} s)\n`)
  } else {
    process.stderr.write(`effect4: ${failures.length} of ${examples.length} TSDoc examples failed (${seconds} s)\n`)
  }
  return docProblems.length === 0 && failures.length === 0 ? 0 : 1
}

// ---------------------------------------------------------------------------
// 1. Docs.

/** How many exports (and class members) `checkDocs` looked at. */
let checkedExports = 0

/** What `doc` (a parsed JSDoc comment, or undefined) lacks, if anything. */
function docProblem(doc) {
  if (doc === undefined) return "no TSDoc comment"
  const missing = []
  if (!(ts.getTextOfJSDocComment(doc.comment) ?? "").trim()) missing.push("a description")
  const since = (doc.tags ?? []).find((tag) => tag.tagName.text === "since")
  if (since === undefined || !(ts.getTextOfJSDocComment(since.comment) ?? "").trim()) missing.push("@since")
  return missing.length === 0 ? undefined : `lacks ${missing.join(" and ")}`
}

const isSkipped = (doc) =>
  (doc?.tags ?? []).some((tag) => tag.tagName.text === "internal" || tag.tagName.text === "ignore")

/** The TSDoc of a node: the JSDoc comment nearest to it. */
function jsDocOf(node) {
  return ts.getJSDocCommentsAndTags(node).filter((doc) => ts.isJSDoc(doc)).at(-1)
}

/** A comment's text (`/** … *\/`) parsed as TSDoc, by TypeScript's parser. */
function parseComment(text) {
  const file = ts.createSourceFile("comment.ts", `${text}\nvar _: 0`, ts.ScriptTarget.Latest, true)
  return jsDocOf(file.statements[0])
}

const hasExportModifier = (node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

function checkDocs(program) {
  const checker = program.getTypeChecker()
  const problems = []
  checkedExports = 0
  for (const file of files.filter(isChecked)) {
    const sourceFile = program.getSourceFile(fileURLToPath(new URL(file, src)))
    const path = `effect4/src/${file}`
    const report = (node, name, problem) => {
      const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
      problems.push(`${path}:${line + 1}: ${name}: ${problem}`)
    }
    const check = (node, name, doc = jsDocOf(node)) => {
      if (isSkipped(doc)) return
      checkedExports++
      const problem = docProblem(doc)
      if (problem !== undefined) report(node, name, problem)
    }

    // The module's comment: as docgen, the first comment of the file.
    const first = sourceFile.statements[0]
    if (first === undefined) {
      problems.push(`${path}:1: module: empty`)
    } else {
      const [range] = ts.getLeadingCommentRanges(sourceFile.text, first.pos) ?? []
      const text = range === undefined ? "" : sourceFile.text.slice(range.pos, range.end)
      const problem = docProblem(text.startsWith("/**") ? parseComment(text) : undefined)
      if (problem !== undefined) problems.push(`${path}:1: module: ${problem}`)
    }

    // The names this walk has seen, to cross-check with the checker's.
    const seen = new Set()
    const functions = new Set()
    for (const statement of sourceFile.statements) {
      if (ts.isExportDeclaration(statement)) {
        const specifier = statement.moduleSpecifier?.getText(sourceFile)
        const clause = statement.exportClause
        if (clause === undefined || ts.isNamespaceExport(clause)) {
          const name = `export *${clause === undefined ? "" : ` as ${clause.name.text}`} from ${specifier}`
          check(statement, name)
          if (clause === undefined) {
            const target = checker.getSymbolAtLocation(statement.moduleSpecifier)
            for (const symbol of target === undefined ? [] : checker.getExportsOfModule(target)) seen.add(symbol.name)
          } else {
            seen.add(clause.name.text)
          }
        } else {
          for (const element of clause.elements) {
            check(element, element.name.text)
            seen.add(element.name.text)
          }
        }
      } else if (ts.isExportAssignment(statement)) {
        check(statement, "export default")
        seen.add("default")
      } else if (hasExportModifier(statement)) {
        if (ts.isVariableStatement(statement)) {
          const doc = jsDocOf(statement)
          for (const declaration of statement.declarationList.declarations) {
            for (const name of boundNames(declaration.name)) {
              check(declaration, name, doc)
              seen.add(name)
            }
          }
        } else if (ts.isFunctionDeclaration(statement)) {
          // Overloads: the first declaration carries the docs.
          const name = statement.name?.text ?? "default"
          seen.add(name)
          if (functions.has(name)) continue
          functions.add(name)
          check(statement, name)
        } else if (ts.isClassDeclaration(statement)) {
          const name = statement.name?.text ?? "default"
          seen.add(name)
          check(statement, name)
          if (isSkipped(jsDocOf(statement))) continue
          const methods = new Set()
          for (const member of statement.members) {
            if (!ts.isMethodDeclaration(member) && !ts.isPropertyDeclaration(member)) continue
            const flags = ts.getCombinedModifierFlags(member)
            if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue
            if (member.name === undefined || ts.isPrivateIdentifier(member.name)) continue
            const memberName = `${name}.${member.name.getText(sourceFile)}`
            if (ts.isMethodDeclaration(member)) {
              if (methods.has(memberName)) continue
              methods.add(memberName)
            }
            check(member, memberName)
          }
        } else if (
          ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) ||
          ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)
        ) {
          // Namespaces: the namespace itself, not its members.
          seen.add(statement.name.text)
          check(statement, statement.name.text)
        } else if (ts.isImportEqualsDeclaration(statement)) {
          seen.add(statement.name.text)
          check(statement, statement.name.text)
        } else {
          report(statement, ts.SyntaxKind[statement.kind], "an export this check does not know")
        }
      }
    }

    const moduleSymbol = checker.getSymbolAtLocation(sourceFile)
    for (const symbol of moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)) {
      if (!seen.has(symbol.name)) problems.push(`${path}:1: ${symbol.name}: an export this check did not see`)
    }
  }
  return problems
}

/** The names a variable declaration binds (`const { a, b: [c] } = …`). */
function boundNames(name) {
  if (ts.isIdentifier(name)) return [name.text]
  return name.elements.flatMap((element) => ts.isOmittedExpression(element) ? [] : boundNames(element.name))
}

// ---------------------------------------------------------------------------
// 2. Examples: type errors, then runs.

function formatDiagnostic(diagnostic) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
  if (diagnostic.file === undefined) return `error TS${diagnostic.code}: ${message}`
  const { character, line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
  const example = exampleByName.get(relative(fileURLToPath(dir), diagnostic.file.fileName))
  // An example's line 1 is the `export {}` put before it.
  const where = example === undefined
    ? `${relative(rootPath, diagnostic.file.fileName)}:${line + 1}:${character + 1}`
    : `${example.file}:${example.line + line - 1} (example ${example.number})`
  return `${where}: error TS${diagnostic.code}: ${message}`
}

/** Stops an example at its first connection to anything but loopback. */
const guard = `import net from "node:net"
const loopback = new Set([undefined, null, "", "localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "::"])
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  const options = typeof first === "object" && first !== null ? first : typeof first === "number" ? { port: first, host: args[1] } : { path: first }
  if (options.path === undefined && !loopback.has(options.host) && !String(options.host).startsWith("127.")) {
    process.stderr.write("example tried to connect to " + options.host + ":" + options.port + ": examples must not reach the network (use SyncteraTest or a local Sandbox)\\n")
    process.exit(97)
  }
  return connect.apply(this, args)
}
`

async function runExamples() {
  writeFileSync(new URL("guard.mjs", dir), guard)
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("SYNCTERA_"))),
    // Compiles Effect's modules once for all the examples, not once each.
    NODE_COMPILE_CACHE: fileURLToPath(new URL("compile-cache/", dir))
  }
  const emittedDir = new URL(`${relative(rootPath, fileURLToPath(dir))}/`, out)
  const failures = []
  const queue = [...examples]
  const worker = async () => {
    for (let example = queue.shift(); example !== undefined; example = queue.shift()) {
      const script = fileURLToPath(new URL(example.name.replace(/\.ts$/, ".js"), emittedDir))
      const result = await run(
        [node, "--import", pathToFileURL(fileURLToPath(new URL("guard.mjs", dir))).href, script],
        env,
        EXAMPLE_TIMEOUT_MS
      )
      if (result.timedOut) {
        failures.push(
          `${describeExample(example)}: still running after ${EXAMPLE_TIMEOUT_MS / 1000} s\n${result.output.trimEnd()}`
        )
      } else if (result.code !== 0) {
        const why = result.code === 97 ? "reached for the network" : `exited with ${result.code ?? result.signal}`
        failures.push(`${describeExample(example)}: ${why}\n${result.output.trimEnd()}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker))
  return failures.sort()
}

function run([command, ...args], env, timeout) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: fileURLToPath(dir), env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk) => output += chunk)
    child.stderr.on("data", (chunk) => output += chunk)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, timeout)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, output, timedOut })
    })
  })
}

// Last, once every binding above is initialized.
try {
  process.exitCode = await main()
} finally {
  cleanUp()
}
