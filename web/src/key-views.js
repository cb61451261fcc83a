// The selected key's view in the inspector, one per data type: a list as indexed cells, a
// hash as a field/value table, a set as members, a sorted set as a ranked table, a geo set
// with coordinates, a stream with its entries and consumer groups, a HyperLogLog's estimate,
// any string as text, pretty-printed JSON or bits. Big values come a page at a time from
// the engine (inspect_answer in web/engine/contract.schema.json), so a key of a million
// elements opens as fast as one of ten.
//
// Loaded with a dynamic import() the first time a key is opened (keyspace-panel.js), with
// its stylesheet key-views.css: a first visit downloads neither.
import { el, button } from "./dom.js";
import { loadStyles } from "./lazy-styles.js";

await loadStyles("key-views");

// Elements per page, and a string's bytes per page as text and as bits.
const PAGE_ITEMS = 100;
const PAGE_BYTES = 4096;
const PAGE_BITS_BYTES = 64;
// The engine gives an element's first 1,024 bytes (the item says `cut`).
const ELEMENT_MAX_BYTES = 1024;
// The longest string pretty-printed whole (the engine gives at most 64 KB a page).
const JSON_MAX_BYTES = 65536;

const TYPE_NAMES = {
  string: "string",
  json: "JSON string",
  hll: "HyperLogLog",
  list: "list",
  hash: "hash",
  set: "set",
  zset: "sorted set",
  geo: "geo set",
  stream: "stream",
};
const UNITS = { list: "items", hash: "fields", set: "members", zset: "members", geo: "members", stream: "entries" };

const number = (n) => n.toLocaleString("en-US");

// A table with a caption and column headers; `cells(item)` gives one row's texts (or nodes).
function table(caption, headers, items, cells, className = "") {
  const node = el("table", `kv-table ${className}`.trim());
  node.append(el("caption", "sr-only", caption));
  const head = el("tr");
  for (const text of headers) {
    const th = el("th", null, text);
    th.scope = "col";
    head.append(th);
  }
  node.append(el("thead"), el("tbody"));
  node.tHead.append(head);
  for (const item of items) {
    const row = el("tr");
    for (const cell of cells(item)) {
      const td = el("td");
      td.append(cell);
      row.append(td);
    }
    node.tBodies[0].append(row);
  }
  return node;
}

// A stream entry's fields as "field value" pairs.
function fieldList(fields) {
  const list = el("dl", "kv-fields");
  for (let i = 0; i + 1 < fields.length; i += 2) list.append(el("dt", null, fields[i]), el("dd", null, fields[i + 1]));
  return list;
}

function facts(pairs) {
  const list = el("dl", "kv-facts");
  for (const [name, value] of pairs) list.append(el("dt", null, name), el("dd", null, value));
  return list;
}

export class KeyView {
  // host: the element the view is drawn in; panel: the element whose class shows it in
  // place of the key list; inspect(args): the engine's inspect; announce(text): the page's
  // polite status line; formatDuration(ms): how the key list writes a TTL; onClose(key).
  constructor({ host, panel, inspect, announce, formatDuration, onClose }) {
    Object.assign(this, { host, panel, inspect, announce, formatDuration, onClose });
    this.key = null;
    this.offset = 0;
    this.bits = false;
    this.request = 0; // answers of older requests are dropped
    this.build();
  }

