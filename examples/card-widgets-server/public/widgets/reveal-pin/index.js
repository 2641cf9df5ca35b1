// A local stand-in for Synctera's Reveal PIN widget
// (https://assets.synctera.com/widgets/reveal-pin/<version>/index.js), so that
// the example and its browser test run with no network. It defines
// <reveal-pin> with the real element's contract, as Synctera documents it:
//
// - Attributes: `token` (a GET_PIN widget token) and `env` (`sandbox` or
//   `production`), both required; `auto-hide-seconds` (default 5) and
//   `show-toggle` (a built-in Show PIN button) optional, as are `theme`
//   (`default` or `night-shift`) and `styles` (accepted, not emulated).
// - It starts hidden (dots) and reveals on the Show PIN button or on
//   `requestPin()`; the PIN then shows with a live countdown and is cleared
//   when it ends (or on Hide PIN).
// - Events, each with `detail.instanceId`: once at start, `load`, or `error`
//   (`detail.error`, `detail.failedFields`) when the widget cannot start
//   (here: no token, or an `env` it does not know); then, for each reveal,
//   `success` or `failure` (`detail.error`, safe to show). No event ever
//   carries the PIN.
// - A token works once, for 5 minutes: the first reveal spends it. Revealing
//   again with the same token (after the PIN hid itself) is a `failure`, as
//   is an expired token, as with the real widget's submissions: the page must
//   get a new token. The stand-in counts the 5 minutes from the mount;
//   Synctera counts them from the token's issuance.
//
// Where the real widget shows the PIN inside a Synctera-origin frame, the
// stand-in shows a placeholder: it never has a PIN.

const tokenLifetimeMs = 5 * 60 * 1000
const spentTokens = new Set()
let instances = 0

// A constructed style sheet, not a <style> element: the page's
// Content-Security-Policy allows no inline styles.
const sheet = new CSSStyleSheet()
sheet.replaceSync(`
  :host { display: block; font: 15px/1.4 system-ui, sans-serif; color: #1d2433; }
  .widget { border: 1px solid #d5dae3; border-radius: 10px; padding: 16px; background: #fff; max-width: 360px; }
  :host([theme="night-shift"]) .widget { background: #1d2433; color: #eef1f6; border-color: #3a4357; }
  .frame { border: 1px dashed #aab3c2; border-radius: 6px; padding: 12px; text-align: center; font-size: 20px; letter-spacing: 6px; color: #7a8598; }
  .frame[data-shown] { font-size: 14px; letter-spacing: normal; color: #1d2433; background: #f3f6fb; }
  .countdown { margin: 8px 0 0; font-size: 13px; min-height: 1.4em; }
  button { margin-top: 10px; padding: 8px 14px; border: 0; border-radius: 6px; background: #2b59c3; color: #fff; font: inherit; cursor: pointer; }
  button[disabled] { opacity: .6; cursor: default; }
  .note { margin: 10px 0 0; font-size: 12px; opacity: .7; }
`)

const el = (tag, text, className) => {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className !== undefined) node.className = className
  return node
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

class RevealPin extends HTMLElement {
  #instanceId = ""
  #mountedAt = 0
  #token = ""
  #frame = el("div", "• • • •", "frame")
  #countdown = el("p", "", "countdown")
  #toggle = el("button", "Show PIN")
  #timer = undefined
  #busy = false

  connectedCallback() {
    // Moved in the DOM: still the same widget, with the same token.
    if (this.#instanceId !== "") return
    this.#instanceId = `reveal-pin-${++instances}`
    const root = this.attachShadow({ mode: "open" })
    root.adoptedStyleSheets = [sheet]
    this.#token = this.getAttribute("token") ?? ""
    const env = this.getAttribute("env")
    if (this.#token === "" || (env !== "sandbox" && env !== "production")) {
      this.dataset.state = "error"
      root.replaceChildren(el("div", "This widget could not start.", "widget"))
      this.#emit("error", { error: "The PIN frame could not be loaded.", failedFields: ["pin"] })
      return
    }
    this.#mountedAt = Date.now()
    this.#frame.setAttribute("part", "pin")
    this.#countdown.setAttribute("aria-live", "polite")
    this.#toggle.type = "button"
    this.#toggle.setAttribute("part", "toggle")
    this.#toggle.addEventListener("click", () => (this.#timer === undefined ? this.requestPin() : this.#hide()))
    const box = el("div", undefined, "widget")
    box.append(this.#frame, this.#countdown)
    if (this.hasAttribute("show-toggle")) box.append(this.#toggle)
    box.append(el("p", `Stand-in for Synctera's <reveal-pin> (${env}): it never has a PIN.`, "note"))
    root.replaceChildren(box)
    this.dataset.state = "loaded"
    this.#emit("load", {})
  }

  disconnectedCallback() {
    this.#hide()
  }

  /** Reveals the PIN, for the number of seconds of `auto-hide-seconds`. */
  async requestPin() {
    if (this.#busy || this.#timer !== undefined || this.dataset.state === "error") return
    this.#busy = true
    this.#toggle.disabled = true
    // The real widget fetches the PIN from Synctera here, inside its frame.
    await pause(200)
    this.#busy = false
    this.#toggle.disabled = false
    if (spentTokens.has(this.#token) || Date.now() - this.#mountedAt > tokenLifetimeMs) {
      this.dataset.state = "failed"
      this.#emit("failure", { error: "This PIN view has expired." })
      return
    }
    spentTokens.add(this.#token)
    const seconds = Number.parseInt(this.getAttribute("auto-hide-seconds") ?? "", 10)
    let left = Number.isFinite(seconds) && seconds > 0 ? seconds : 5
    this.#frame.dataset.shown = ""
    this.#frame.textContent = "Your PIN shows here, in Synctera's frame"
    this.#countdown.textContent = `Hides in ${left} s`
    this.#toggle.textContent = "Hide PIN"
    this.dataset.state = "shown"
    this.#timer = setInterval(() => {
      left -= 1
      if (left <= 0) this.#hide()
      else this.#countdown.textContent = `Hides in ${left} s`
    }, 1000)
    this.#emit("success", {})
  }

  #hide() {
    if (this.#timer === undefined) return
    clearInterval(this.#timer)
    this.#timer = undefined
    delete this.#frame.dataset.shown
    this.#frame.textContent = "• • • •"
    this.#countdown.textContent = "Hidden."
    this.#toggle.textContent = "Show PIN"
    this.dataset.state = "hidden"
  }

  #emit(type, detail) {
    // Asynchronously, as the real widget's events come after its frame answers.
    queueMicrotask(() =>
      this.dispatchEvent(new CustomEvent(type, { detail: { instanceId: this.#instanceId, ...detail } }))
    )
  }
}

if (!customElements.get("reveal-pin")) customElements.define("reveal-pin", RevealPin)
