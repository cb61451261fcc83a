// redpad-cli: the engine behind a redis-cli front end. With a pipe on stdin it prints
// exactly what `redis-cli --no-raw` prints for the same lines against a fresh Redis 7.0;
// at a terminal it is an interactive prompt in redis-cli's style.
#include <unistd.h>
#ifdef REDPAD_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "script.h"
#include "script_runner.h"
#include "server.h"

namespace {

std::int64_t wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// One line from the user: with line editing and history at a terminal when libedit is there.
bool read_line(bool interactive, const std::string& prompt, std::string& line) {
#ifdef REDPAD_HAVE_LIBEDIT
  if (interactive) {
    char* input = readline(prompt.c_str());
    if (!input) return false;
    line = input;
    std::free(input);
    if (!line.empty()) add_history(line.c_str());
    return true;
  }
#endif
  if (interactive) {
    std::fputs(prompt.c_str(), stdout);
    std::fflush(stdout);
  }
  return static_cast<bool>(std::getline(std::cin, line));
}

void print_usage() {
  std::fputs(
      "Usage: redpad-cli [--maxmemory <bytes>] [--max-commands <count>] [--help]\n"
      "\n"
      "Reads Redis commands, one per line, and prints the replies exactly as\n"
      "`redis-cli --no-raw` would against a fresh Redis 7.0 server.\n"
      "With a terminal on stdin it is an interactive prompt; type `help` for help,\n"
      "`quit` to leave. Lines starting with # and text after \" -- \" are comments.\n"
      "DEBUG SLEEP <seconds> moves the virtual clock forward instead of waiting.\n"
      "A line @name switches to (or connects) another client, e.g. @worker-2; a\n"
      "line @name is printed before output from a client other than the last one.\n"
      "\n"
      "  --maxmemory <bytes>     start with this maxmemory (\"64mb\", as CONFIG SET takes;\n"
      "                          Redis's default, 0, is no limit)\n"
      "  --max-commands <count>  stop after running this many commands (a repeated\n"
      "                          line counts each time), as the page stops a Run\n",
      stdout);
}

// redis-cli's prompt in redpad's words, with the client's name once there are several.
std::string prompt(const redpad::ScriptRunner& runner) {
  const redpad::ScriptClient& client = runner.current_client();
  std::string prompt = client.console->prompt();
  if (runner.clients().size() > 1) prompt.insert(prompt.size() - 2, "@" + client.name);
  return prompt;
}

}  // namespace

int main(int argc, char** argv) {
  std::string maxmemory;
  std::uint64_t max_commands = UINT64_MAX;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      print_usage();
      return 0;
    }
    if ((arg == "--maxmemory" || arg == "--max-commands") && i + 1 < argc) {
      const std::string value = argv[++i];
      if (arg == "--maxmemory") {
        maxmemory = value;
        continue;
      }
      char* end = nullptr;
      max_commands = std::strtoull(value.c_str(), &end, 10);
      if (!value.empty() && value[0] != '-' && *end == '\0') continue;
      std::fprintf(stderr, "redpad-cli: --max-commands wants a count, not '%s'\n", value.c_str());
      return 2;
    }
    std::fprintf(stderr, "redpad-cli: unknown option '%s' (try --help)\n", arg.c_str());
    return 2;
  }

  redpad::ServerConfig config;
  config.start_time_ms = wall_clock_ms();
  config.seed = static_cast<std::uint64_t>(config.start_time_ms);
  redpad::Server server(config);
  if (!maxmemory.empty()) {
    // Exactly what CONFIG SET accepts, with its error otherwise.
    const redpad::Reply reply =
        server.execute(server.default_session(), {"CONFIG", "SET", "maxmemory", maxmemory});
    if (reply.is_error()) {
      std::fprintf(stderr, "redpad-cli: --maxmemory: %s\n", reply.str.c_str());
      return 2;
    }
  }
  redpad::ScriptRunner runner(server, /*ansi=*/true);
  runner.set_limits(max_commands, UINT64_MAX);
  const bool interactive = isatty(STDIN_FILENO) != 0;

  // Output of a client other than the one that spoke last is headed by its name.
  const std::string* speaking = &runner.main_client().name;
  const redpad::RunEventSink print = [&speaking, interactive](const redpad::RunEvent& event) {
    const std::string& display = event.result->display;
    if (event.kind == redpad::RunEvent::Kind::NotRun) {
      std::fflush(stdout);
      std::fprintf(stderr, "redpad-cli: %s's line %d did not run: the client is blocked for ever\n",
                   event.client->c_str(), event.result->line_number);
    }
    if (display.empty()) return;
    if (event.client != speaking) {  // names live as long as their clients
      std::printf("@%s\n", event.client->c_str());
      speaking = event.client;
    }
    std::fwrite(display.data(), 1, display.size(), stdout);
    if (interactive) std::fflush(stdout);
  };

  std::string line;
  int line_number = 0;
  bool finished = true;
  // Typed lines: the clock follows real time, line by line. A script on stdin runs as one,
  // as in the page and redpad-cli.mjs: its clock is set once, so only its own commands
  // (DEBUG SLEEP, timeouts) move it, however long this process waits between two lines.
  if (!interactive) server.clock().set_host_time(wall_clock_ms());
  for (;;) {
    if (!read_line(interactive, prompt(runner), line)) break;
    ++line_number;
    auto parsed = redpad::parse_script_line(line, line_number);
    if (!parsed) continue;
    if (interactive) server.clock().set_host_time(wall_clock_ms());
    if (!runner.run_line(*parsed, print)) {
      finished = false;
      break;
    }
  }
  if (runner.budget_exhausted()) {
    std::fflush(stdout);
    std::fprintf(stderr,
                 "redpad-cli: stopped after %llu commands (--max-commands): line %d did not "
                 "finish and the lines after it did not run\n",
                 static_cast<unsigned long long>(max_commands), line_number);
    return 3;
  }
  // redis-cli would wait for the answers still to come: time passes (virtually) for them.
  if (finished) runner.wait_for_timeouts(print);
  for (const auto& client : runner.clients()) {
    if (!client->session->blocked) continue;
    std::fflush(stdout);
    std::fprintf(stderr,
                 "redpad-cli: %s is still blocked (no timeout): redis-cli would wait for ever\n",
                 client->name.c_str());
  }
  if (interactive) std::fputs("\n", stdout);
  return 0;
}