  build() {
    const root = el("section", "key-view");
    root.setAttribute("aria-labelledby", "key-view-title");
    root.hidden = true;
    const head = el("div", "key-view-head");
    this.back = button("btn btn-small key-view-back", "← Keys", () => this.close(), {
      "aria-label": "Back to the keys (Escape)",
    });
    this.title = el("h3", "key-view-title");
    this.title.id = "key-view-title";
    this.title.tabIndex = -1;
    head.append(this.back, this.title);
    this.meta = el("p", "key-view-meta");
    this.tools = el("div", "key-view-tools");
    this.bitsToggle = button("btn btn-small", "View as bits", () => this.toggleBits(), { "aria-pressed": "false" });
    this.tools.append(this.bitsToggle);
    this.body = el("div", "key-view-body");
    this.pager = el("nav", "key-view-pager");
    this.pager.setAttribute("aria-label", "Pages of the value");
    this.prev = button("btn btn-small", "Previous page", () => this.page(-1));
    this.next = button("btn btn-small", "Next page", () => this.page(1));
    this.range = el("span", "key-view-range");
    this.pager.append(this.prev, this.range, this.next);
    root.append(head, this.meta, this.tools, this.body, this.pager);
    root.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      this.close();
    });
    this.root = root;
    this.host.append(root);
  }

  get isOpen() {
    return this.key !== null;
  }

  async open(key) {
    this.key = key;
    this.offset = 0;
    this.bits = false;
    this.answer = null;
    this.root.dataset.key = key;
    this.root.hidden = false;
    this.panel.classList.add("is-key-open");
    this.title.replaceChildren(el("span", "key-view-name", key));
    this.meta.textContent = "";
    this.body.replaceChildren();
    this.back.focus();
    await this.load({ announce: true });
  }

  close() {
    if (!this.isOpen) return;
    const key = this.key;
    this.key = null;
    this.request++;
    this.root.hidden = true;
    this.root.dataset.state = "closed";
    this.panel.classList.remove("is-key-open");
    this.onClose(key);
  }

  // The open key read again (after a Run, a tick, the clock moving): same page.
  refresh() {
    return this.isOpen ? this.load({ announce: false }) : Promise.resolve();
  }

  page(direction) {
    const size = this.pageSize();
    this.offset = Math.max(0, this.offset + direction * size);
    return this.load({ announce: true });
  }

  toggleBits() {
    this.bits = !this.bits;
    this.offset = 0;
    this.bitsToggle.setAttribute("aria-pressed", String(this.bits));
    return this.load({ announce: true });
  }

  // Elements a page, or bytes for a string (the type of the last answer: a key opened is
  // read once as an aggregate would be, then again if it turns out to be a string).
  pageSize(type = this.answer?.type) {
    if (type !== "string") return PAGE_ITEMS;
    return this.bits ? PAGE_BITS_BYTES : PAGE_BYTES;
  }

  async load({ announce }) {
    const request = ++this.request;
    const key = this.key;
    this.root.dataset.state = "loading";
    let answer;
    try {
      const count = this.pageSize();
      answer = await this.inspect({ key, offset: this.offset, count });
      if (answer.exists && this.pageSize(answer.type) !== count) {
        answer = await this.inspect({ key, offset: this.offset, count: this.pageSize(answer.type) });
      }
      // A JSON document longer than the first page is read whole, to be pretty-printed.
      if (answer.exists && answer.view === "json" && !this.bits && answer.count < answer.size &&
        answer.size <= JSON_MAX_BYTES && this.offset === 0) {
        answer = await this.inspect({ key, offset: 0, count: answer.size });
      }
    } catch (error) {
      if (request !== this.request) return;
      this.root.dataset.state = "error";
      this.body.replaceChildren(el("p", "key-view-note", `Could not read ${key}: ${error.message}`));
      return;
    }
    if (request !== this.request) return;
    // A page past the end (the value shrank): back to the last page.
    if (answer.exists && answer.offset > 0 && answer.count === 0 && answer.size > 0) {
      const size = this.pageSize(answer.type);
      this.offset = Math.floor((answer.size - 1) / size) * size;
      return this.load({ announce });
    }
    // The key going away while shown is said, as a page change is.
    const vanished = !answer.exists && this.answer?.exists === true;
    this.answer = answer;
    this.draw(answer);
    this.root.dataset.state = answer.exists ? "ready" : "gone";
    this.root.dataset.view = answer.exists ? answer.view : "";
    this.root.dataset.offset = String(answer.offset ?? 0);
    if (announce || vanished) this.announce(this.summary(answer));
  }

  summary(answer) {
    if (!answer.exists) return `${answer.key} no longer exists.`;
    const what = `${TYPE_NAMES[answer.view]} ${answer.key}`;
    return answer.type === "string" ? `${what}, ${this.range.textContent}` : `${what}: ${this.range.textContent}`;
  }

  draw(answer) {
    if (!answer.exists) {
      this.meta.textContent = "";
      this.tools.hidden = true;
      this.pager.hidden = true;
      this.body.replaceChildren(
        el("p", "key-view-note", `${answer.key} no longer exists: it was deleted, or its time to live ran out.`),
      );
      return;
    }
    const badge = el("span", `type-badge type-${answer.type}`, TYPE_NAMES[answer.view]);
    this.title.replaceChildren(badge, el("span", "key-view-name", answer.key));
    this.root.className = `key-view type-${answer.type}`;
    const isString = answer.type === "string";
    const size = isString ? `${number(answer.size)} bytes` : `${number(answer.size)} ${UNITS[answer.view]}`;
    const ttl = answer.expire_at_ms < 0 ? "no expiry" : `expires in ${this.formatDuration(answer.expire_at_ms - answer.now_ms)}`;
    this.meta.textContent = `${size} · encoding ${answer.encoding} · ${ttl}`;
    this.tools.hidden = !isString;
    this.bitsToggle.textContent = this.bits ? "View as text" : "View as bits";
    this.drawRange(answer);
    this.body.replaceChildren(this.content(answer));
    if (answer.items.some((item) => item.cut)) {
      this.body.append(el("p", "key-view-note", `Elements longer than ${number(ELEMENT_MAX_BYTES)} bytes are shown cut to their first ${number(ELEMENT_MAX_BYTES)}.`));
    }
  }

  drawRange(answer) {
    const unit = answer.type === "string" ? "bytes" : UNITS[answer.view];
    const first = answer.count ? answer.offset + 1 : answer.offset;
    this.range.textContent = `${unit} ${number(first)}–${number(answer.offset + answer.count)} of ${number(answer.size)}`;
    const whole = answer.offset === 0 && answer.count >= answer.size;
    this.pager.hidden = whole;
    const hadFocus = document.activeElement;
    this.prev.disabled = answer.offset === 0;
    this.next.disabled = answer.offset + answer.count >= answer.size;
    // A button disabled while focused would drop focus to the page: the other one takes it.
    if (hadFocus === this.next && this.next.disabled) (this.prev.disabled ? this.back : this.prev).focus();
    if (hadFocus === this.prev && this.prev.disabled) (this.next.disabled ? this.back : this.next).focus();
  }

  content(answer) {
    const key = answer.key;
    const items = answer.items;
    switch (this.bits && answer.type === "string" ? "bits" : answer.view) {
      case "list":
        return listCells(answer);
      case "hash":
        return table(`Fields of hash ${key}`, ["Field", "Value"], items, (item) => [item.field, item.value]);
      case "set": {
        const list = el("ul", "kv-members");
        list.setAttribute("aria-label", `Members of set ${key}`);
        for (const item of items) list.append(el("li", null, item.member));
        return list;
      }
      case "zset":
        return table(`Members of sorted set ${key} by rank, with their scores`, ["Rank", "Member", "Score"], items,
          (item) => [String(item.rank), item.member, item.score], "kv-ranked");
      case "geo":
        return table(`Members of geo set ${key} with their positions`, ["Member", "Longitude", "Latitude", "Score (geohash)"],
          items, (item) => [item.member, item.longitude, item.latitude, item.score], "kv-ranked");
      case "stream":
        return streamView(answer);
      case "hll":
        return facts([
          ["Estimated distinct elements (PFCOUNT)", answer.hll.estimate === null ? "unreadable (corrupted)" : number(answer.hll.estimate)],
          ["HyperLogLog encoding", answer.hll.encoding],
          ["Size", `${number(answer.size)} bytes`],
        ]);
      case "bits":
        return bitsTable(answer);
      case "json":
        if (answer.count === answer.size) {
          const pre = el("pre", "kv-text kv-json", JSON.stringify(JSON.parse(answer.value), null, 2));
          pre.setAttribute("aria-label", `JSON held by ${key}, pretty-printed`);
          return pre;
        }
      // falls through: a JSON document too long to pretty-print is shown as its text
      default: {
        const pre = el("pre", "kv-text", answer.value);
        pre.setAttribute("aria-label", `Value of ${key}`);
        return pre;
      }
    }
  }
}

