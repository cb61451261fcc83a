#include "server.h"

#include <algorithm>
#include <utility>

#include "ascii.h"
#include "command_context.h"
#include "errors.h"
#include "heap_usage.h"

namespace redpad {

namespace {

// Redis never lets a newline into an error line: it would break the protocol.
std::string without_newlines(std::string text) {
  std::replace(text.begin(), text.end(), '\r', ' ');
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

// Redis prints arguments into errors with %s: a zero byte ends them.
std::string truncated(const std::string& text, size_t max) {
  return text.substr(0, std::min(max, text.find('\0')));
}

Reply unknown_command_error(const std::vector<std::string>& args) {
  // Arguments are quoted one by one until the list reaches 128 characters.
  std::string listed;
  for (size_t i = 1; i < args.size() && listed.size() < 128; ++i) {
    listed += "'" + truncated(args[i], 128 - listed.size()) + "' ";
  }
  return Reply::error(without_newlines("ERR unknown command '" + truncated(args[0], 128) +
                                       "', with args beginning with: " + listed));
}

Reply unknown_subcommand_error(const CommandSpec& container, const std::string& sub) {
  return Reply::error(without_newlines("ERR unknown subcommand '" + truncated(sub, 128) +
                                       "'. Try " + ascii_upper(container.name) + " HELP."));
}

Reply arity_error(const CommandSpec& spec) {
  return Reply::error("ERR wrong number of arguments for '" + spec.name + "' command");
}

}  // namespace

Server::Server(ServerConfig config)
    : config_(config),
      clock_(config.start_time_ms),
      commands_(&builtin_command_table()),
      databases_(static_cast<size_t>(config.databases)),
      watchers_(static_cast<size_t>(config.databases)),
      random_(config.seed) {
  create_session();
}

std::unique_ptr<Server> Server::clone_state() const {
  auto copy = std::make_unique<Server>(config_);
  copy->clock_ = clock_;
  copy->databases_ = databases_;
  copy->random_ = random_;
  copy->stats_ = stats_;
  return copy;
}

ClientSession& Server::create_session(std::string name) {
  auto session = std::make_unique<ClientSession>();
  session->id = next_session_id_++;
  session->name = std::move(name);
  ClientSession& ref = *session;
  sessions_.emplace(ref.id, std::move(session));
  return ref;
}

void Server::close_session(std::uint64_t id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end() || sessions_.size() == 1) return;  // the default session stays
  unwatch_all(*it->second);
  sessions_.erase(it);
}

Reply Server::execute(ClientSession& session, const std::vector<std::string>& args) {
  if (args.empty()) return Reply::nil();
  const std::int64_t now = clock_.now_ms();
  sweep_expired(now);

  // Refusals while queuing a transaction make its EXEC fail with EXECABORT. A refused
  // EXEC itself (wrong arity) ends the transaction at once, with the reason.
  auto refuse = [this, &session, &args](Reply error) {
    if (session.in_multi) session.multi_error = true;
    if (iequals(args[0], "exec") && !error.str.compare(0, 4, "ERR ")) {
      session.in_multi = false;
      session.multi_error = false;
      session.queued.clear();
      unwatch_all(session);
      return Reply::error("EXECABORT Transaction discarded because of: " + error.str.substr(4));
    }
    return error;
  };
  const CommandSpec* spec = commands_->find(args[0]);
  if (!spec) return refuse(unknown_command_error(args));
  if (!spec->subcommands.empty()) {
    if (args.size() < 2) return refuse(arity_error(*spec));
    const CommandSpec* sub = spec->find_subcommand(args[1]);
    if (!sub) return refuse(unknown_subcommand_error(*spec, args[1]));
    spec = sub;
  }
  if (!spec->accepts_argument_count(args.size())) return refuse(arity_error(*spec));

  // Over maxmemory, Redis refuses writes that may grow the data set, and anything queued
  // in a transaction (the queue itself grows), but never EXEC, DISCARD, QUIT or RESET.
  if (config_.maxmemory && over_maxmemory()) {
    const bool ends_transaction = spec->name == "exec" || spec->name == "discard" ||
                                  spec->name == "quit" || spec->name == "reset";
    if (spec->has(kDenyOom) || (session.in_multi && !ends_transaction)) {
      return refuse(Reply::error(errors::kOutOfMemory));
    }
  }
  if (session.in_multi && !spec->has(kTransactionControl)) {
    session.queued.push_back({spec, args});
    return Reply::status("QUEUED");
  }
  return call(*spec, session, args, now, now);
}

Reply Server::call(const CommandSpec& spec, ClientSession& session,
                   const std::vector<std::string>& args, std::int64_t now_ms,
                   std::int64_t key_time_ms) {
  CommandContext ctx{*this, session, args, spec, now_ms, key_time_ms};
  Reply reply = spec.handler(ctx);
  ++stats_.commands_processed;  // Redis counts a command once it has run
  return reply;
}

bool Server::over_maxmemory() const {
  return config_.maxmemory != 0 && heap_bytes_in_use() > config_.maxmemory;
}

bool Server::would_exceed_maxmemory(std::uint64_t growth) const {
  return config_.maxmemory != 0 && heap_bytes_in_use() + growth > config_.maxmemory;
}

Entry* Server::lookup(int db_index, const std::string& key, std::int64_t now_ms) {
  Entry* entry = db(db_index).find(key);
  if (entry && entry->expire_at_ms != kNoExpiry && now_ms > entry->expire_at_ms) {
    delete_expired(db_index, key);
    return nullptr;
  }
  return entry;
}

void Server::delete_expired(int db_index, const std::string& key) {
  const std::string doomed = key;  // `key` may live inside the database's own index
  db(db_index).erase(doomed);
  ++stats_.expired_keys;
  signal_modified(db_index, doomed);
}

void Server::sweep_expired(std::int64_t now_ms) {
  for (int i = 0; i < database_count(); ++i) {
    while (const std::string* key = db(i).first_expired(now_ms))
      delete_expired(i, *key);
  }
}

void Server::watch(ClientSession& session, int db_index, const std::string& key) {
  for (const auto& [watched_db, watched_key] : session.watched) {
    if (watched_db == db_index && watched_key == key) return;
  }
  session.watched.emplace_back(db_index, key);
  watchers_[static_cast<size_t>(db_index)][key].push_back(&session);
}

void Server::unwatch_all(ClientSession& session) {
  for (const auto& [db_index, key] : session.watched) {
    auto& by_key = watchers_[static_cast<size_t>(db_index)];
    auto it = by_key.find(key);
    if (it == by_key.end()) continue;
    auto& list = it->second;
    list.erase(std::remove(list.begin(), list.end(), &session), list.end());
    if (list.empty()) by_key.erase(it);
  }
  session.watched.clear();
  session.watch_dirty = false;
}

void Server::signal_modified(int db_index, const std::string& key) {
  auto& by_key = watchers_[static_cast<size_t>(db_index)];
  auto it = by_key.find(key);
  if (it == by_key.end()) return;
  for (ClientSession* watcher : it->second)
    watcher->watch_dirty = true;
}

void Server::signal_db_replaced(int db_index, const Database* replacement) {
  for (auto& [key, list] : watchers_[static_cast<size_t>(db_index)]) {
    if (db(db_index).find(key) || (replacement && replacement->find(key))) {
      for (ClientSession* watcher : list)
        watcher->watch_dirty = true;
    }
  }
}

void Server::swap_databases(int first, int second) {
  signal_db_replaced(first, &db(second));
  signal_db_replaced(second, &db(first));
  std::swap(databases_[static_cast<size_t>(first)], databases_[static_cast<size_t>(second)]);
}

}  // namespace redpad
