// Pub/Sub: PUBLISH, SPUBLISH and PUBSUB for a server nobody is subscribed to yet
// (subscribers arrive with the several-clients issue).
#include <string>
#include <vector>

#include "command_helpers.h"

namespace redpad {

namespace {

// The number of clients that received the message.
Reply publish_command(CommandContext&) {
  return Reply::integer_value(0);
}

// PUBSUB CHANNELS and SHARDCHANNELS take one optional pattern; no channel is active.
Reply pubsub_channels_command(CommandContext& ctx) {
  if (ctx.args.size() > 3) {
    return Reply::error("ERR unknown subcommand or wrong number of arguments for '" + ctx.args[1] +
                        "'. Try PUBSUB HELP.");
  }
  return Reply::array();
}

// NUMSUB and SHARDNUMSUB: each channel asked for (repeats included) with its count, 0.
Reply pubsub_numsub_command(CommandContext& ctx) {
  std::vector<Reply> items;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    items.push_back(Reply::bulk(ctx.args[i]));
    items.push_back(Reply::integer_value(0));
  }
  return Reply::array(std::move(items));
}

Reply pubsub_numpat_command(CommandContext&) {
  return Reply::integer_value(0);
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

// Redis's "pubsub" command flag is not one this engine acts on; the rows keep the rest.
constexpr std::uint32_t kPubsubQuery = kLoading | kStale;

}  // namespace

std::vector<CommandRow> pubsub_command_rows() {
  return {
      {"publish", 3, kLoading | kStale | kFast, publish_command},
      {"pubsub", -2, 0, nullptr},
      {"pubsub|channels", -2, kPubsubQuery, pubsub_channels_command},
      {"pubsub|help", 2, kLoading | kStale, pubsub_help_command},
      {"pubsub|numpat", 2, kPubsubQuery, pubsub_numpat_command},
      {"pubsub|numsub", -2, kPubsubQuery, pubsub_numsub_command},
      {"pubsub|shardchannels", -2, kPubsubQuery, pubsub_channels_command},
      {"pubsub|shardnumsub", -2, kPubsubQuery, pubsub_numsub_command},
      {"spublish", 3, kLoading | kStale | kFast, publish_command},
  };
}

}  // namespace redpad