// A list: one cell per element, its index above and its index from the end below.
function listCells(answer) {
  const cells = el("ol", "kv-cells");
  cells.setAttribute("aria-label", `Elements of list ${answer.key}, with their indices from the start and from the end`);
  for (const item of answer.items) {
    const cell = el("li", "kv-cell");
    cell.append(
      el("span", "kv-index", String(item.index)),
      el("span", "kv-value", item.value),
      el("span", "kv-index kv-negative", String(item.negative_index)),
    );
    cell.setAttribute("aria-label", `index ${item.index} (${item.negative_index}): ${item.value}`);
    cells.append(cell);
  }
  return cells;
}

// A stream: its entries, then each consumer group with its position, lag and pending entries.
function streamView(answer) {
  const box = el("div", "kv-stream");
  box.append(table(`Entries of stream ${answer.key}`, ["ID", "Fields"], answer.items,
    (item) => [item.id, fieldList(item.fields)], "kv-entries"));
  const groups = el("div", "kv-groups");
  groups.append(el("h4", "kv-heading", answer.groups.length ? "Consumer groups" : "No consumer groups"));
  for (const group of answer.groups) {
    const section = el("section", "kv-group");
    section.setAttribute("aria-label", `Consumer group ${group.name}`);
    section.append(el("h5", "kv-group-name", group.name));
    section.append(facts([
      ["Last delivered ID", group.last_delivered_id],
      ["Entries read", group.entries_read === null ? "unknown" : number(group.entries_read)],
      ["Lag", group.lag === null ? "unknown" : number(group.lag)],
      ["Pending", number(group.pending)],
    ]));
    if (group.consumers.length) {
      section.append(table(`Consumers of group ${group.name} and their pending entries`, ["Consumer", "Pending", "Pending IDs"],
        group.consumers, (consumer) => [consumer.name, number(consumer.pending),
          consumer.pending_ids.join(", ") + (consumer.pending > consumer.pending_ids.length ? ", …" : "")]));
    }
    groups.append(section);
  }
  box.append(groups);
  return box;
}

// Any string as bits, a byte a row: the offset of its first bit, the eight bits (drawn, and
// as text), the byte in hex.
function bitsTable(answer) {
  const rows = [];
  for (let i = 0; i < answer.count; i++) rows.push({ offset: (answer.offset + i) * 8, bits: answer.bits.slice(i * 8, i * 8 + 8) });
  return table(`Bits of ${answer.key}, most significant first, with the offset of each byte's first bit`,
    ["Bit offset", "Bits", "Byte"], rows, (row) => {
      const bits = el("span", "kv-bits");
      const drawn = el("span", "kv-bit-boxes");
      drawn.setAttribute("aria-hidden", "true");
      for (const bit of row.bits) drawn.append(el("span", bit === "1" ? "kv-bit is-set" : "kv-bit"));
      bits.append(drawn, el("span", "kv-bit-text", row.bits));
      return [number(row.offset), bits, `0x${parseInt(row.bits, 2).toString(16).padStart(2, "0")}`];
    }, "kv-bits-table");
}
