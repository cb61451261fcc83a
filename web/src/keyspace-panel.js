// The keyspace panel: the inspector's view (keyspace.js) of the engine's latest snapshot.
// Owns the view, whether a snapshot is on its way, and the key count it last showed.
import { $ } from "./dom.js";
import { KeyspaceView } from "./keyspace.js";
import { syncClock } from "./clock.js";
import { engine, engineError, engineState } from "./session.js";

const SNAPSHOT_KEYS = 200;

let keyspace = null;
let snapshotPending = false;
export let lastSnapshotTotal = 0;

export function createKeyspacePanel() {
  keyspace = new KeyspaceView({ list: $("keys"), summary: $("keys-summary"), empty: $("keys-empty") });
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
    return snapshot;
  } catch (error) {
    engineError(error, "reading the keys");
    return null;
  } finally {
    snapshotPending = false;
  }
}
