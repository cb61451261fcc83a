// MULTI/EXEC/DISCARD/WATCH/UNWATCH: queuing, EXECABORT, time inside EXEC and optimistic
// locking across sessions. Each WATCH case was replayed on redis-server 7.0.15 with two
// connections.
#include <string>

#include "test_helpers.h"

using redpad::Reply;
using namespace redpad::test;

namespace {

const Reply kOk = Reply::ok();
const Reply kQueued = Reply::status("QUEUED");
const Reply kNullArray = Reply::null_array();

// MULTI, PING, EXEC for `session`: EXEC's reply tells whether its watches held.
Reply exec_ping(Server& server, ClientSession& session) {
  REQUIRE(run(server, session, {"MULTI"}) == kOk);
  REQUIRE(run(server, session, {"PING"}) == kQueued);
  return run(server, session, {"EXEC"});
}

const Reply kPonged = array({status("PONG")});

// A server whose default session watches `key`, plus a second session to disturb it.
struct WatchFixture {
  Server server{config()};
  ClientSession& me = server.default_session();
  ClientSession& other = server.create_session("other");
};

}  // namespace

// ---- queuing and EXEC ----

TEST_CASE("Commands inside MULTI are queued and run in order at EXEC") {
  Server server(config());
  CHECK(run(server, {"MULTI"}) == kOk);
  CHECK(run(server, {"SET", "a", "1"}) == kQueued);
  CHECK(run(server, {"INCR", "a"}) == kQueued);
  CHECK(run(server, {"GET", "a"}) == kQueued);
  CHECK(server.db(0).size() == 0);  // nothing ran yet
  CHECK(run(server, {"EXEC"}) == array({kOk, integer(2), bulk("2")}));
  CHECK(server.default_session().in_multi == false);
}

TEST_CASE("EXEC of an empty transaction is an empty array") {
  Server server(config());
  run(server, {"MULTI"});
  CHECK(run(server, {"EXEC"}) == array());
  CHECK(cli_lines(server, {"MULTI", "EXEC"}) == "OK\n(empty array)\n");
}

TEST_CASE("A runtime error inside EXEC leaves the other commands applied") {
  Server server(config());
  run(server, {"SET", "s", "abc"});
  run(server, {"MULTI"});
  run(server, {"SET", "a", "1"});
  run(server, {"INCR", "s"});
  run(server, {"SET", "b", "2"});
  CHECK(run(server, {"EXEC"}) ==
        array({kOk, error("ERR value is not an integer or out of range"), kOk}));
  CHECK(run(server, {"MGET", "a", "b"}) == bulks({"1", "2"}));
}

TEST_CASE("A command refused while queuing makes EXEC answer EXECABORT and run nothing") {
  Server server(config());
  run(server, {"MULTI"});
  CHECK(run(server, {"SET", "a"}) == error("ERR wrong number of arguments for 'set' command"));
  CHECK(run(server, {"SET", "c", "3"}) == kQueued);
  CHECK(run(server, {"EXEC"}) ==
        error("EXECABORT Transaction discarded because of previous errors."));
  CHECK(run(server, {"EXISTS", "c"}) == integer(0));
  CHECK(run(server, {"EXEC"}) == error("ERR EXEC without MULTI"));
}

TEST_CASE("An unknown command while queuing also aborts the transaction") {
  Server server(config());
  run(server, {"MULTI"});
  CHECK(run(server, {"NOSUCH"}) ==
        error("ERR unknown command 'NOSUCH', with args beginning with: "));
  CHECK(run(server, {"EXEC"}) ==
        error("EXECABORT Transaction discarded because of previous errors."));
}

TEST_CASE("EXEC with arguments ends the transaction at once with the reason") {
  Server server(config());
  run(server, {"MULTI"});
  run(server, {"SET", "z", "1"});
  CHECK(run(server, {"EXEC", "x"}) ==
        error("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' "
              "command"));
  CHECK(run(server, {"EXISTS", "z"}) == integer(0));
  CHECK(run(server, {"EXEC"}) == error("ERR EXEC without MULTI"));
}

TEST_CASE("Nested MULTI and WATCH inside MULTI are errors that do not abort the transaction") {
  Server server(config());
  run(server, {"MULTI"});
  CHECK(run(server, {"MULTI"}) == error("ERR MULTI calls can not be nested"));
  CHECK(run(server, {"WATCH", "x"}) == error("ERR WATCH inside MULTI is not allowed"));
  run(server, {"SET", "a", "2"});
  CHECK(run(server, {"EXEC"}) == array({kOk}));
}

