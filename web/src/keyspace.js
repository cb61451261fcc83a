// The keyspace inspector: the selected database's keys with type, a short preview and a
// TTL that counts down on the virtual clock. A key whose time runs out fades away.
import { el } from "./dom.js";
import { plural as countText } from "./output-text.js";

const UNITS = { list: "item", hash: "field", set: "member", zset: "member", stream: "entry" };

const PLURALS = { entry: "entries" };
const plural = (n, word) => countText(n, word, PLURALS[word]);

// 61_000 -> "1 min 1 s", as a learner reads a countdown. Rounds up like a timer does.
export function formatDuration(ms) {
  let s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

// A small stopwatch drawn beside a TTL (emoji fonts are not everywhere).
function timerIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "ttl-icon");
  svg.setAttribute("aria-hidden", "true");
  const shapes = [
    ["circle", { cx: 8, cy: 9, r: 5.25 }],
    ["path", { d: "M8 6.2V9l1.8 1.2M6.5 2.2h3" }],
  ];
  for (const [tag, attrs] of shapes) {
    const shape = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attrs)) shape.setAttribute(name, String(value));
    svg.append(shape);
  }
  return svg;
}

export class KeyspaceView {
  constructor({ list, summary, empty }) {
    this.list = list;
    this.summary = summary;
    this.empty = empty;
    this.rows = new Map(); // key -> { row, ttl, expireAt }
  }

  // `snapshot` is the engine's { db, now_ms, total, keys }.
  update(snapshot) {
    const seen = new Set();
    let previous = null;
    for (const key of snapshot.keys) {
      seen.add(key.key);
      let entry = this.rows.get(key.key);
      if (!entry || entry.type !== key.type) {
        entry?.row.remove();
        entry = this.createRow(key);
        this.rows.set(key.key, entry);
      }
      this.fill(entry, key);
      // Keep the DOM in the snapshot's (name) order.
      const anchor = previous ? previous.row.nextSibling : this.list.firstChild;
      if (entry.row !== anchor) this.list.insertBefore(entry.row, anchor);
      previous = entry;
    }
    for (const [name, entry] of this.rows) {
      if (!seen.has(name)) {
        this.rows.delete(name);
        this.removeRow(entry);
      }
    }
    const hidden = snapshot.total - snapshot.keys.length;
    this.summary.textContent =
      `db ${snapshot.db} · ${plural(snapshot.total, "key")}` +
      (hidden > 0 ? ` (first ${snapshot.keys.length.toLocaleString("en-US")} shown)` : "");
    this.empty.hidden = snapshot.total > 0;
    this.tick(snapshot.now_ms);
  }

  createRow(key) {
    const row = el("li", `key-row type-${key.type}`);
    const head = el("div", "key-head");
    const type = el("span", "type-badge", key.type);
    // A button: the row opens the key's own view (keyspace-panel.js, key-views.js).
    const name = el("button", "key-name");
    name.type = "button";
    row.dataset.key = key.key;
    const ttl = el("span", "key-ttl");
    const ttlText = el("span");
    ttl.append(timerIcon(), el("span", "sr-only", "expires in "), ttlText);
    head.append(type, name, ttl);
    const preview = el("div", "key-preview");
    row.append(head, preview);
    return { row, name, ttl, ttlText, preview, type: key.type, expireAt: -1 };
  }

  fill(entry, key) {
    entry.name.textContent = key.key;
    entry.name.title = key.key;
    entry.expireAt = key.expire_at_ms;
    entry.row.classList.remove("is-expiring");
    const items = key.preview ?? [];
    let text;
    if (key.type === "string") {
      text = items[0] ?? "";
    } else {
      const count = plural(key.size, UNITS[key.type] ?? "element");
      text = items.length ? `${count}: ${items.join(", ")}${key.size > items.length ? ", …" : ""}` : count;
    }
    entry.preview.textContent = text;
    entry.preview.title = `${key.type}, encoding ${key.encoding}`;
  }

  removeRow(entry) {
    entry.row.classList.add("is-gone");
    entry.row.setAttribute("aria-hidden", "true");
    setTimeout(() => entry.row.remove(), 400);
  }

  // Updates the countdowns for the virtual time `now`; true when a key has just run out
  // (the caller then asks the engine for a fresh snapshot).
  tick(now) {
    let expired = false;
    for (const [name, entry] of this.rows) {
      if (entry.expireAt < 0) {
        entry.ttl.hidden = true;
        continue;
      }
      const left = entry.expireAt - now;
      if (left < 0) {
        expired = true;
        this.rows.delete(name);
        this.removeRow(entry);
        continue;
      }
      const text = formatDuration(left);
      entry.ttl.hidden = false;
      entry.ttlText.textContent = text;
      entry.ttl.title = `Expires in ${text}`;
      entry.row.classList.toggle("is-expiring", left <= 10_000);
    }
    if (expired && this.rows.size === 0) this.empty.hidden = false;
    return expired;
  }

  clear() {
    for (const entry of this.rows.values()) entry.row.remove();
    this.rows.clear();
  }
}
