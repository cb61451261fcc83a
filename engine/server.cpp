#include "server.h"

#include <algorithm>
#include <utility>

#include "ascii.h"
#include "command_context.h"
#include "errors.h"
#include "glob.h"
#include "heap_usage.h"
#include "scripting/lua_vm.h"

namespace redpad {

namespace {

constexpr const char* kClientBlocked = "ERR redpad: this client is blocked, waiting for an answer";
constexpr const char* kExecAbortBecause = "EXECABORT Transaction discarded because of: ";
constexpr const char* kStreamKeyDeleted = "UNBLOCKED the stream key no longer exists";

// What a subscribed client may still send (RESP2).
bool allowed_while_subscribed(const std::string& name) {
  return name == "ping" || name == "subscribe" || name == "psubscribe" || name == "ssubscribe" ||
         name == "unsubscribe" || name == "punsubscribe" || name == "sunsubscribe" ||
         name == "quit" || name == "reset";
}

template <class List, class Item>
void erase_value(List& list, const Item& item) {
  list.erase(std::remove(list.begin(), list.end(), item), list.end());
}

}  // namespace

Server::Server(ServerConfig config)
    : config_(config),
      clock_(config.start_time_ms),
      commands_(&builtin_command_table()),
      databases_(static_cast<size_t>(config.databases)),
      watchers_(static_cast<size_t>(config.databases)),
      blocked_on_(static_cast<size_t>(config.databases)),
      random_(config.seed) {
  create_session();
}

std::unique_ptr<Server> Server::clone_state() const {
  auto copy = std::make_unique<Server>(config_);
  copy->clock_ = clock_;
  copy->databases_ = databases_;
  copy->random_ = random_;
  copy->stats_ = stats_;
  copy->scripts_ = scripts_;
  return copy;
}

Server::~Server() = default;

ScriptVM* Server::scripting() {
  if (!scripting_) {
    ScriptLimits limits;
    limits.instructions = config_.script_instructions;
    limits.time_ms = config_.script_time_ms;
    scripting_ = make_script_vm(limits);
  }
  return scripting_.get();
}

ClientSession& Server::create_session(std::string label) {
  auto session = std::make_unique<ClientSession>();
  session->id = next_session_id_++;
  session->label = label.empty() ? "main" : std::move(label);
  session->created_ms = session->last_command_ms = clock_.now_ms();
  ClientSession& ref = *session;
  sessions_.emplace(ref.id, std::move(session));
  return ref;
}

void Server::close_session(std::uint64_t id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it == sessions_.begin()) return;  // the first session stays
  ClientSession& session = *it->second;
  unwatch_all(session);
  forget_blocked(session);
  while (!session.channels.empty())
    unsubscribe(session, ChannelKind::Channel, session.channels.front());
  while (!session.patterns.empty())
    unsubscribe(session, ChannelKind::Pattern, session.patterns.front());
  while (!session.shard_channels.empty())
    unsubscribe(session, ChannelKind::Shard, session.shard_channels.front());
  sessions_.erase(it);
}

