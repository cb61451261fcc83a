// Links between clients in the output's columns (docs/clients.md), drawn from the steps'
// `caused_by`: a PUBLISH to each subscriber's message, the push that served a blocked pop
// to its answer, the write that aborted a WATCHed EXEC to that EXEC. Each link is an arrow
// in an SVG laid over its run's grid (redrawn when the grid changes size; inside the grid,
// so it scrolls with it; pointer-events none, so text selection is untouched) and a line of
// text under the entry it points at ("← from main's PUBLISH, line 3"). Loaded with import()
// the first time a recorded Run has such a link.
import { el } from "./dom.js";
import { commandOf } from "./timeline-model.js";

const SVG = "http://www.w3.org/2000/svg";
const grids = new Map(); // grid element -> [{ from, to, kind }]
let observer = null;

// The text of a link, from the entry it comes from: "← from main's PUBLISH, line 3".
export function linkLabel(step, cause, causeResult, result) {
  const from = `${cause.client ?? "main"}'s ${commandOf(causeResult?.text).name || "command"}`;
  const line = cause.line ? `, line ${cause.line}` : "";
  if (step.kind === "message") return `← from ${from}${line}`;
  if (commandOf(result?.text).name === "EXEC") {
    return `← aborted by ${from}${line}${step.watch_key ? ` (${step.watch_key} changed)` : ""}`;
  }
  return `← served by ${from}${line}`;
}

// The kind of a link (its colour and its arrow's dash).
const linkKind = (step, result) =>
  step.kind === "message" ? "message" : commandOf(result?.text).name === "EXEC" ? "abort" : "served";

// Draws the links of a recorded run. `stepById(id)` gives { step, result, entry } of any
// recorded step.
export function linkRun(run, stepById) {
  run.steps.forEach((step, index) => {
    if (!step.caused_by) return;
    const to = run.entries[index];
    const cause = stepById(step.caused_by);
    if (!to || !cause) return;
    const result = typeof step.result === "number" ? run.results[step.result] : null;
    if (!to.querySelector(":scope > .link-note")) {
      const note = el("p", "link-note", linkLabel(step, cause.step, cause.result, result));
      to.append(note);
    }
    const from = cause.entry;
    const grid = to.closest(".clients-grid");
    if (!from || !grid || from.closest(".clients-grid") !== grid || from === to) return;
    const links = grids.get(grid) ?? [];
    links.push({ from, to, kind: linkKind(step, result) });
    grids.set(grid, links);
    watch(grid);
    draw(grid);
  });
}

function watch(grid) {
  if (!observer) {
    observer = new ResizeObserver((records) => {
      for (const record of records) if (grids.has(record.target)) draw(record.target);
    });
  }
  observer.observe(grid);
}

// An arrow from the right (or left) edge of `from`'s echo line to `to`'s, as a curve.
function draw(grid) {
  if (!grid.isConnected) {
    grids.delete(grid);
    observer?.unobserve(grid);
    return;
  }
  const links = (grids.get(grid) ?? []).filter((link) => link.from.isConnected && link.to.isConnected);
  grids.set(grid, links);
  let svg = grid.querySelector(":scope > svg.client-links");
  if (!svg) {
    svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "client-links");
    svg.setAttribute("aria-hidden", "true");
    const defs = document.createElementNS(SVG, "defs");
    for (const kind of ["message", "served", "abort"]) {
      const marker = document.createElementNS(SVG, "marker");
      marker.setAttribute("id", `link-head-${kind}-${markerIds}`);
      marker.setAttribute("viewBox", "0 0 8 8");
      marker.setAttribute("refX", "7");
      marker.setAttribute("refY", "4");
      marker.setAttribute("markerWidth", "7");
      marker.setAttribute("markerHeight", "7");
      marker.setAttribute("orient", "auto");
      const head = document.createElementNS(SVG, "path");
      head.setAttribute("d", "M0 0 8 4 0 8z");
      head.setAttribute("class", `link-head link-${kind}`);
      marker.append(head);
      defs.append(marker);
    }
    svg.dataset.markers = String(markerIds++);
    svg.append(defs);
    grid.append(svg);
  }
  const box = grid.getBoundingClientRect();
  svg.setAttribute("width", String(grid.scrollWidth));
  svg.setAttribute("height", String(grid.scrollHeight));
  for (const path of svg.querySelectorAll("path.link")) path.remove();
  for (const { from, to, kind } of links) {
    const a = (from.querySelector(".echo") ?? from).getBoundingClientRect();
    const b = (to.querySelector(".echo") ?? to).getBoundingClientRect();
    if (!a.width || !b.width) continue;
    const rightward = b.left >= a.right - 4;
    const x1 = (rightward ? a.right : a.left) - box.left + grid.scrollLeft;
    const x2 = (rightward ? b.left : b.right) - box.left + grid.scrollLeft;
    const y1 = a.top + a.height / 2 - box.top + grid.scrollTop;
    const y2 = b.top + b.height / 2 - box.top + grid.scrollTop;
    const bend = Math.max(24, Math.abs(x2 - x1) / 2) * (rightward ? 1 : -1);
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("class", `link link-${kind}`);
    path.setAttribute("d", `M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}`);
    path.setAttribute("marker-end", `url(#link-head-${kind}-${svg.dataset.markers})`);
    svg.append(path);
  }
}
let markerIds = 1;
