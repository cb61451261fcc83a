// Debian's redis-server on a free loopback port, for the differential tests and the
// benchmark: started fresh (no persistence, DEBUG allowed) and driven with redis-cli.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Startup waits for an event (the server's "Ready to accept connections" line, or its
// exit), never for a number of attempts: a slow or busy machine only makes it later. The
// cap is a safety net for a server that hangs, far beyond any start-up, however slow the
// machine (redis-server is ready in milliseconds).
const HANG_LIMIT_MS = 5 * 60 * 1000;
const READY = /Ready to accept connections/;
// Another program may take the free port between freePort() and the server's bind: then
// the server exits saying so, and another port is tried (an event, not a guess).
const PORT_TAKEN = /Address already in use/;
const PORT_ATTEMPTS = 5;

// One start on `port`: resolves to { server, log() } once it is ready; rejects, with its
// output, if it exits first (or hangs past the safety limit).
function startOn(port) {
  // --logfile "": the log goes to stdout, which is read for the ready line and then kept
  // flowing (a full pipe would stop the server), its tail kept for messages.
  // --set-proc-title no: a process title would overwrite the environment, where
  // ./scripts/test's REDPAD_RUN_ID finds the server again should it outlive this process.
  const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1",
    "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--logfile", "",
    "--set-proc-title", "no"],
  { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk) => { output = (output + chunk.toString("latin1")).slice(-4000); };
  const log = () => output.trim().split("\n").slice(-12).map((line) => `  | ${line}`).join("\n");
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(hang);
      reject(Object.assign(new Error(`redis-server on port ${port} ${why}; its output:\n${log()}`),
        { portTaken: PORT_TAKEN.test(output) }));
    };
    const hang = setTimeout(() => {
      server.kill("SIGKILL");
      fail(`neither became ready nor exited in ${HANG_LIMIT_MS / 1000} s (hung)`);
    }, HANG_LIMIT_MS);
    server.on("error", (error) => fail(`could not be started (${error.message}; is redis-server installed?)`));
    server.on("exit", (code, signal) => fail(`exited before it was ready (${signal ?? `status ${code}`})`));
    server.stderr.on("data", keep);
    server.stdout.on("data", (chunk) => {
      keep(chunk);
      if (!READY.test(output)) return;
      clearTimeout(hang);
      server.removeAllListeners("exit");
      server.removeAllListeners("error");
      resolve({ server, log });
    });
  });
}

// Resolves to { port, cli(args, input) -> Buffer, stop() } once the server answers PING.
export async function startRealRedis() {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let started;
    try {
      started = await startOn(port);
    } catch (error) {
      if (error.portTaken && attempt < PORT_ATTEMPTS) continue;
      throw error;
    }
    const { server } = started;
    server.on("error", () => {});
    const cli = (args, input) => execFileSync("redis-cli", ["-p", String(port), ...args],
      { input, maxBuffer: 1 << 28, stdio: ["pipe", "pipe", "ignore"] });
    // Ready means listening: one PING says the server and redis-cli agree on the port.
    let pong = "";
    try {
      pong = cli(["PING"]).toString().trim();
    } catch (error) {
      pong = error.message;
    }
    if (pong !== "PONG") {
      server.kill();
      throw new Error(`redis-server on port ${port} was ready but PING answered ${JSON.stringify(pong)}; ` +
        `its output:\n${started.log()}`);
    }
    return { port, cli, stop: () => server.kill() };
  }
}

// For the command-line runners: the server, or a message and exit status 2.
export async function startRealRedisOrExit() {
  try {
    return await startRealRedis();
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}