ClientSession* Server::find_session(std::uint64_t id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

std::vector<const ClientSession*> Server::sessions() const {
  std::vector<const ClientSession*> all;
  all.reserve(sessions_.size());
  for (const auto& [id, session] : sessions_)
    all.push_back(session.get());
  return all;
}

Reply Server::execute(ClientSession& session, const std::vector<std::string>& args) {
  if (args.empty()) return Reply::nil();
  // A blocked client's redis-cli sends nothing until it is answered (ScriptRunner holds its
  // lines back); a host that sends anyway gets this rather than a second wait.
  if (session.blocked) return Reply::error(kClientBlocked);
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
      return Reply::error(kExecAbortBecause + error.str.substr(4));
    }
    return error;
  };
  const CommandSpec* spec = commands_->find(args[0]);
  if (!spec) return refuse(unknown_command_error(args));
  if (!spec->subcommands.empty()) {
    if (args.size() < 2) return refuse(arity_error(spec->name));
    const CommandSpec* sub = spec->find_subcommand(args[1]);
    if (!sub) return refuse(unknown_subcommand_error(spec->name, args[1]));
    spec = sub;
  }
  session.last_command = spec;
  session.last_command_ms = now;
  if (!spec->accepts_argument_count(args.size())) return refuse(arity_error(spec->name));

  // Over maxmemory, Redis refuses writes that may grow the data set, and anything queued
  // in a transaction (the queue itself grows), but never EXEC, DISCARD, QUIT or RESET.
  if (config_.maxmemory && over_maxmemory()) {
    const bool ends_transaction = spec->name == "exec" || spec->name == "discard" ||
                                  spec->name == "quit" || spec->name == "reset";
    if (spec->has(kDenyOom) || (session.in_multi && !ends_transaction)) {
      return refuse(Reply::error(errors::kOutOfMemory));
    }
  }
  if (session.subscribed() && !allowed_while_subscribed(spec->name)) {
    return refuse(subscribed_state_error(*spec));
  }
  if (session.in_multi && !spec->has(kTransactionControl)) {
    session.queued.push_back({spec, args});
    return Reply::status("QUEUED");
  }
  Reply reply = call(*spec, session, args, now, now);
  // Blocked clients whose keys this command (or this EXEC) wrote are served now, before
  // anything else runs, as Redis does after each command.
  if (!ready_keys_.empty()) serve_ready_keys();
  return reply;
}

