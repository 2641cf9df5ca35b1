// The page's script: on a click, asks this app's server for a REVEAL widget
// token for the user's card (the server checks the card is theirs), then
// mounts Synctera's <reveal-card> widget with it. The token works once and
// lives minutes: one token per click, never stored.

const status = document.getElementById("status")
const button = document.getElementById("reveal")
const widget = document.getElementById("widget")

const messages = {
  401: "Please sign in first.",
  404: "That card is not one of yours.",
  409: "This card's details cannot be shown.",
  503: "Card details are unavailable right now. Please try again in a minute."
}

let widgetScript
/** Loads Synctera's widget script once, and waits for its <reveal-card> element. */
const loadWidgets = () => {
  widgetScript ??= new Promise((resolve, reject) => {
    const script = document.createElement("script")
    script.src = document.querySelector("meta[name=synctera-widget-script]").content
    script.onload = resolve
    script.onerror = () => reject(new Error("the widget script did not load"))
    document.head.append(script)
  }).then(() => customElements.whenDefined("reveal-card"))
  return widgetScript
}

/** The card to show: `?card=` in the URL, else the user's first card. */
const cardToShow = async () => {
  const fromUrl = new URLSearchParams(window.location.search).get("card")
  if (fromUrl) return fromUrl
  const response = await fetch("/api/cards", { credentials: "same-origin" })
  if (!response.ok) throw Object.assign(new Error("cards"), { status: response.status })
  const cards = await response.json()
  return cards[0]
}

const reveal = async (cardId) => {
  button.disabled = true
  status.textContent = "Asking for access…"
  try {
    const [response] = await Promise.all([
      fetch(`/api/cards/${encodeURIComponent(cardId)}/reveal-token`, { method: "POST", credentials: "same-origin" }),
      loadWidgets()
    ])
    if (!response.ok) {
      status.textContent = messages[response.status] ?? "Something went wrong."
      status.dataset.error = String(response.status)
      return
    }
    const { environment, widgetToken } = await response.json()
    const element = document.createElement("reveal-card")
    element.setAttribute("token", widgetToken)
    element.setAttribute("env", environment)
    widget.replaceChildren(element)
    status.textContent = "Card details are shown by Synctera's widget."
    delete status.dataset.error
  } catch (error) {
    status.textContent = "Something went wrong."
    status.dataset.error = String(error)
  } finally {
    button.disabled = false
  }
}

cardToShow().then(
  (cardId) => {
    button.disabled = false
    button.addEventListener("click", () => reveal(cardId))
  },
  (error) => {
    status.textContent = messages[error.status] ?? "Something went wrong."
  }
)
