// The keyspace panel: the inspector's view (keyspace.js) of the engine's latest snapshot.
// Owns the view, whether a snapshot is on its way, and the key count it last showed.
import { $ } from "./dom.js";
import { KeyspaceView, formatDuration } from "./keyspace.js";
import { announce } from "./notices.js";
import { syncClock } from "./clock.js";
import { engine, engineError, engineState } from "./session.js";

const SNAPSHOT_KEYS = 200;

let keyspace = null;
let snapshotPending = false;
export let lastSnapshotTotal = 0;

export function createKeyspacePanel() {
  keyspace = new KeyspaceView({ list: $("keys"), summary: $("keys-summary"), empty: $("keys-empty") });
  // A click on a key's row (or Enter/Space on its name, a button) opens the key's view.
  $("keys").addEventListener("click", (event) => {
    const row = event.target.closest(".key-row");
    if (row && !row.classList.contains("is-gone")) openKeyView(row.dataset.key);
  });
}

// The selected key's view (key-views.js), loaded the first time a key is opened.
let keyView = null;
let keyViewLoading = null;

async function openKeyView(key) {
  keyViewLoading ??= import("./key-views.js").then(({ KeyView }) => new KeyView({
    host: $("keys").parentElement,
    panel: $("keys").closest(".panel"),
    inspect: (args) => engine.call("inspect", args),
    announce,
    formatDuration,
    onClose: (closed) => {
      const row = [...$("keys").children].find((item) => item.dataset.key === closed && !item.classList.contains("is-gone"));
      const title = $("keys-title");
      if (!row) title.tabIndex = -1; // focus goes back to the list's heading
      (row?.querySelector(".key-name") ?? title).focus();
    },
  }));
  try {
    keyView = await keyViewLoading;
  } catch (error) {
    keyViewLoading = null; // a failed download is tried again next time
    engineError(error, "loading the key's view");
    return;
  }
  await keyView.open(key);
}

// The clock moved on to `now`: true when a key's time ran out (a new snapshot is due).
export const keyspaceTick = (now) => keyspace.tick(now);

export async function refreshSnapshot() {
  if (engineState !== "ready" || snapshotPending) return null;
  snapshotPending = true;
  try {
    const snapshot = await engine.call("snapshot", { maxKeys: SNAPSHOT_KEYS });
    syncClock(snapshot.now_ms);
    keyspace.update(snapshot);
    lastSnapshotTotal = snapshot.total;
    keyView?.refresh();
    return snapshot;
  } catch (error) {
    engineError(error, "reading the keys");
    return null;
  } finally {
    snapshotPending = false;
  }
}
