// What a reply means, in plain words: the one table of them (docs: issue #20, item 5). The
// output pane loads this module the first time a reply may need it (reply-explain.js), so
// a first visit does not download it.
//
// An entry explains one reply of some commands:
//   commands: the engine's names for them (a result's `command`: "set", "xgroup|create");
//             absent: any command, or a line that named no command (errors).
//   options:  a pattern the line's text must match (SET ... NX), or absent.
//   reply:    a pattern for what redis-cli printed (the display, its last newline removed).
//   text:     what it means; an error has `why` and `todo` (what to do) instead.
//   trigger:  a redis-cli script, run on an empty server, whose LAST line answers this
//             reply. tests/lessons/reply-meanings.test.mjs runs every trigger on Debian's
//             redis-server 7.0.15 and on the engine: the two must print the same, and this
//             table must pick this entry for that last line. (redis-cli reads no more of
//             its input once subscribed: a trigger that SUBSCRIBEs has its last line's
//             error compared, sent over a connection of the test's own.)
// The first entry that matches is the one shown, so a command's own entries come before the
// general ones.

const NIL = /^\(nil\)$/;
const EMPTY = /^\(empty array\)$/;
const int = (n) => new RegExp(`^\\(integer\\) ${n}$`);
const error = (prefix) => new RegExp(`^\\(error\\) ${prefix}`);
const EXPIRES = ["expire", "pexpire", "expireat", "pexpireat"];
const BLOCKING_POPS = ["blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax", "bzmpop"];

