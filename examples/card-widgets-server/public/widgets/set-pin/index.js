// A local stand-in for Synctera's Set PIN widget
// (https://assets.synctera.com/widgets/set-pin/<version>/index.js), so that
// the example and its browser test run with no network. It defines <set-pin>
// with the real element's contract, as Synctera documents it:
//
// - Attributes: `token` (a SET_PIN widget token) and `env` (`sandbox` or
//   `production`), both required; `theme` (`default` or `night-shift`) and
//   `custom-labels` (JSON) optional. `styles` is accepted and not emulated.
// - Events, in two phases, each with `detail.instanceId`: once at start,
//   `load`, or `error` (`detail.error`, `detail.failedFields`) when the widget
//   cannot start (here: no token, or an `env` it does not know); then, after
//   each submission, `success` or `failure` (`detail.error`, safe to show).
// - A token works once, for 5 minutes. A spent or expired token is refused
//   when it is used, at submission, as a `failure` (not an `error`: the widget
//   did start), as with the real widget. The stand-in counts the 5 minutes
//   from the mount; Synctera counts them from the token's issuance.
//
// Where the real widget puts Synctera-origin frames for the new PIN and its
// confirmation, the stand-in shows inert placeholders: nothing can be typed
// into it, and it never holds a PIN.

const tokenLifetimeMs = 5 * 60 * 1000
const spentTokens = new Set()
let instances = 0

const defaultLabels = {
  widgetTitle: "Choose your PIN",
  pinLabel: "New PIN",
  confirmPinLabel: "Confirm PIN",
  submitButtonText: "Set PIN",
  submitLoadingText: "Setting PIN…"
}

// A constructed style sheet, not a <style> element: the page's
// Content-Security-Policy allows no inline styles.
const sheet = new CSSStyleSheet()
sheet.replaceSync(`
  :host { display: block; font: 15px/1.4 system-ui, sans-serif; color: #1d2433; }
  .widget { border: 1px solid #d5dae3; border-radius: 10px; padding: 16px; background: #fff; max-width: 360px; }
  :host([theme="night-shift"]) .widget { background: #1d2433; color: #eef1f6; border-color: #3a4357; }
  h3 { margin: 0 0 12px; font-size: 16px; }
  label { display: block; font-size: 13px; margin: 8px 0 4px; opacity: .8; }
  .field { border: 1px dashed #aab3c2; border-radius: 6px; padding: 8px 10px; letter-spacing: 2px; color: #7a8598; }
  button { margin-top: 14px; padding: 8px 14px; border: 0; border-radius: 6px; background: #2b59c3; color: #fff; font: inherit; cursor: pointer; }
  button[disabled] { opacity: .6; cursor: default; }
  .note { margin: 10px 0 0; font-size: 12px; opacity: .7; }
  .done { color: #16794a; font-weight: 600; }
`)

const labelsOf = (element) => {
  try {
    const custom = JSON.parse(element.getAttribute("custom-labels") ?? "{}")
    return { ...defaultLabels, ...(custom !== null && typeof custom === "object" ? custom : {}) }
  } catch {
    return defaultLabels
  }
}

const el = (tag, text, className) => {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className !== undefined) node.className = className
  return node
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

class SetPin extends HTMLElement {
  #instanceId = ""
  #mountedAt = 0

  connectedCallback() {
    // Moved in the DOM: still the same widget, with the same token.
    if (this.#instanceId !== "") return
    this.#instanceId = `set-pin-${++instances}`
    const root = this.attachShadow({ mode: "open" })
    root.adoptedStyleSheets = [sheet]
    const token = this.getAttribute("token") ?? ""
    const env = this.getAttribute("env")
    if (token === "" || (env !== "sandbox" && env !== "production")) {
      this.dataset.state = "error"
      root.replaceChildren(el("div", "This widget could not start.", "widget"))
      this.#emit("error", {
        error: "The PIN fields could not be loaded.",
        failedFields: ["pin", "confirmPin"]
      })
      return
    }
    this.#mountedAt = Date.now()
    const labels = labelsOf(this)
    const button = el("button", labels.submitButtonText)
    button.type = "button"
    button.setAttribute("part", "submit")
    button.addEventListener("click", () => this.#submit(token, button, labels))
    const box = el("div", undefined, "widget")
    box.append(
      el("h3", labels.widgetTitle),
      el("label", labels.pinLabel),
      el("div", "• • • •", "field"),
      el("label", labels.confirmPinLabel),
      el("div", "• • • •", "field"),
      button,
      el("p", `Stand-in for Synctera's <set-pin> (${env}): no PIN here.`, "note")
    )
    root.replaceChildren(box)
    this.dataset.state = "loaded"
    this.#emit("load", {})
  }

  async #submit(token, button, labels) {
    button.disabled = true
    button.textContent = labels.submitLoadingText
    this.dataset.state = "submitting"
    // The real widget sends the new PIN to Synctera here, from its frames.
    await pause(200)
    if (spentTokens.has(token) || Date.now() - this.#mountedAt > tokenLifetimeMs) {
      button.disabled = false
      button.textContent = labels.submitButtonText
      this.dataset.state = "failed"
      this.#emit("failure", { error: "This PIN session has expired." })
      return
    }
    spentTokens.add(token)
    this.dataset.state = "succeeded"
    button.replaceWith(el("p", "PIN set.", "done"))
    this.#emit("success", {})
  }

  #emit(type, detail) {
    // Asynchronously, as the real widget's events come after its frames answer.
    queueMicrotask(() =>
      this.dispatchEvent(new CustomEvent(type, { detail: { instanceId: this.#instanceId, ...detail } }))
    )
  }
}

if (!customElements.get("set-pin")) customElements.define("set-pin", SetPin)
