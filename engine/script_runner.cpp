#include "script_runner.h"

#include <utility>

namespace redpad {

namespace {

constexpr const char* kTooManyClients = "(redpad) A script can use at most 32 clients";

// A ConsoleResult describing a line that did not produce a reply of the server's.
void describe_line(const ScriptLine& line, ConsoleResult::Kind kind, std::string display,
                   const Console& console, ConsoleResult& result) {
  result = ConsoleResult{};
  result.kind = kind;
  result.line_number = line.line_number;
  result.prompt = console.prompt_state();
  result.text = line.text;
  result.args = line.args;
  result.display = std::move(display);
}

}  // namespace

ScriptRunner::ScriptRunner(Server& server, bool ansi) : server_(server), ansi_(ansi) {
  auto main = std::make_unique<ScriptClient>();
  main->name = "main";
  main->session = &server_.default_session();
  main->console = std::make_unique<Console>(server_, *main->session, &budget_);
  main->console->set_ansi(ansi_);
  clients_.push_back(std::move(main));
  current_ = clients_.front().get();
}

ScriptClient* ScriptRunner::find_client(std::uint64_t session_id) {
  for (auto& client : clients_) {
    if (client->session->id == session_id) return client.get();
  }
  return nullptr;
}

ScriptClient* ScriptRunner::client_named(const std::string& name) {
  for (auto& client : clients_) {
    if (client->name == name) return client.get();
  }
  if (clients_.size() >= kMaxClients) return nullptr;
  auto client = std::make_unique<ScriptClient>();
  client->name = name;
  client->session = &server_.create_session(name);
  client->console = std::make_unique<Console>(server_, *client->session, &budget_);
  client->console->set_ansi(ansi_);
  clients_.push_back(std::move(client));
  return clients_.back().get();
}

void ScriptRunner::emit(RunEvent::Kind kind, ScriptClient& client, ConsoleResult* result,
                        const RunEventSink& sink) {
  RunEvent event;
  event.kind = kind;
  event.client = &client.name;
  event.result = result;
  sink(event);
}

bool ScriptRunner::run_script(std::string_view script, const RunEventSink& sink) {
  current_ = clients_.front().get();
  stopped_ = false;
  exhausted_ = false;
  for_each_script_line(script, [this, &sink](ScriptLine& line) { return run_line(line, sink); });
  if (!stopped_) settle(sink);
  return !stopped_;
}

bool ScriptRunner::run_line(ScriptLine& line, const RunEventSink& sink) {
  if (stopped_) return false;
  if (line.kind == ScriptLine::Kind::ClientSwitch) {
    if (ScriptClient* client = client_named(line.text.substr(1))) {
      current_ = client;
    } else {
      describe_line(line, ConsoleResult::Kind::InvalidLine, std::string(kTooManyClients) + "\n",
                    *current_->console, line_result_);
      emit(RunEvent::Kind::Line, *current_, &line_result_, sink);
    }
    return true;
  }
  // Typed into a redis-cli that is still waiting: it is sent once the wait is over.
  if (current_->session->blocked) {
    current_->waiting.push_back(line);
    return true;
  }
  execute(*current_, line, sink);
  return !stopped_;
}

bool ScriptRunner::execute(ScriptClient& client, ScriptLine& line, const RunEventSink& sink) {
  // Waits whose time has come end first, as Redis handles timeouts between commands.
  server_.unblock_timed_out();
  if (server_.has_deliveries()) deliver(sink);
  if (stopped_) return false;
  current_line_ = line.line_number;
  ConsoleResult& result = line_result_;
  client.console->run(line, result);
  if (result.commands_exhausted) {
    exhausted_ = true;
    stopped_ = true;
  }
  switch (result.kind) {
    case ConsoleResult::Kind::Blocked:
      if (result.repeats_left > 0) {  // "3 BLPOP q 0": the other two wait their turn
        ScriptLine rest;
        rest.line_number = result.line_number;
        rest.text = result.text;
        rest.args = result.args;
        rest.repeat = result.repeats_left;
        client.waiting.push_front(std::move(rest));
      }
      emit(RunEvent::Kind::Blocked, client, &result, sink);
      break;
    case ConsoleResult::Kind::Quit:
      emit(RunEvent::Kind::Line, client, &result, sink);
      if (&client == clients_.front().get()) {
        stopped_ = true;  // redis-cli exits: the script ends here
      } else {
        // Another client disconnects; its next line connects it again, as new.
        server_.close_session(client.session->id);
        client.session = &server_.create_session(client.name);
        client.console = std::make_unique<Console>(server_, *client.session, &budget_);
        client.console->set_ansi(ansi_);
        client.waiting.clear();
      }
      break;
    default:
      emit(RunEvent::Kind::Line, client, &result, sink);
      break;
  }
  server_.unblock_timed_out();
  if (server_.has_deliveries()) deliver(sink);
  return !stopped_;
}

void ScriptRunner::deliver(const RunEventSink& sink) {
  while (server_.has_deliveries()) {
    std::vector<Delivery> batch = server_.take_deliveries();
    std::vector<ScriptClient*> answered;
    for (const Delivery& delivery : batch) {
      ScriptClient* client = find_client(delivery.client_id);
      if (!client) continue;
      RunEvent event;
      event.client = &client->name;
      event.result = &delivery_result_;
      event.cause = delivery.cause;
      if (delivery.cause == Delivery::Cause::Message) {
        client->console->show_message(delivery, delivery_result_);
        event.kind = RunEvent::Kind::Message;
        event.source_line = current_line_;
      } else {
        client->console->show_answer(delivery, delivery_result_);
        event.kind = RunEvent::Kind::Answer;
        answered.push_back(client);
      }
      sink(event);
    }
    // Every answer is out before the lines typed behind them run.
    for (ScriptClient* client : answered)
      run_waiting(*client, sink);
  }
}

void ScriptRunner::run_waiting(ScriptClient& client, const RunEventSink& sink) {
  while (!client.waiting.empty() && !client.session->blocked && !stopped_) {
    ScriptLine line = std::move(client.waiting.front());
    client.waiting.pop_front();
    execute(client, line, sink);
  }
}

// False when the clock cannot get there (it stops some 285,000 years ahead).
bool ScriptRunner::advance_to(std::int64_t time_ms) {
  const std::int64_t now = server_.clock().now_ms();
  if (time_ms > now) server_.clock().advance(time_ms - now);
  return server_.clock().now_ms() >= time_ms;
}

void ScriptRunner::tick(const RunEventSink& sink) {
  server_.unblock_timed_out();
  if (server_.has_deliveries()) deliver(sink);
}

void ScriptRunner::settle(const RunEventSink& sink) {
  for (;;) {
    tick(sink);
    if (stopped_) return;
    std::int64_t next = 0;
    for (const auto& client : clients_) {
      const auto& blocked = client->session->blocked;
      if (!blocked || client->waiting.empty() || blocked->timeout_at_ms == 0) continue;
      if (next == 0 || blocked->timeout_at_ms < next) next = blocked->timeout_at_ms;
    }
    if (next == 0 || !advance_to(next)) break;
  }
  for (const auto& client : clients_) {
    if (!client->session->blocked) continue;
    for (const ScriptLine& line : client->waiting) {
      describe_line(line, ConsoleResult::Kind::Replies, "", *client->console, delivery_result_);
      emit(RunEvent::Kind::NotRun, *client, &delivery_result_, sink);
    }
    client->waiting.clear();
  }
}

void ScriptRunner::wait_for_timeouts(const RunEventSink& sink) {
  for (;;) {
    settle(sink);
    if (stopped_) return;
    const std::int64_t next = server_.next_timeout_ms();
    if (next == 0 || !advance_to(next)) return;
  }
}

}  // namespace redpad
