// The server's virtual clock as the page shows it: the engine's time at its last answer,
// running on at real speed from there, and how far the learner moved it ahead of real
// time since the last reset. Owns that reading; the panel's buttons (advanceClock) are in
// runs.js, since moving the clock lets blocked clients time out.
import { $ } from "./dom.js";
import { formatDuration } from "./keyspace.js";

const clock = { now: null, at: 0, start: 0, resetAt: 0 };

// The clock of a server just reset: real time from `nowMs` on, nothing moved ahead yet.
export function restartClock(nowMs) {
  clock.start = nowMs;
  clock.resetAt = performance.now();
  syncClock(nowMs);
}

export function syncClock(nowMs) {
  if (typeof nowMs !== "number") return;
  clock.now = nowMs;
  clock.at = performance.now();
}

export function virtualNow() {
  if (clock.now === null) return null;
  return clock.now + (performance.now() - clock.at);
}

const pad = (n) => String(n).padStart(2, "0");
let shownSecond = null;
export function renderClock() {
  const now = virtualNow();
  if (now === null) return;
  const second = Math.floor(now / 1000);
  if (second === shownSecond) return;
  shownSecond = second;
  const date = new Date(now);
  $("clock-time").textContent = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  $("clock-date").textContent = `${date.toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  })} UTC`;
  const ahead = now - (clock.start + (performance.now() - clock.resetAt));
  $("clock-note").textContent =
    ahead >= 1000 ? `Follows real time, ${formatDuration(ahead)} ahead` : "Follows real time";
}
