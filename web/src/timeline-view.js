// The step timeline's view, loaded when the learner first opens the timeline (or clicks a
// line that ran): the bar in the server panel (first, previous, next, last, Live, "step 4
// of 12", ←/→ keys), the inspector as it was right after the step (its keys marked added,
// changed, deleted or expired, in words as well as colour), one line saying what happened,
// and the step's output entry highlighted. Leaving (Live, Escape, a new Run, a reset)
// shows the live server again. Owns the open position; the steps are the recorder's
// (timeline-record.js), the reasoning timeline-model.js's.
import { $, el } from "./dom.js";
import { clockText } from "./output-text.js";
import { recorded, stepById } from "./timeline-record.js";
import { MARK_TEXT, keysAt, previewText, stepWords, ttlAt, ttlText } from "./timeline-model.js";

let position = null; // index in recorded.steps, or null: the live server
let bar = null; // { root, position, time, words, buttons, keys }

const stepAt = (index) => recorded.steps[index] ?? null;
export const isOpen = () => position !== null;
export const currentPosition = () => position;

// The buttons' icons, drawn (arrow glyphs like ⏮ are missing from many fonts): a bar
// (the end) and a triangle, pointing left or right.
const ICONS = {
  first: "M4 3v10M13 3 6 8l7 5z",
  previous: "M11 3 4 8l7 5z",
  next: "M5 3l7 5-7 5z",
  last: "M12 3v10M3 3l7 5-7 5z",
};

function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "timeline-icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

function control(label, name, onClick) {
  const button = el("button", `btn btn-small timeline-btn timeline-${name}`);
  button.type = "button";
  button.setAttribute("aria-label", label);
  button.title = label;
  button.append(icon(name));
  button.addEventListener("click", onClick);
  return button;
}

// The bar, built once, in the server panel (#timeline).
function buildBar() {
  const root = $("timeline");
  const tools = el("div", "timeline-bar");
  tools.setAttribute("role", "group");
  tools.setAttribute("aria-label", "Step timeline: ← and → step, Home and End go to the ends, Escape goes back to live");
  const buttons = {
    first: control("First step", "first", () => go(0)),
    previous: control("Previous step", "previous", () => go(position - 1)),
    next: control("Next step", "next", () => go(position + 1)),
    last: control("Last step", "last", () => go(recorded.steps.length - 1)),
  };
  const where = el("span", "timeline-position");
  const live = el("button", "btn btn-small timeline-live", "Live");
  live.type = "button";
  live.title = "Back to the server as it is now (Escape)";
  live.setAttribute("aria-label", "Leave the timeline: back to the live server");
  live.addEventListener("click", () => leaveTimeline({ focus: true }));
  tools.append(buttons.first, buttons.previous, where, buttons.next, buttons.last, live);
  const track = el("div", "timeline-track");
  track.setAttribute("aria-hidden", "true");
  const fill = el("div", "timeline-fill");
  track.append(fill);
  const time = el("p", "timeline-time");
  const words = el("p", "timeline-words");
  words.setAttribute("aria-live", "polite");
  words.id = "timeline-words";
  const keys = el("ul", "keys timeline-keys");
  keys.setAttribute("aria-label", "Keys at this step");
  const empty = el("p", "keys-empty timeline-empty", "No keys at this step.");
  root.append(tools, track, time, words);
  $("keys").after(keys, empty);
  root.addEventListener("keydown", onKey);
  keys.addEventListener("keydown", onKey);
  // A click on an output entry opened the timeline with focus in the output: Escape there
  // leaves it too (the arrows keep scrolling the output).
  $("output").addEventListener("keydown", (event) => {
    if (event.key === "Escape" && position !== null) {
      event.preventDefault();
      leaveTimeline();
    }
  });
  bar = { root, tools, where, fill, time, words, buttons, live, keys, empty };
}

function onKey(event) {
  if (position === null || event.altKey || event.ctrlKey || event.metaKey) return;
  const moves = {
    ArrowLeft: () => go(position - 1),
    ArrowRight: () => go(position + 1),
    Home: () => go(0),
    End: () => go(recorded.steps.length - 1),
    Escape: () => leaveTimeline({ focus: true }),
  };
  const move = moves[event.key];
  if (!move) return;
  event.preventDefault();
  move();
}

// Opens the timeline at step `index` (of recorded.steps). { focus } moves keyboard focus
// to the bar (opened from a button or a key).
export function openTimeline(index, { focus = false } = {}) {
  if (!recorded.steps.length) return;
  if (!bar) buildBar();
  document.querySelector(".server")?.classList.add("is-timeline");
  document.documentElement.dataset.timeline = "open";
  $("timeline-open")?.setAttribute("aria-expanded", "true");
  go(Math.max(0, Math.min(index ?? 0, recorded.steps.length - 1)));
  if (focus) (bar.buttons.next.disabled ? bar.live : bar.buttons.next).focus();
}