TEST_CASE("EXEC and DISCARD without MULTI are errors") {
  Server server(config());
  CHECK(run(server, {"EXEC"}) == error("ERR EXEC without MULTI"));
  CHECK(run(server, {"DISCARD"}) == error("ERR DISCARD without MULTI"));
}

TEST_CASE("DISCARD drops the queue") {
  Server server(config());
  run(server, {"MULTI"});
  run(server, {"SET", "a", "1"});
  CHECK(run(server, {"DISCARD"}) == kOk);
  CHECK(run(server, {"EXISTS", "a"}) == integer(0));
  CHECK(server.default_session().queued.empty());
}

TEST_CASE("SELECT inside a transaction applies to the commands queued after it") {
  Server server(config());
  run(server, {"MULTI"});
  run(server, {"SELECT", "3"});
  run(server, {"SET", "in3", "v"});
  CHECK(run(server, {"EXEC"}) == array({kOk, kOk}));
  CHECK(server.default_session().db == 3);
  CHECK(server.db(3).find("in3") != nullptr);
  CHECK(server.db(0).size() == 0);
}

TEST_CASE("Another session's commands are not queued in my transaction") {
  WatchFixture f;
  run(f.server, f.me, {"MULTI"});
  CHECK(run(f.server, f.other, {"SET", "k", "v"}) == kOk);
  CHECK(run(f.server, f.me, {"GET", "k"}) == kQueued);
  CHECK(run(f.server, f.me, {"EXEC"}) == array({bulk("v")}));
}

// ---- time inside EXEC ----

TEST_CASE("Queued commands see the time EXEC started: a key expiring meanwhile is still read") {
  // Redis 7.0: SET k v PX 100, MULTI, DEBUG SLEEP 0.2, GET k, EXEC -> 1) OK 2) "v"
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "100"});
  run(server, {"MULTI"});
  run(server, {"DEBUG", "SLEEP", "0.2"});
  run(server, {"GET", "k"});
  CHECK(run(server, {"EXEC"}) == array({kOk, bulk("v")}));
  CHECK(run(server, {"GET", "k"}) == Reply::nil());
}

TEST_CASE("Time spent queuing counts: a key that expires before EXEC is gone inside it") {
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "100"});
  run(server, {"MULTI"});
  run(server, {"GET", "k"});
  server.clock().advance(101);
  CHECK(run(server, {"EXEC"}) == array({Reply::nil()}));
}

TEST_CASE("TIME inside EXEC reads the clock, which DEBUG SLEEP has moved") {
  // Redis 7.0 reads the real clock for TIME even inside EXEC: MULTI, TIME, DEBUG SLEEP 1.5,
  // TIME, EXEC gives two times 1.5 s apart.
  Server server(config());
  run(server, {"MULTI"});
  run(server, {"TIME"});
  run(server, {"DEBUG", "SLEEP", "1.5"});
  run(server, {"TIME"});
  CHECK(run(server, {"EXEC"}) ==
        array({bulks({"1700000000", "0"}), kOk, bulks({"1700000001", "500000"})}));
}

TEST_CASE("SET PX inside EXEC counts from the clock after an earlier DEBUG SLEEP") {
  // Redis 7.0: MULTI, DEBUG SLEEP 1, SET k v PX 5000, EXEC, PTTL k -> (integer) 5000
  Server server(config());
  run(server, {"MULTI"});
  run(server, {"DEBUG", "SLEEP", "1"});
  run(server, {"SET", "k", "v", "PX", "5000"});
  CHECK(run(server, {"EXEC"}) == array({kOk, kOk}));
  CHECK(run(server, {"PTTL", "k"}) == integer(5000));
}

TEST_CASE("PTTL inside EXEC counts down across a DEBUG SLEEP in the same transaction") {
  // Redis 7.0: SET k v PX 1000, MULTI, DEBUG SLEEP 0.3, PTTL k, EXEC -> 2) (integer) 700
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "1000"});
  run(server, {"MULTI"});
  run(server, {"DEBUG", "SLEEP", "0.3"});
  run(server, {"PTTL", "k"});
  CHECK(run(server, {"EXEC"}) == array({kOk, integer(700)}));
}

// ---- WATCH ----

