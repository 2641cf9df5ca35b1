// The page's script. For each of Synctera's widgets (<activate-card>,
// <set-pin>, <reveal-pin>): on a press, it asks this app's server for a
// widget token of that widget's type for the user's card (the server checks
// the card is theirs), loads the widget's script from where the server says
// (Synctera's assets host in production), mounts the widget with the token,
// and tells the user what the widget reports. A token works once and lives
// minutes: one token per press, never stored.

const status = document.getElementById("status")
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? ""

/** What the server's refusals mean to the user. */
const refusals = {
  401: "Please sign in first.",
  404: "That card is not one of yours.",
  409: "This can't be done for this card. It may be cancelled or suspended: contact us.",
  503: "This is unavailable right now. Please try again in a minute."
}

const autoHideSeconds = meta("pin-auto-hide-seconds")

/** What each widget's events mean to the user. The PIN itself never reaches this page. */
const outcomes = {
  "activate-card": {
    load: "Enter the number and security code printed on your card, then press Activate card.",
    success: "Your card is active: you can use it now."
  },
  "set-pin": {
    load: "Enter your new PIN twice, then press Set PIN.",
    success: "Your new PIN is set."
  },
  "reveal-pin": {
    load: `Press Show PIN: it shows for ${autoHideSeconds} seconds, then hides itself.`,
    success: `Your PIN is showing for ${autoHideSeconds} seconds.`
  }
}

const scripts = new Map()
/** Loads a widget's ES module once (again after a failure), and waits for its element. */
const loadWidget = (name) => {
  if (!scripts.has(name)) {
    const loading = import(meta(`widget-script:${name}`)).then(() => customElements.whenDefined(name))
    loading.catch(() => scripts.delete(name))
    scripts.set(name, loading)
  }
  return scripts.get(name)
}

const show = (section, outcome, text, error) => {
  const line = section.querySelector(".outcome")
  line.textContent = text
  line.dataset.outcome = outcome
  if (error === undefined) delete line.dataset.error
  else line.dataset.error = error
}

/** One press: a fresh token, then a fresh widget with it. */
const start = async (section, cardId) => {
  const name = section.dataset.widget
  const button = section.querySelector(".start")
  const mount = section.querySelector(".mount")
  const again = `Press ${button.textContent} to start again.`
  button.disabled = true
  mount.replaceChildren()
  show(section, "pending", "Asking for access…")
  try {
    const [response] = await Promise.all([
      fetch(`/api/cards/${encodeURIComponent(cardId)}/widget-token/${name}`, {
        method: "POST",
        credentials: "same-origin"
      }),
      loadWidget(name)
    ])
    if (!response.ok) {
      show(section, "refused", refusals[response.status] ?? "Something went wrong.", String(response.status))
      return
    }
    const { environment, widgetToken } = await response.json()
    const widget = document.createElement(name)
    widget.setAttribute("token", widgetToken)
    widget.setAttribute("env", environment)
    if (name === "reveal-pin") {
      widget.setAttribute("auto-hide-seconds", autoHideSeconds)
      widget.setAttribute("show-toggle", "")
    }
    // `error`: the widget could not start. `failure`: it started, and what
    // the user did was refused (a wrong code, a spent or expired token): a
    // new press gets a new token. Their `detail.error` is safe to show.
    widget.addEventListener("load", () => show(section, "load", outcomes[name].load))
    widget.addEventListener(
      "error",
      (event) => show(section, "error", `${event.detail?.error ?? "This form could not load."} ${again}`, "widget")
    )
    widget.addEventListener("success", () => show(section, "success", outcomes[name].success))
    widget.addEventListener(
      "failure",
      (event) => show(section, "failure", `${event.detail?.error ?? "That did not work."} ${again}`, "widget")
    )
    mount.replaceChildren(widget)
  } catch {
    show(section, "error", `This form could not load. ${again}`, "script")
  } finally {
    button.disabled = false
  }
}

const signIn = async (user) => {
  const response = await fetch(`/demo/sign-in/${encodeURIComponent(user)}`, { method: "POST" })
  if (response.ok) window.location.reload()
  else status.textContent = "That sign-in did not work."
}

/** The card to show: `?card=` in the URL, else the user's first card. */
const main = async () => {
  const response = await fetch("/api/me", { credentials: "same-origin" })
  if (!response.ok) {
    status.textContent = refusals[response.status] ?? "Something went wrong."
    if (response.status === 401) {
      const signInSection = document.getElementById("sign-in")
      signInSection.hidden = false
      for (const button of signInSection.querySelectorAll("button[data-user]")) {
        button.addEventListener("click", () => signIn(button.dataset.user))
      }
    }
    return
  }
  const me = await response.json()
  const cardId = new URLSearchParams(window.location.search).get("card") ?? me.cardIds[0]
  if (cardId === undefined) {
    status.textContent = `Signed in as ${me.name}. You have no card yet.`
    return
  }
  status.textContent = `Signed in as ${me.name} · card ${cardId.slice(0, 4)}…${cardId.slice(-4)}`
  for (const section of document.querySelectorAll("section.widget")) {
    section.hidden = false
    section.querySelector(".start").addEventListener("click", () => start(section, cardId))
  }
}

main().catch(() => {
  status.textContent = "Something went wrong."
})