// Back to the live server's inspector. { focus } puts focus on the button that opens the
// timeline again (the bar it was in is gone).
export function leaveTimeline({ focus = false } = {}) {
  if (position === null) return;
  const hadFocus = bar.root.contains(document.activeElement) || bar.keys.contains(document.activeElement);
  position = null;
  document.querySelector(".server")?.classList.remove("is-timeline");
  delete document.documentElement.dataset.timeline;
  delete document.documentElement.dataset.step;
  $("timeline-open")?.setAttribute("aria-expanded", "false");
  highlightEntry(null);
  bar.keys.replaceChildren();
  bar.words.textContent = "";
  if ((focus || hadFocus) && $("timeline-open") && !$("timeline-open").hidden) $("timeline-open").focus();
}

// The recorded steps changed (a tick while the timeline is open, or a reset).
export function stepsChanged() {
  if (position === null) return;
  if (!recorded.steps.length) leaveTimeline();
  else showPosition();
}

function go(index) {
  if (!recorded.steps.length) return;
  const next = Math.max(0, Math.min(index, recorded.steps.length - 1));
  const moved = next !== position;
  position = next;
  showPosition();
  if (moved) render();
}

function showPosition() {
  const total = recorded.steps.length;
  const { step } = stepAt(position);
  const focused = Object.values(bar.buttons).find((button) => button === document.activeElement);
  bar.where.textContent = `Step ${position + 1} of ${total}`;
  bar.fill.style.width = `${total > 1 ? (position / (total - 1)) * 100 : 100}%`;
  bar.buttons.first.disabled = bar.buttons.previous.disabled = position === 0;
  bar.buttons.next.disabled = bar.buttons.last.disabled = position === total - 1;
  // A button that just got disabled (the first or last step reached) would drop keyboard
  // focus to the page: it moves to the button pointing the other way.
  if (focused?.disabled) {
    const other = focused === bar.buttons.first || focused === bar.buttons.previous ? bar.buttons.next : bar.buttons.previous;
    (other.disabled ? bar.live : other).focus();
  }
  document.documentElement.dataset.step = String(position + 1);
  bar.root.dataset.stepId = String(step.id);
}

// What the step is: where (its client and line), when, and what it did, then the keys.
function render() {
  const { step, run, index } = stepAt(position);
  const result = typeof step.result === "number" ? run.results[step.result] : null;
  const words = stepWords(step, { result, stepById });
  const where = [];
  if (step.client) where.push(step.client);
  if (step.line) where.push(`line ${step.line}`);
  where.push(clockText(step.now_ms));
  bar.time.textContent = where.join(" · ");
  // Announced (polite): the position, then the words.
  bar.words.replaceChildren(el("span", "sr-only", `Step ${position + 1} of ${recorded.steps.length}: `), words);
  const rows = keysAt(run.base, run.steps, index);
  bar.keys.replaceChildren(...rows.map((row) => keyRow(row, step.now_ms)));
  bar.empty.hidden = rows.length > 0;
  highlightEntry(run.entries[index]);
}

function keyRow({ key, summary, mark, gone }, nowMs) {
  const row = el("li", `key-row type-${summary.type}`);
  if (mark) row.classList.add(`mark-${mark}`);
  if (gone) row.classList.add("is-deleted");
  const head = el("div", "key-head");
  const name = el(gone ? "del" : "span", "key-name", key);
  name.title = key;
  head.append(el("span", "type-badge", summary.type), name);
  if (mark) head.append(el("span", `step-mark step-mark-${mark}`, MARK_TEXT[mark]));
  const ttl = gone ? null : ttlAt(summary, nowMs);
  if (ttl !== null) {
    const text = ttlText(ttl);
    const box = el("span", "key-ttl");
    box.append(el("span", "sr-only", "expires in "), text);
    box.title = `Expires ${text} after this step`;
    head.append(box);
  }
  row.append(head, el("div", "key-preview", previewText(summary)));
  return row;
}

let highlighted = null;
function highlightEntry(entry) {
  highlighted?.classList.remove("is-step-current");
  highlighted?.removeAttribute("aria-current");
  highlighted = entry?.isConnected ? entry : null;
  if (!highlighted) return;
  highlighted.classList.add("is-step-current");
  highlighted.setAttribute("aria-current", "step");
  // Into view inside the output pane only (the page itself does not jump).
  const box = $("output");
  const top = highlighted.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  const bottom = top + highlighted.offsetHeight;
  if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
}