TEST_CASE("WATCH: my own write to a watched key makes EXEC return a null array") {
  Server server(config());
  run(server, {"SET", "k", "1"});
  run(server, {"WATCH", "k"});
  run(server, {"SET", "k", "2"});
  run(server, {"MULTI"});
  run(server, {"SET", "k", "3"});
  CHECK(run(server, {"EXEC"}) == kNullArray);
  CHECK(run(server, {"GET", "k"}) == bulk("2"));
  CHECK(cli(server, "EXEC") == "(error) ERR EXEC without MULTI\n");
}

TEST_CASE("WATCH: another session's write makes EXEC fail") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "1"});
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"SET", "k", "2"});
  CHECK(exec_ping(f.server, f.me) == kNullArray);
}

TEST_CASE("WATCH: without any write EXEC runs") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "1"});
  run(f.server, f.me, {"WATCH", "k", "missing"});
  run(f.server, f.other, {"GET", "k"});
  run(f.server, f.other, {"SET", "unrelated", "x"});
  CHECK(exec_ping(f.server, f.me) == kPonged);
}

TEST_CASE("WATCH: a write to the same name in another database does not count") {
  WatchFixture f;
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"SELECT", "1"});
  run(f.server, f.other, {"SET", "k", "x"});
  CHECK(exec_ping(f.server, f.me) == kPonged);
}

TEST_CASE("WATCH: a write to a missing watched key counts") {
  WatchFixture f;
  run(f.server, f.me, {"WATCH", "new"});
  run(f.server, f.other, {"SET", "new", "x"});
  CHECK(exec_ping(f.server, f.me) == kNullArray);
}

TEST_CASE("WATCH: writes that change nothing do not count") {
  // Redis 7.0: DEL of a missing key, SET NX on an existing key, SETRANGE with an empty
  // value, RENAME k k, GETEX and PERSIST without a TTL leave the watch clean.
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "1"});
  run(f.server, f.me, {"WATCH", "k", "nokey"});
  run(f.server, f.other, {"DEL", "nokey"});
  run(f.server, f.other, {"SET", "k", "x", "NX"});
  run(f.server, f.other, {"SETRANGE", "k", "0", ""});
  run(f.server, f.other, {"RENAME", "k", "k"});
  run(f.server, f.other, {"GETEX", "k"});
  run(f.server, f.other, {"PERSIST", "k"});
  run(f.server, f.other, {"EXPIRE", "nokey", "10"});
  CHECK(exec_ping(f.server, f.me) == kPonged);
}

TEST_CASE("WATCH: APPEND of an empty string still counts as a write") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "1"});
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"APPEND", "k", ""});
  CHECK(exec_ping(f.server, f.me) == kNullArray);
}

TEST_CASE("WATCH: EXPIRE, COPY and MOVE onto a watched key count") {
  SUBCASE("EXPIRE") {
    WatchFixture f;
    run(f.server, f.me, {"SET", "k", "1"});
    run(f.server, f.me, {"WATCH", "k"});
    run(f.server, f.other, {"EXPIRE", "k", "100"});
    CHECK(exec_ping(f.server, f.me) == kNullArray);
  }
  SUBCASE("COPY to the watched key") {
    WatchFixture f;
    run(f.server, f.me, {"SET", "k", "1"});
    run(f.server, f.me, {"WATCH", "dst"});
    run(f.server, f.other, {"COPY", "k", "dst"});
    CHECK(exec_ping(f.server, f.me) == kNullArray);
  }
  SUBCASE("MOVE from another database into the watched key") {
    WatchFixture f;
    run(f.server, f.me, {"WATCH", "mv"});
    run(f.server, f.other, {"SELECT", "2"});
    run(f.server, f.other, {"SET", "mv", "1"});
    run(f.server, f.other, {"MOVE", "mv", "0"});
    CHECK(exec_ping(f.server, f.me) == kNullArray);
  }
}

TEST_CASE("WATCH: a watched key expiring by the clock makes EXEC return a null array") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "v", "PX", "100"});
  run(f.server, f.me, {"WATCH", "k"});
  f.server.clock().advance(200);
  CHECK(exec_ping(f.server, f.me) == kNullArray);
}

TEST_CASE("WATCH: a watched key expiring during DEBUG SLEEP in another session counts") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "v", "PX", "100"});
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"DEBUG", "SLEEP", "0.2"});
  CHECK(exec_ping(f.server, f.me) == kNullArray);
}

TEST_CASE("WATCH: a watched key that has not expired yet does not count") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "v", "PX", "100"});
  run(f.server, f.me, {"WATCH", "k"});
  f.server.clock().advance(100);
  CHECK(exec_ping(f.server, f.me) == kPonged);
}

