// MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queuing itself happens in Server::execute; these
// rows carry kTransactionControl so they run at once even inside MULTI.
#include <string>
#include <vector>

#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kExecWithoutMulti = "ERR EXEC without MULTI";
constexpr const char* kDiscardWithoutMulti = "ERR DISCARD without MULTI";
constexpr const char* kMultiNested = "ERR MULTI calls can not be nested";
constexpr const char* kWatchInsideMulti = "ERR WATCH inside MULTI is not allowed";
constexpr const char* kExecAbort = "EXECABORT Transaction discarded because of previous errors.";

void end_transaction(CommandContext& ctx) {
  ctx.session.in_multi = false;
  ctx.session.multi_error = false;
  ctx.session.queued.clear();
  ctx.server.unwatch_all(ctx.session);
}

Reply multi_command(CommandContext& ctx) {
  if (ctx.session.in_multi) return Reply::error(kMultiNested);
  ctx.session.in_multi = true;
  return Reply::ok();
}

Reply exec_command(CommandContext& ctx) {
  ClientSession& session = ctx.session;
  if (!session.in_multi) return Reply::error(kExecWithoutMulti);
  if (session.multi_error) {
    end_transaction(ctx);
    return Reply::error(kExecAbort);
  }
  if (session.watch_dirty) {
    end_transaction(ctx);
    return Reply::null_array();
  }
  std::vector<QueuedCommand> queued = std::move(session.queued);
  end_transaction(ctx);
  // Keys expire against the time EXEC started; the clock itself moves on (DEBUG SLEEP).
  std::vector<Reply> replies;
  replies.reserve(queued.size());
  session.in_exec = true;
  for (const QueuedCommand& command : queued) {
    Reply reply = ctx.server.call(*command.spec, session, command.args, ctx.server.clock().now_ms(),
                                  ctx.key_time_ms);
    if (reply.type != ReplyType::Several) {
      replies.push_back(std::move(reply));
      continue;
    }
    // A queued SUBSCRIBE a b answers twice in a row, as Redis writes it.
    for (Reply& each : reply.elements)
      replies.push_back(std::move(each));
  }
  session.in_exec = false;
  return Reply::array(std::move(replies));
}

Reply discard_command(CommandContext& ctx) {
  if (!ctx.session.in_multi) return Reply::error(kDiscardWithoutMulti);
  end_transaction(ctx);
  return Reply::ok();
}

Reply watch_command(CommandContext& ctx) {
  if (ctx.session.in_multi) return Reply::error(kWatchInsideMulti);
  for (size_t i = 1; i < ctx.args.size(); ++i)
    ctx.server.watch(ctx.session, ctx.db_index(), ctx.args[i]);
  return Reply::ok();
}

Reply unwatch_command(CommandContext& ctx) {
  ctx.server.unwatch_all(ctx.session);
  return Reply::ok();
}

}  // namespace

std::vector<CommandRow> transaction_command_rows() {
  return {
      {"discard", discard_command, kTransactionControl},
      {"exec", exec_command, kTransactionControl},
      {"multi", multi_command, kTransactionControl},
      {"unwatch", unwatch_command},
      {"watch", watch_command, kTransactionControl},
  };
}

}  // namespace redpad
