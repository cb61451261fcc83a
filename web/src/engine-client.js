// The page's side of the engine worker: promise-based calls, and a restart that gives up
// a stuck worker (a huge script) for a fresh one.

export class EngineError extends Error {
  constructor(message, { restarted = false, fatal = false } = {}) {
    super(message);
    this.restarted = restarted;
    this.fatal = fatal;
  }
}

export class EngineClient {
  constructor(workerUrl) {
    this.workerUrl = workerUrl;
    this.worker = null;
    this.pending = new Map();
    this.nextId = 1;
    this.busy = 0;
    this.onBusyChange = () => {};
  }

  start() {
    // The first start adopts the worker boot.js began as the page loaded (same script),
    // unless it already failed: a new one then reports why through onerror below.
    const early = globalThis.redpadEarlyWorker;
    globalThis.redpadEarlyWorker = null;
    if (early?.redpadFailed) early.terminate();
    this.worker = early && !early.redpadFailed ? early : new Worker(this.workerUrl, { type: "module" });
    this.worker.onmessage = (event) => {
      const { id, ok, value, error, restarted } = event.data;
      const call = this.pending.get(id);
      if (!call) return;
      this.pending.delete(id);
      this.setBusy(-1);
      if (ok) call.resolve(value);
      else call.reject(new EngineError(error, { restarted }));
    };
    // The worker's script itself failed to load or threw at the top level.
    this.worker.onerror = (event) => {
      event.preventDefault?.();
      this.failAll(new EngineError(event.message || "the engine's worker could not start", { fatal: true }));
    };
  }

  setBusy(delta) {
    this.busy += delta;
    this.onBusyChange(this.busy > 0);
  }

  call(op, args = {}) {
    if (!this.worker) return Promise.reject(new EngineError("the engine is not running", { fatal: true }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, op });
      this.setBusy(1);
      this.worker.postMessage({ id, op, ...args });
    });
  }

  failAll(error) {
    const calls = [...this.pending.values()];
    this.pending.clear();
    this.busy = 0;
    this.onBusyChange(false);
    for (const call of calls) call.reject(error);
  }

  // Ends the worker, whatever it is doing; start() makes another.
  terminate() {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(new EngineError("stopped", { restarted: true }));
  }
}
