// A local stand-in for Synctera's card widget script, so that the example and
// its browser test run with no network. It defines <reveal-card token env>
// with the contract of the real element: a widget token works once. Where the
// real widget would fetch the card's details from Synctera with the token and
// show them in its own frame, the stand-in shows placeholders.

const used = new Set()

class RevealCard extends HTMLElement {
  connectedCallback() {
    const token = this.getAttribute("token") ?? ""
    const env = this.getAttribute("env") ?? "sandbox"
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" })
    if (token === "" || used.has(token)) {
      this.dataset.state = "rejected"
      root.textContent = "This link has expired. Please try again."
      return
    }
    used.add(token)
    this.dataset.state = "mounted"
    this.dataset.env = env
    const number = document.createElement("div")
    number.setAttribute("part", "number")
    number.textContent = "•••• •••• •••• ••••"
    const note = document.createElement("div")
    note.setAttribute("part", "note")
    note.textContent = `Stand-in for Synctera's reveal-card widget (${env}); token accepted once.`
    root.replaceChildren(number, note)
  }
}

if (!customElements.get("reveal-card")) customElements.define("reveal-card", RevealCard)
