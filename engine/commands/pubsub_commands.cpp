// Pub/Sub: SUBSCRIBE and PSUBSCRIBE (and the shard forms) with their UNSUBSCRIBE
// commands, PUBLISH and SPUBLISH delivering to other clients, and PUBSUB's queries.
#include <string>
#include <vector>

#include "../ascii.h"
#include "../glob.h"
#include "command_helpers.h"

namespace redpad {

namespace {

using Kind = Server::ChannelKind;

const std::vector<std::string>& subscriptions(const ClientSession& session, Kind kind) {
  return kind == Kind::Channel   ? session.channels
         : kind == Kind::Pattern ? session.patterns
                                 : session.shard_channels;
}

// The count each (un)subscribe reply ends with: channels and patterns together, shard
// channels on their own.
long long subscription_count(const ClientSession& session, Kind kind) {
  if (kind == Kind::Shard) return static_cast<long long>(session.shard_channels.size());
  return static_cast<long long>(session.channels.size() + session.patterns.size());
}

// One reply per channel: [kind-word, channel, subscriptions now].
Reply subscribe_generic(CommandContext& ctx, Kind kind, const char* word) {
  std::vector<Reply> replies;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    ctx.server.subscribe(ctx.session, kind, ctx.args[i]);
    replies.push_back(Reply::array({Reply::bulk(word), Reply::bulk(ctx.args[i]),
                                    Reply::integer_value(subscription_count(ctx.session, kind))}));
  }
  return Reply::several(std::move(replies));
}

// Without arguments every subscription of that kind goes (or one reply with a nil
// channel when there is none).
Reply unsubscribe_generic(CommandContext& ctx, Kind kind, const char* word) {
  std::vector<std::string> names(ctx.args.begin() + 1, ctx.args.end());
  if (names.empty()) names = subscriptions(ctx.session, kind);
  std::vector<Reply> replies;
  for (const std::string& name : names) {
    ctx.server.unsubscribe(ctx.session, kind, name);
    replies.push_back(Reply::array({Reply::bulk(word), Reply::bulk(name),
                                    Reply::integer_value(subscription_count(ctx.session, kind))}));
  }
  if (replies.empty()) {
    replies.push_back(Reply::array({Reply::bulk(word), Reply::nil(),
                                    Reply::integer_value(subscription_count(ctx.session, kind))}));
  }
  return Reply::several(std::move(replies));
}

Reply subscribe_command(CommandContext& ctx) {
  return subscribe_generic(ctx, Kind::Channel, "subscribe");
}
Reply psubscribe_command(CommandContext& ctx) {
  return subscribe_generic(ctx, Kind::Pattern, "psubscribe");
}
Reply ssubscribe_command(CommandContext& ctx) {
  return subscribe_generic(ctx, Kind::Shard, "ssubscribe");
}
Reply unsubscribe_command(CommandContext& ctx) {
  return unsubscribe_generic(ctx, Kind::Channel, "unsubscribe");
}
Reply punsubscribe_command(CommandContext& ctx) {
  return unsubscribe_generic(ctx, Kind::Pattern, "punsubscribe");
}
Reply sunsubscribe_command(CommandContext& ctx) {
  return unsubscribe_generic(ctx, Kind::Shard, "sunsubscribe");
}

// The number of clients that received the message.
Reply publish_command(CommandContext& ctx) {
  return Reply::integer_value(ctx.server.publish(ctx.args[1], ctx.args[2], false));
}
Reply spublish_command(CommandContext& ctx) {
  return Reply::integer_value(ctx.server.publish(ctx.args[1], ctx.args[2], true));
}

// PUBSUB CHANNELS and SHARDCHANNELS take one optional pattern.
Reply pubsub_channels_command(CommandContext& ctx) {
  if (ctx.args.size() > 3) return subcommand_syntax_error(ctx);
  const bool shard = iequals(ctx.args[1], "shardchannels");
  std::vector<Reply> names;
  for (const std::string& name : ctx.server.active_channels(shard)) {
    if (ctx.args.size() == 3 && !glob_match(ctx.args[2], name)) continue;
    names.push_back(Reply::bulk(name));
  }
  return Reply::array(std::move(names));
}

// NUMSUB and SHARDNUMSUB: each channel asked for (repeats included) with its count.
Reply pubsub_numsub_command(CommandContext& ctx) {
  const bool shard = iequals(ctx.args[1], "shardnumsub");
  std::vector<Reply> items;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    items.push_back(Reply::bulk(ctx.args[i]));
    items.push_back(Reply::integer_value(ctx.server.subscriber_count(ctx.args[i], shard)));
  }
  return Reply::array(std::move(items));
}

// The number of patterns subscribed to, by any client.
Reply pubsub_numpat_command(CommandContext& ctx) {
  return Reply::integer_value(ctx.server.pattern_count());
}

Reply pubsub_help_command(CommandContext&) {
  return help_lines({
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: "
      "'*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.",
  });
}

}  // namespace

std::vector<CommandRow> pubsub_command_rows() {
  return {
      {"psubscribe", psubscribe_command},
      {"publish", publish_command},
      {"pubsub|channels", pubsub_channels_command},
      {"pubsub|help", pubsub_help_command},
      {"pubsub|numpat", pubsub_numpat_command},
      {"pubsub|numsub", pubsub_numsub_command},
      {"pubsub|shardchannels", pubsub_channels_command},
      {"pubsub|shardnumsub", pubsub_numsub_command},
      {"punsubscribe", punsubscribe_command},
      {"spublish", spublish_command},
      {"ssubscribe", ssubscribe_command},
      {"subscribe", subscribe_command},
      {"sunsubscribe", sunsubscribe_command},
      {"unsubscribe", unsubscribe_command},
  };
}

}  // namespace redpad
