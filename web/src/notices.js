// Messages to the learner outside the lesson: dismissable notices at the top, the screen
// reader's status line, and the page-wide error shown when the page cannot go on. Owns the
// status line's timer.
import { $, el, button } from "./dom.js";

export function showNotice(text, { tone = "warning", id } = {}) {
  const box = $("notices");
  if (id && box.querySelector(`[data-id="${id}"]`)) return;
  const notice = el("div", `notice notice-${tone}`);
  if (id) notice.dataset.id = id;
  notice.append(el("p", null, text));
  notice.append(button("icon-btn", "✕", () => notice.remove(), { "aria-label": "Dismiss this notice" }));
  box.append(notice);
}

let announceTimer = null;
export function announce(text) {
  const status = $("sr-status");
  status.textContent = "";
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => (status.textContent = text), 50);
}

export function fatal(title, html) {
  const box = $("fatal");
  box.replaceChildren(el("h2", null, title));
  const body = el("div");
  body.innerHTML = html; // our own fixed text, never lesson content
  box.append(body);
  box.hidden = false;
}