Reply Server::subscribed_state_error(const CommandSpec& spec) const {
  return Reply::error("ERR Can't execute '" + spec.name +
                      "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "
                      "allowed in this context");
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
  if (observer_) observer_->key_expiring(db_index, doomed, *db(db_index).find(doomed));
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

void Server::signal_key_ready(int db_index, const std::string& key) {
  if (blocked_count_ == 0) return;
  const auto& waiting = blocked_on_[static_cast<size_t>(db_index)];
  if (waiting.find(key) == waiting.end()) return;
  std::pair<int, std::string> ready{db_index, key};
  if (std::find(ready_keys_.begin(), ready_keys_.end(), ready) == ready_keys_.end()) {
    ready_keys_.push_back(std::move(ready));
  }
}

void Server::signal_modified(int db_index, const std::string& key) {
  if (observer_) observer_->key_modified(db_index, key);
  signal_key_ready(db_index, key);
  auto& by_key = watchers_[static_cast<size_t>(db_index)];
  auto it = by_key.find(key);
  if (it == by_key.end()) return;
  for (ClientSession* watcher : it->second) {
    if (observer_ && !watcher->watch_dirty) observer_->watch_broken(*watcher, db_index, key);
    watcher->watch_dirty = true;
  }
}

void Server::signal_db_replaced(int db_index, const Database* replacement) {
  if (observer_) observer_->database_replaced(db_index);
  // Clients blocked on its keys look again once the command is done (a consumer group's
  // reader learns that its stream is gone).
  for (const auto& [key, clients] : blocked_on_[static_cast<size_t>(db_index)]) {
    if (db(db_index).find(key)) signal_key_ready(db_index, key);
  }
  for (auto& [key, list] : watchers_[static_cast<size_t>(db_index)]) {
    if (db(db_index).find(key) || (replacement && replacement->find(key))) {
      for (ClientSession* watcher : list) {
        if (observer_ && !watcher->watch_dirty) observer_->watch_broken(*watcher, db_index, key);
        watcher->watch_dirty = true;
      }
    }
  }
}

void Server::swap_databases(int first, int second) {
  signal_db_replaced(first, &db(second));
  signal_db_replaced(second, &db(first));
  std::swap(databases_[static_cast<size_t>(first)], databases_[static_cast<size_t>(second)]);
  // Clients blocked in either database may find their keys there now.
  for (int index : {first, second}) {
    for (const auto& [key, waiting] : blocked_on_[static_cast<size_t>(index)]) {
      if (db(index).find(key)) signal_modified(index, key);
    }
  }
}

// ---- blocking commands ----

Reply Server::block(CommandContext& ctx, std::vector<std::string> keys, ValueType type,
                    std::int64_t timeout_at_ms, std::vector<std::string> args) {
  ClientSession& session = ctx.session;
  BlockedCommand blocked;
  blocked.spec = &ctx.spec;
  blocked.args = std::move(args);
  blocked.db = session.db;
  blocked.type = type;
  blocked.since_ms = ctx.now_ms;
  blocked.timeout_at_ms = timeout_at_ms;
  blocked.order = ++block_order_;
  auto& waiting = blocked_on_[static_cast<size_t>(session.db)];
  for (std::string& key : keys) {
    std::vector<ClientSession*>& clients = waiting[key];
    if (std::find(clients.begin(), clients.end(), &session) != clients.end()) continue;
    clients.push_back(&session);
    blocked.keys.push_back(std::move(key));
  }
  session.blocked = std::move(blocked);
  ++blocked_count_;
  return Reply::blocked();
}

void Server::forget_blocked(ClientSession& session) {
  if (!session.blocked) return;
  auto& waiting = blocked_on_[static_cast<size_t>(session.blocked->db)];
  for (const std::string& key : session.blocked->keys) {
    auto it = waiting.find(key);
    if (it == waiting.end()) continue;
    erase_value(it->second, &session);
    if (it->second.empty()) waiting.erase(it);
  }
  session.blocked.reset();
  --blocked_count_;
}

void Server::unblock(ClientSession& session, Delivery::Cause cause, Reply reply) {
  if (!session.blocked) return;
  Delivery delivery;
  delivery.client_id = session.id;
  delivery.cause = cause;
  delivery.reply = std::move(reply);
  delivery.command = *session.blocked;
  forget_blocked(session);
  deliveries_.push_back(std::move(delivery));
}

void Server::serve_ready_keys() {
  while (!ready_keys_.empty()) {
    const std::vector<std::pair<int, std::string>> ready = std::move(ready_keys_);
    ready_keys_.clear();
    for (const auto& [db_index, key] : ready) {
      auto& waiting = blocked_on_[static_cast<size_t>(db_index)];
      auto it = waiting.find(key);
      if (it == waiting.end()) continue;
      const std::vector<ClientSession*> clients = it->second;  // serving changes the list
      for (ClientSession* client : clients) {
        if (!client->blocked) continue;
        const std::int64_t now = clock_.now_ms();
        const Entry* entry = lookup(db_index, key, now);
        // A consumer group's reader is not left waiting on a stream that is gone (deleted,
        // renamed, overwritten, flushed), as Redis 7.0 unblocks it.
        const bool group_read = client->blocked->spec->name == "xreadgroup";
        if (group_read && (!entry || entry->value.type != ValueType::Stream)) {
          unblock(*client, Delivery::Cause::Unblocked, Reply::error(kStreamKeyDeleted));
          continue;
        }
        if (!entry || entry->value.type != client->blocked->type) continue;
        // The command runs again for this key alone; an empty answer means it still waits
        // (a stream with nothing new past the client's ID).
        const BlockedCommand command = *client->blocked;
        serving_key_ = &key;
        if (observer_) observer_->serving_begins(*client);
        CommandContext ctx{*this, *client, command.args, *command.spec, now, now};
        Reply reply = command.spec->handler(ctx);
        if (observer_) observer_->serving_ends();
        serving_key_ = nullptr;
        if (reply.type == ReplyType::NullArray || reply.type == ReplyType::Nil) continue;
        unblock(*client, Delivery::Cause::Served, std::move(reply));
      }
    }
  }
}

void Server::unblock_due() {
  const std::int64_t now = clock_.now_ms();
  std::vector<ClientSession*> due;
  for (auto& [id, session] : sessions_) {
    const auto& blocked = session->blocked;
    if (blocked && blocked->timeout_at_ms != 0 && blocked->timeout_at_ms <= now) {
      due.push_back(session.get());
    }
  }
  std::sort(due.begin(), due.end(), [](const ClientSession* a, const ClientSession* b) {
    return std::make_pair(a->blocked->timeout_at_ms, a->blocked->order) <
           std::make_pair(b->blocked->timeout_at_ms, b->blocked->order);
  });
  for (ClientSession* session : due)
    unblock(*session, Delivery::Cause::Timeout, Reply::null_array());
}

std::int64_t Server::next_timeout_ms() const {
  std::int64_t next = 0;
  for (const auto& [id, session] : sessions_) {
    const auto& blocked = session->blocked;
    if (blocked && blocked->timeout_at_ms != 0 && (next == 0 || blocked->timeout_at_ms < next)) {
      next = blocked->timeout_at_ms;
    }
  }
  return next;
}

std::vector<Delivery> Server::take_deliveries() {
  std::vector<Delivery> taken = std::move(deliveries_);
  deliveries_.clear();
  return taken;
}

// ---- Pub/Sub ----

bool Server::subscribe(ClientSession& session, ChannelKind kind, const std::string& name) {
  std::vector<std::string>& mine = kind == ChannelKind::Channel   ? session.channels
                                   : kind == ChannelKind::Pattern ? session.patterns
                                                                  : session.shard_channels;
  if (std::find(mine.begin(), mine.end(), name) != mine.end()) return false;
  mine.push_back(name);
  if (kind == ChannelKind::Pattern) {
    auto it = std::find_if(patterns_.begin(), patterns_.end(),
                           [&name](const auto& entry) { return entry.first == name; });
    if (it == patterns_.end()) it = patterns_.insert(patterns_.end(), {name, {}});
    it->second.push_back(&session);
  } else {
    (kind == ChannelKind::Channel ? channels_ : shard_channels_)[name].push_back(&session);
  }
  return true;
}

bool Server::unsubscribe(ClientSession& session, ChannelKind kind, const std::string& name) {
  std::vector<std::string>& mine = kind == ChannelKind::Channel   ? session.channels
                                   : kind == ChannelKind::Pattern ? session.patterns
                                                                  : session.shard_channels;
  auto found = std::find(mine.begin(), mine.end(), name);
  if (found == mine.end()) return false;
  const std::string gone = *found;  // `name` may be the element erased next
  mine.erase(found);
  if (kind == ChannelKind::Pattern) {
    auto it = std::find_if(patterns_.begin(), patterns_.end(),
                           [&gone](const auto& entry) { return entry.first == gone; });
    erase_value(it->second, &session);
    if (it->second.empty()) patterns_.erase(it);
  } else {
    auto& registry = kind == ChannelKind::Channel ? channels_ : shard_channels_;
    auto it = registry.find(gone);
    erase_value(it->second, &session);
    if (it->second.empty()) registry.erase(it);
  }
  return true;
}

long long Server::publish(const std::string& channel, const std::string& message, bool shard) {
  long long receivers = 0;
  auto send = [this, &receivers](ClientSession* client, Reply reply) {
    Delivery delivery;
    delivery.client_id = client->id;
    delivery.reply = std::move(reply);
    deliveries_.push_back(std::move(delivery));
    ++receivers;
  };
  const auto& registry = shard ? shard_channels_ : channels_;
  auto it = registry.find(channel);
  if (it != registry.end()) {
    for (ClientSession* client : it->second) {
      send(client, Reply::array({Reply::bulk(shard ? "smessage" : "message"), Reply::bulk(channel),
                                 Reply::bulk(message)}));
    }
  }
  if (shard) return receivers;
  for (const auto& [pattern, clients] : patterns_) {
    if (!glob_match(pattern, channel)) continue;
    for (ClientSession* client : clients) {
      send(client, Reply::array({Reply::bulk("pmessage"), Reply::bulk(pattern),
                                 Reply::bulk(channel), Reply::bulk(message)}));
    }
  }
  return receivers;
}

std::vector<std::string> Server::active_channels(bool shard) const {
  std::vector<std::string> names;
  for (const auto& [name, clients] : shard ? shard_channels_ : channels_)
    names.push_back(name);
  return names;
}

long long Server::subscriber_count(const std::string& channel, bool shard) const {
  const auto& registry = shard ? shard_channels_ : channels_;
  auto it = registry.find(channel);
  return it == registry.end() ? 0 : static_cast<long long>(it->second.size());
}

}  // namespace redpad
