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

// Resolves to { port, cli(args, input) -> Buffer, stop() } once the server answers PING.
export async function startRealRedis() {
  const port = await freePort();
  const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1",
    "--save", "", "--appendonly", "no", "--enable-debug-command", "yes", "--logfile", ""],
  { stdio: "ignore" });
  let exited = false;
  server.on("exit", () => { exited = true; });
  const cli = (args, input) => execFileSync("redis-cli", ["-p", String(port), ...args],
    { input, maxBuffer: 1 << 28, stdio: ["pipe", "pipe", "ignore"] });
  for (let attempt = 0; ; attempt++) {
    try {
      if (cli(["PING"]).toString().trim() === "PONG") break;
    } catch { /* still starting */ }
    if (attempt > 200 || exited) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((wake) => setTimeout(wake, 25));
  }
  return { port, cli, stop: () => server.kill() };
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