export const REPLY_MEANINGS = [
  // ---- (nil)
  {
    commands: ["set"],
    options: /^(?!.*\bGET\b).*\bNX\b/i,
    reply: NIL,
    text: "Nothing was set: the key already exists, and NX sets only a key that does not.",
    trigger: "SET lock a\nSET lock b NX",
  },
  {
    commands: ["set"],
    options: /^(?!.*\bGET\b).*\bXX\b/i,
    reply: NIL,
    text: "Nothing was set: the key does not exist, and XX sets only a key that does.",
    trigger: "SET k v XX",
  },
  {
    commands: ["set"],
    options: /\bGET\b/i,
    reply: NIL,
    text: "The key had no value before this SET (with GET, SET answers the old value).",
    trigger: "SET k v GET",
  },
  {
    commands: ["get", "getdel", "getex"],
    reply: NIL,
    text: "The key does not exist: it was never set, was deleted, or has expired.",
    trigger: "GET nosuchkey",
  },
  {
    commands: ["hget"],
    reply: NIL,
    text: "The hash has no such field, or the hash does not exist.",
    trigger: "HSET user:1 name Ada\nHGET user:1 email",
  },
  {
    commands: ["lpop", "rpop", "lmove", "rpoplpush", "lmpop"],
    reply: NIL,
    text:
      "Nothing to pop: the list does not exist. Redis deletes a list when its last element " +
      "goes, so an emptied list reads as no key.",
    trigger: "RPUSH queue job\nLPOP queue\nLPOP queue",
  },
  {
    commands: ["lindex"],
    reply: NIL,
    text: "No element at that index: the list is shorter, or does not exist.",
    trigger: "RPUSH list a\nLINDEX list 5",
  },
  {
    commands: BLOCKING_POPS,
    reply: /^\(nil\)(\n\(\d+\.\d+s\))?$/,
    text: "Timed out: the key had nothing to pop, and nothing was pushed to it before the timeout ran out.",
    trigger: "BLPOP queue 0.1",
  },
  {
    commands: ["exec"],
    reply: NIL,
    text:
      "The transaction did not run: a key it WATCHed was changed after the WATCH, so EXEC " +
      "aborted it. Read the key again, then WATCH, MULTI and EXEC once more.",
    trigger: "WATCH balance\nSET balance 10\nMULTI\nINCR balance\nEXEC",
  },
  {
    commands: ["spop", "srandmember"],
    reply: NIL,
    text: "Nothing to draw: the set does not exist (an emptied set is deleted).",
    trigger: "SPOP tags",
  },
  {
    commands: ["zscore", "zrank", "zrevrank"],
    reply: NIL,
    text: "The sorted set has no such member, or the sorted set does not exist.",
    trigger: "ZADD board 10 ada\nZSCORE board bob",
  },
  {
    commands: ["randomkey"],
    reply: NIL,
    text: "The database is empty: there is no key to pick.",
    trigger: "RANDOMKEY",
  },
  {
    commands: ["mget"],
    reply: /^\d+\) \(nil\)$/m,
    text: "Each (nil) in the list is a key that does not exist, or that does not hold a string.",
    trigger: "SET a 1\nMGET a b",
  },
  {
    commands: ["hmget"],
    reply: /^\d+\) \(nil\)$/m,
    text: "Each (nil) in the list is a field the hash does not have (or the hash does not exist).",
    trigger: "HSET user:1 name Ada\nHMGET user:1 name email",
  },
  {
    reply: NIL,
    text: "(nil) means no value: here, the key (or the field or member asked for) does not exist.",
    trigger: "LPOS list a",
  },

  // ---- (empty array)
  {
    commands: ["keys"],
    reply: EMPTY,
    text: "No key in this database matches the pattern.",
    trigger: "SET user:1 a\nKEYS session:*",
  },
  {
    commands: ["exec"],
    reply: EMPTY,
    text: "The transaction ran, but no command was queued in it.",
    trigger: "MULTI\nEXEC",
  },
  {
    reply: EMPTY,
    text:
      "Nothing: the key does not exist (Redis reads a missing key as empty), or the range or " +
      "pattern asked for holds no element.",
    trigger: "LRANGE list 0 -1",
  },

  // ---- (integer)
  {
    commands: ["setnx"],
    reply: int(0),
    text: "Not set: the key already exists, and SETNX sets only a key that does not.",
    trigger: "SET lock a\nSETNX lock b",
  },
  {
    commands: ["setnx"],
    reply: int(1),
    text: "Set: the key did not exist before.",
    trigger: "SETNX lock a",
  },
  {
    commands: ["msetnx"],
    reply: int(0),
    text: "Nothing was set: at least one of the keys exists, and MSETNX sets all of them or none.",
    trigger: "SET a 1\nMSETNX a 2 b 2",
  },
  {
    commands: ["renamenx"],
    reply: int(0),
    text: "Not renamed: a key with the new name already exists.",
    trigger: "SET a 1\nSET b 2\nRENAMENX a b",
  },
  {
    commands: EXPIRES,
    options: /\b(NX|XX|GT|LT)\b/i,
    reply: int(0),
    text:
      "No timeout was set: its condition did not hold (NX: the key has no timeout yet; XX: it " +
      "has one; GT: the new one is later; LT: it is earlier; a key without a timeout counts " +
      "as never expiring), or the key does not exist.",
    trigger: "SET k v EX 100\nEXPIRE k 50 NX",
  },
  {
    commands: EXPIRES,
    reply: int(0),
    text: "No timeout was set: the key does not exist.",
    trigger: "EXPIRE nosuchkey 10",
  },
  {
    commands: EXPIRES,
    reply: int(1),
    text:
      "The timeout is set: the key will be deleted when it runs out (TTL shows the seconds " +
      "left; a time already past deletes it at once).",
    trigger: "SET k v\nEXPIRE k 10",
  },
  {
    commands: ["persist"],
    reply: int(0),
    text: "Nothing changed: the key has no timeout, or does not exist.",
    trigger: "SET k v\nPERSIST k",
  },
  {
    commands: ["persist"],
    reply: int(1),
    text: "The timeout is gone: the key now stays until it is deleted.",
    trigger: "SET k v EX 100\nPERSIST k",
  },
  {
    commands: ["ttl", "pttl"],
    reply: int(-2),
    text: "-2: the key does not exist (it may have expired).",
    trigger: "TTL nosuchkey",
  },
  {
    commands: ["ttl", "pttl"],
    reply: int(-1),
    text: "-1: the key exists but has no timeout, so it never expires.",
    trigger: "SET k v\nTTL k",
  },
  {
    commands: ["sadd"],
    reply: int(0),
    text: "No member was added: they were all in the set already (a set holds each member once).",
    trigger: "SADD tags redis\nSADD tags redis",
  },
  {
    commands: ["srem"],
    reply: int(0),
    text: "Nothing was removed: none of these members is in the set, or the set does not exist.",
    trigger: "SADD tags redis\nSREM tags sql",
  },
  {
    commands: ["sismember"],
    reply: int(0),
    text: "Not a member: the set does not hold it, or the set does not exist.",
    trigger: "SADD tags redis\nSISMEMBER tags sql",
  },
  {
    commands: ["sismember"],
    reply: int(1),
    text: "Yes: the set holds this member.",
    trigger: "SADD tags redis\nSISMEMBER tags redis",
  },
  {
    commands: ["smove"],
    reply: int(0),
    text: "Not moved: the member is not in the source set.",
    trigger: "SADD a x\nSMOVE a b y",
  },
  {
    commands: ["hset"],
    reply: int(0),
    text: "No new field: the fields existed already, and their values were replaced (HSET counts only the fields it added).",
    trigger: "HSET user:1 name Ada\nHSET user:1 name Grace",
  },
  {
    commands: ["hsetnx"],
    reply: int(0),
    text: "Not set: the hash already has this field.",
    trigger: "HSET user:1 name Ada\nHSETNX user:1 name Grace",
  },
  {
    commands: ["hexists"],
    reply: int(0),
    text: "The hash has no such field, or the hash does not exist.",
    trigger: "HSET user:1 name Ada\nHEXISTS user:1 email",
  },
  {
    commands: ["zadd"],
    reply: int(0),
    text:
      "No member was added: each was in the sorted set already (or XX kept a new one out). ZADD " +
      "counts the members it added (with CH, also those whose score changed); scores may still " +
      "have been updated.",
    trigger: "ZADD board 10 ada\nZADD board 20 ada",
  },
  {
    commands: ["del", "unlink"],
    reply: int(0),
    text: "Nothing was deleted: none of these keys exists.",
    trigger: "DEL nosuchkey",
  },
  {
    commands: ["exists"],
    reply: int(0),
    text: "The key does not exist. (Given several keys, EXISTS counts how many of them exist.)",
    trigger: "EXISTS nosuchkey",
  },
  {
    commands: ["hdel", "zrem", "lrem"],
    reply: int(0),
    text: "Nothing was removed: no such field, member or element, or the key does not exist.",
    trigger: "HSET user:1 name Ada\nHDEL user:1 email",
  },
  {
    commands: ["publish"],
    reply: int(0),
    text:
      "No client was subscribed to this channel (or to a pattern matching it): the message " +
      "reached nobody, and Pub/Sub keeps no message for later.",
    trigger: "PUBLISH news hello",
  },
  {
    commands: ["lpush", "rpush", "lpushx", "rpushx"],
    reply: /^\(integer\) \d+$/,
    text: "The list's length after the push (not how many elements this command pushed).",
    trigger: "RPUSH queue a\nRPUSH queue b c",
  },

  // ---- errors
  {
    reply: error("WRONGTYPE "),
    why: "The key holds another type of value than this command works on (a string used as a list, say).",
    todo: "Check it with TYPE key, then use that type's commands, or choose another key name.",
    trigger: "SET k v\nLPUSH k a",
  },
  {
    reply: error("ERR syntax error$"),
    why: "An option is misspelt, repeated, in the wrong place, or does not go with another one.",
    todo: "Compare the line with the command's syntax (put the editor's cursor on the line to see it).",
    trigger: "SET k v FOREVER",
  },
  {
    reply: error("ERR value is not an integer or out of range$"),
    why: "A number it needs (an argument, or the value stored at the key) is not a whole number that fits in 64 bits.",
    todo: "Give a whole number; check the stored value with GET. INCRBYFLOAT adds decimals.",
    trigger: "SET counter abc\nINCR counter",
  },
  {
    reply: error("ERR value is not a valid float$"),
    why: "A number it needs (an argument, or the value stored at the key) is not a number.",
    todo: "Give a number such as 1.5; check the stored value with GET.",
    trigger: "SET price abc\nINCRBYFLOAT price 1",
  },
  {
    reply: error("ERR increment or decrement would overflow$"),
    why: "The result would not fit in a 64-bit signed integer (about ±9.2 × 10^18).",
    todo: "Keep the numbers smaller, or reset the counter with SET.",
    trigger: "SET counter 9223372036854775807\nINCR counter",
  },
  {
    reply: error("EXECABORT "),
    why: "A command sent after MULTI was refused instead of queued (an unknown command or a wrong number of arguments, say), so EXEC ran none of them.",
    todo: "Fix the line that answered an error after MULTI, then run the whole transaction again.",
    trigger: "MULTI\nSET k\nEXEC",
  },
  {
    reply: error("ERR EXEC without MULTI$"),
    why: "EXEC runs the commands queued since MULTI, and no MULTI is open on this connection.",
    todo: "Start the transaction with MULTI first.",
    trigger: "EXEC",
  },
  {
    reply: error("ERR DISCARD without MULTI$"),
    why: "DISCARD drops the commands queued since MULTI, and no MULTI is open on this connection.",
    todo: "Only DISCARD between MULTI and EXEC.",
    trigger: "DISCARD",
  },
  {
    reply: error("ERR MULTI calls can not be nested$"),
    why: "A transaction is already open: Redis has no transaction inside a transaction.",
    todo: "Nothing is lost: the open transaction goes on queueing. End it with EXEC (or DISCARD) before the next MULTI.",
    trigger: "MULTI\nMULTI",
  },
  {
    reply: error("ERR WATCH inside MULTI is not allowed$"),
    why: "WATCH must come before MULTI: inside a transaction it would be queued, too late to guard anything.",
    todo: "The transaction goes on without the WATCH: DISCARD it, then WATCH the keys, then MULTI.",
    trigger: "MULTI\nWATCH k",
  },
  {
    reply: error("NOSCRIPT "),
    why: "The server has no script with this SHA1: it was never loaded, or SCRIPT FLUSH removed it.",
    todo: "Run it once with EVAL (or SCRIPT LOAD it), then call EVALSHA with the SHA1 it answers.",
    trigger: "EVALSHA ffffffffffffffffffffffffffffffffffffffff 0",
  },
  {
    reply: error("ERR Number of keys can't be greater than number of args$"),
    why: "The number after the script says how many key names follow, and fewer arguments follow.",
    todo: "Give numkeys as the count of key names (0 when there are none), then the keys, then other arguments.",
    trigger: 'EVAL "return 1" 5',
  },
  {
    reply: error("OOM "),
    why: "The server reached its maxmemory limit, and its eviction policy lets no key go, so it refuses commands that would use more memory.",
    todo: "Delete keys, raise the limit (CONFIG SET maxmemory), or choose an eviction policy such as allkeys-lru.",
    trigger: "CONFIG SET maxmemory 1\nSET k v",
  },
  {
    reply: error("ERR wrong number of arguments "),
    why: "The command got too few (or too many) arguments.",
    todo: "Compare the line with the command's syntax; a value with spaces needs quotes.",
    trigger: "GET",
  },
  {
    reply: /^\(error\) ERR Can't execute '[^']*': only \(P\|S\)SUBSCRIBE /,
    why:
      "This connection is subscribed: until it unsubscribes it only receives messages, and " +
      "takes no command but (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET.",
    todo: "Send other commands from another client (an @name line), or UNSUBSCRIBE first.",
    trigger: "SUBSCRIBE news\nGET k",
  },
  {
    reply: error("ERR unknown command "),
    why: "The server has no command of that name.",
    todo: "Check the spelling; HELP @group lists the commands of a group (HELP @string, HELP @list...).",
    trigger: "GRT k",
  },
  {
    reply: error("ERR unknown subcommand "),
    why: "This command has no such subcommand.",
    todo: "The error names the command's HELP, which lists its subcommands.",
    trigger: "OBJECT TYPE k",
  },
  {
    reply: error("ERR no such key$"),
    why: "The command needs the key to exist, and it does not.",
    todo: "Check the name (KEYS or EXISTS), or create the key first.",
    trigger: "RENAME nosuchkey newname",
  },
  {
    reply: error("ERR index out of range$"),
    why: "The list has no element at that index (0 is the first, -1 the last).",
    todo: "Check the length with LLEN; LSET replaces an element, it cannot add one: push instead.",
    trigger: "RPUSH list a\nLSET list 5 x",
  },
  {
    reply: error("ERR invalid expire time "),
    why: "An expire time must be above 0 (and not so large it overflows).",
    todo: "Give a positive number of seconds (EX) or milliseconds (PX); DEL removes a key at once.",
    trigger: "SET k v EX 0",
  },
  {
    reply: error("ERR XX and NX options at the same time are not compatible$"),
    why: "NX (only new members) and XX (only existing ones) exclude each other.",
    todo: "Keep the one you mean.",
    trigger: "ZADD board NX XX 1 ada",
  },
  {
    reply: error("ERR GT, LT, and/or NX options at the same time are not compatible$"),
    why: "GT and LT update existing members only, which NX (only new members) forbids; and GT excludes LT.",
    todo: "Keep one of GT, LT and NX.",
    trigger: "ZADD board GT NX 1 ada",
  },
  {
    reply: error("ERR NX and XX, GT or LT options at the same time are not compatible$"),
    why: "NX sets a timeout only on a key without one, which XX, GT and LT cannot go with.",
    todo: "Drop NX, or keep it alone (XX may go with GT or LT).",
    trigger: "SET k v\nEXPIRE k 10 NX XX",
  },
  {
    reply: error("ERR min or max is not a float$"),
    why: "A score range's ends must be numbers, -inf or +inf, with ( in front for an exclusive end.",
    todo: "Write them as 10, (10, -inf or +inf; lexicographic ranges need ZRANGEBYLEX.",
    trigger: "ZADD board 10 ada\nZRANGEBYSCORE board low high",
  },
  {
    reply: error("ERR timeout is not a float or out of range$"),
    why: "The last argument of a blocking pop is the timeout in seconds, and it is not a number.",
    todo: "End the line with the timeout (0 waits for ever): BLPOP key [key ...] timeout.",
    trigger: "BLPOP queue soon",
  },
  {
    reply: error("ERR value is out of range, must be positive$"),
    why: "This count must be a positive number.",
    todo: "Give a count of 1 or more.",
    trigger: "SADD tags a\nSPOP tags -1",
  },
  {
    reply: error("ERR The ID specified in XADD is equal or smaller than the target stream top item$"),
    why: "A stream's IDs only go up: the ID given is not above the last entry's.",
    todo: "Use * to let Redis make the next ID, or give a larger one.",
    trigger: "XADD events 5-1 kind a\nXADD events 5-1 kind b",
  },
  {
    reply: error("BUSYGROUP "),
    why: "The stream already has a consumer group of that name.",
    todo: "Use the group as it is, pick another name, or XGROUP DESTROY it first.",
    trigger: "XGROUP CREATE events workers $ MKSTREAM\nXGROUP CREATE events workers $",
  },
  {
    reply: error("NOGROUP "),
    why: "The stream does not exist, or has no consumer group of that name.",
    todo: "Create the group first: XGROUP CREATE key group $ MKSTREAM.",
    trigger: "XADD events 1-1 kind a\nXREADGROUP GROUP workers w1 STREAMS events >",
  },
  {
    reply: error("ERR bit offset is not an integer or out of range$"),
    why: "A bit offset must be a whole number from 0 to 2^32 - 1.",
    todo: "Give an offset of 0 or more (bit 0 is the leftmost bit of the first byte).",
    trigger: "SETBIT flags -1 1",
  },
];

const commandWords = (text) => text.replace(/^\s*\d+\s+/, "");

// The table's entry for one output entry ({ kind, command, text, display }), or null.
export function meaningOf({ kind, command, text = "", display = "" }) {
  if (kind !== "command_reply" && kind !== "blocked_reply") return null;
  const reply = display.replace(/\n$/, "");
  const line = commandWords(text);
  return (
    REPLY_MEANINGS.find(
      (entry) =>
        (!entry.commands || entry.commands.includes(command)) &&
        (!entry.options || entry.options.test(line)) &&
        entry.reply.test(reply),
    ) ?? null
  );
}