TEST_CASE("UNWATCH forgets every watched key") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "1"});
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"SET", "k", "2"});
  CHECK(run(f.server, f.me, {"UNWATCH"}) == kOk);
  CHECK(exec_ping(f.server, f.me) == kPonged);
  CHECK(f.me.watched.empty());
}

TEST_CASE("UNWATCH inside MULTI is queued like any command") {
  Server server(config());
  run(server, {"MULTI"});
  CHECK(run(server, {"UNWATCH"}) == kQueued);
  CHECK(run(server, {"EXEC"}) == array({kOk}));
}

TEST_CASE("DISCARD clears the watches too") {
  WatchFixture f;
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"SET", "k", "3"});
  run(f.server, f.me, {"MULTI"});
  CHECK(run(f.server, f.me, {"DISCARD"}) == kOk);
  CHECK(exec_ping(f.server, f.me) == kPonged);
}

TEST_CASE("EXEC clears the watches, whether it ran or not") {
  WatchFixture f;
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"SET", "k", "4"});
  CHECK(exec_ping(f.server, f.me) == kNullArray);
  run(f.server, f.other, {"SET", "k", "5"});
  CHECK(exec_ping(f.server, f.me) == kPonged);
}

TEST_CASE("An EXECABORT also clears the watches") {
  WatchFixture f;
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.me, {"MULTI"});
  run(f.server, f.me, {"NOSUCH"});
  CHECK(run(f.server, f.me, {"EXEC"}) ==
        error("EXECABORT Transaction discarded because of previous errors."));
  CHECK(f.me.watched.empty());
}

TEST_CASE("WATCH of the same key twice is one watch") {
  Server server(config());
  run(server, {"WATCH", "k", "k"});
  run(server, {"WATCH", "k"});
  CHECK(server.default_session().watched.size() == 1);
}

TEST_CASE("FLUSHALL touches a watched key only if it existed") {
  SUBCASE("missing key: EXEC runs") {
    WatchFixture f;
    run(f.server, f.me, {"WATCH", "k"});
    run(f.server, f.other, {"FLUSHALL"});
    CHECK(exec_ping(f.server, f.me) == kPonged);
  }
  SUBCASE("existing key: EXEC fails") {
    WatchFixture f;
    run(f.server, f.me, {"SET", "k", "1"});
    run(f.server, f.me, {"WATCH", "k"});
    run(f.server, f.other, {"FLUSHALL"});
    CHECK(exec_ping(f.server, f.me) == kNullArray);
  }
}

TEST_CASE("FLUSHDB of another database leaves my watch alone") {
  WatchFixture f;
  run(f.server, f.me, {"SET", "k", "1"});
  run(f.server, f.me, {"WATCH", "k"});
  run(f.server, f.other, {"SELECT", "1"});
  run(f.server, f.other, {"FLUSHDB"});
  CHECK(exec_ping(f.server, f.me) == kPonged);
}

TEST_CASE("SWAPDB touches a watched key present in either database") {
  SUBCASE("missing in both: EXEC runs") {
    WatchFixture f;
    run(f.server, f.me, {"WATCH", "k"});
    run(f.server, f.other, {"SWAPDB", "0", "1"});
    CHECK(exec_ping(f.server, f.me) == kPonged);
  }
  SUBCASE("only in the database swapped in: EXEC fails") {
    WatchFixture f;
    run(f.server, f.other, {"SELECT", "1"});
    run(f.server, f.other, {"SET", "k", "1"});
    run(f.server, f.me, {"WATCH", "k"});
    run(f.server, f.other, {"SWAPDB", "0", "1"});
    CHECK(exec_ping(f.server, f.me) == kNullArray);
  }
}

TEST_CASE("FLUSHALL inside my own watched transaction runs") {
  Server server(config());
  run(server, {"SET", "k", "1"});
  run(server, {"WATCH", "k"});
  run(server, {"MULTI"});
  run(server, {"FLUSHALL"});
  CHECK(run(server, {"EXEC"}) == array({kOk}));
  CHECK(server.db(0).size() == 0);
}

TEST_CASE("Two servers side by side: a write on one never dirties a watch on the other") {
  Server first(config());
  Server second(config());
  run(first, {"WATCH", "k"});
  run(second, {"SET", "k", "v"});
  second.clock().advance(10'000);
  CHECK(exec_ping(first, first.default_session()) == kPonged);
  CHECK(run(first, {"EXISTS", "k"}) == integer(0));
  CHECK(first.clock().now_ms() == kStartMs);
}
