// engine_bench: times the follow-through engine's pass on a real store, and what its running
// does to request handling. Driven by `bench/run engine` (see bench/README.md); prints one JSON
// object per line on stdout.
//
//   engine_bench --data DIR [--items N] [--waiting W] [--sla C] [--passes P] [--batch B]
//                [--latency-seconds S] [--read-rate R] [--write-rate R] [--keep-backlog]
//
// 1. Setup (not measured): N open promises on N distinct new/open tickets, due from 1 hour ago to
//    30 days ahead, W waiting customers on other new/open tickets, waiting since 30 days ago
//    up to now, and C answered tickets whose resolution clocks run since 6 days ago up to now (the
//    "Standard" policy below, on weekday business hours in Lisbon; their clocks computed through
//    the store, so they fall due at various times).
//    Unless --keep-backlog, the work the dataset already holds (its never-answered new tickets,
//    its resolved tickets due a follow-up, SLA clocks never computed) is marked as dealt with, so
//    the passes act on these items only. Silence is raised by the SLA phase, on business hours.
// 2. P passes of Engine::RunOnce() on the system clock, each timed.
// 3. Request latency: GetTicket of random ids and a note through ModifyTicket, paced, from two
//    client threads; first with the engine stopped, then with it running on its own thread
//    (Engine::Start, poll 50 ms).
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "domain/ticket_rules.h"
#include "engine/engine.h"
#include "storage/sqlite/sqlite_store.h"

namespace steadfast::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int64_t kHourMs = 3600 * 1000LL;
constexpr int64_t kDayMs = 24 * kHourMs;

struct Options {
  std::string data_dir;
  int items = 100000;
  int waiting = -1;  // Default: items / 2.
  int sla = -1;      // Default: items.
  int passes = 5;
  int batch = engine::EngineOptions{}.batch;
  int latency_seconds = 10;
  int read_rate = 1000;  // Reads per second, paced.
  int write_rate = 100;  // Notes per second, paced.
  bool keep_backlog = false;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "engine_bench: %s\n", what.c_str());
  std::exit(1);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die(std::string(arg) + " needs a value");
      return argv[++i];
    };
    const auto number = [&]() { return std::atoi(value().c_str()); };
    if (arg == "--data") {
      o.data_dir = value();
    } else if (arg == "--items") {
      o.items = number();
    } else if (arg == "--waiting") {
      o.waiting = number();
    } else if (arg == "--sla") {
      o.sla = number();
    } else if (arg == "--passes") {
      o.passes = number();
    } else if (arg == "--batch") {
      o.batch = number();
    } else if (arg == "--latency-seconds") {
      o.latency_seconds = number();
    } else if (arg == "--read-rate") {
      o.read_rate = number();
    } else if (arg == "--write-rate") {
      o.write_rate = number();
    } else if (arg == "--keep-backlog") {
      o.keep_backlog = true;
    } else {
      Die("unknown argument " + std::string(arg));
    }
  }
  if (o.data_dir.empty()) Die("--data DIR is required");
  if (o.waiting < 0) o.waiting = o.items / 2;
  if (o.sla < 0) o.sla = o.items;
  if (o.items < 0 || o.passes < 1 || o.batch < 1 || o.read_rate < 1 || o.write_rate < 1) {
    Die("counts and rates must be positive");
  }
  return o;
}

double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// Direct SQL for the setup and for counting, on its own connection beside the store's.
class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      Die("cannot open " + path + ": " + sqlite3_errmsg(db_));
    }
    sqlite3_busy_timeout(db_, 60000);
    Exec("PRAGMA foreign_keys=ON");
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error != nullptr ? error : "?";
      sqlite3_free(error);
      Die(sql + ": " + message);
    }
  }

  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      Die(sql + ": " + sqlite3_errmsg(db_));
    }
    return st;
  }

  // Steps a statement that returns no rows, then resets it for the next bindings.
  void Run(sqlite3_stmt* st) {
    if (sqlite3_step(st) != SQLITE_DONE) Die(std::string("step: ") + sqlite3_errmsg(db_));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  }

  int64_t Count(const std::string& sql) {
    sqlite3_stmt* st = Prepare(sql);
    int64_t n = 0;
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }

  int Changes() { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
};

struct Setup {
  std::vector<int64_t> live_ids;  // New and open tickets: targets for the notes.
  int64_t max_id = 0;
  int promises = 0;
  int waiting = 0;
  std::vector<int64_t> sla_ids;  // Tickets whose SLA clocks the store computes before the passes.
  int64_t backlog_sla = 0;       // Tickets whose clocks were never computed, set aside.
  int64_t backlog_silence = 0;   // Waiting customers already in the dataset, set aside.
  int64_t backlog_followup = 0;  // Resolved tickets due a follow-up, set aside.
};

// Writes the items straight into the store's tables in one transaction. Not measured: the
// figures are the engine's passes, not how the items got there.
Setup WriteItems(Db& db, const Options& o, Timestamp now, std::mt19937_64& rng) {
  Setup s;
  db.Exec("BEGIN IMMEDIATE");
  s.max_id = db.Count("SELECT max(id) FROM tickets");
  int64_t any_agent = db.Count("SELECT min(id) FROM agents");
  {
    sqlite3_stmt* st = db.Prepare("SELECT id FROM tickets WHERE status IN ('new', 'open')");
    while (sqlite3_step(st) == SQLITE_ROW) s.live_ids.push_back(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
  }
  if (s.live_ids.empty()) Die("the dataset has no new or open tickets");
  std::vector<int64_t> picks = s.live_ids;
  std::shuffle(picks.begin(), picks.end(), rng);
  const size_t available = picks.size();
  s.promises = static_cast<int>(std::min<size_t>(o.items, available));
  s.waiting = static_cast<int>(std::min<size_t>(o.waiting, available));

  if (!o.keep_backlog) {
    db.Exec(
        "UPDATE tickets SET silence_raised_at = waiting_since"
        " WHERE waiting_since IS NOT NULL AND silence_raised_at IS NULL");
    s.backlog_silence = db.Changes();
    db.Exec("UPDATE tickets SET resolved_at = " + std::to_string(now.millis) +
            " WHERE status = 'resolved'");
    s.backlog_followup = db.Changes();
    db.Exec("UPDATE tickets SET sla_next_at = NULL WHERE sla = '' AND sla_next_at IS NOT NULL");
    s.backlog_sla = db.Changes();
  }

  // Due from 1 hour ago to 30 days ahead, evenly; the order of `picks` is random.
  sqlite3_stmt* promise = db.Prepare(
      "INSERT INTO promises(ticket_id, owner_id, text, due_at, state, message_id, created_at)"
      " SELECT t.id, coalesce(t.owner_id, ?2), ?3, ?4, 'open',"
      "  coalesce((SELECT min(m.id) FROM messages m WHERE m.ticket_id = t.id), 0), ?5"
      " FROM tickets t WHERE t.id = ?1");
  const int64_t first_due = now.millis - kHourMs;
  const int64_t span = 30 * kDayMs + kHourMs;
  for (int i = 0; i < s.promises; ++i) {
    const int64_t due = first_due + span * i / std::max(1, s.promises);
    sqlite3_bind_int64(promise, 1, picks[i]);
    sqlite3_bind_int64(promise, 2, any_agent);
    sqlite3_bind_text(promise, 3, "Send the corrected invoice", -1, SQLITE_STATIC);
    sqlite3_bind_int64(promise, 4, due);
    sqlite3_bind_int64(promise, 5, now.millis - kDayMs);
    db.Run(promise);
  }
  sqlite3_finalize(promise);

  // Waiting since 30 days ago up to now, on the tickets after the promised ones (wrapping round
  // when the dataset is small).
  sqlite3_stmt* wait =
      db.Prepare("UPDATE tickets SET waiting_since = ?2, silence_raised_at = NULL WHERE id = ?1");
  for (int i = 0; i < s.waiting; ++i) {
    const int64_t since = now.millis - 30 * kDayMs + 30 * kDayMs * i / std::max(1, s.waiting);
    sqlite3_bind_int64(wait, 1, picks[(static_cast<size_t>(s.promises) + i) % available]);
    sqlite3_bind_int64(wait, 2, since);
    db.Run(wait);
  }
  sqlite3_finalize(wait);

  // SLA clocks running since 6 days ago up to now, on the tickets after the waiting ones; the
  // waiting ones too get their silence moment. Marked computed here, brought up to date through
  // the store (SlaRefresh) before the passes.
  sqlite3_stmt* clock = db.Prepare(
      "UPDATE tickets SET sla = json_object('policy', '', 'running', ?2, 'used', 0, 'first_reply',"
      " ?2) WHERE id = ?1");
  const size_t sla_count = std::min<size_t>(o.sla, available);
  for (size_t i = 0; i < sla_count; ++i) {
    const int64_t id = picks[(static_cast<size_t>(s.promises + s.waiting) + i) % available];
    sqlite3_bind_int64(clock, 1, id);
    sqlite3_bind_int64(clock, 2,
                       now.millis - 6 * kDayMs +
                           6 * kDayMs * static_cast<int64_t>(i) /
                               std::max<int64_t>(1, static_cast<int64_t>(sla_count)));
    db.Run(clock);
    s.sla_ids.push_back(id);
  }
  sqlite3_finalize(clock);
  for (int i = 0; i < s.waiting; ++i) {
    s.sla_ids.push_back(picks[(static_cast<size_t>(s.promises) + i) % available]);
  }
  db.Exec("COMMIT");
  db.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return s;
}

// How much of the items the engine has dealt with so far.
struct Progress {
  int64_t broken = 0;
  int64_t reminded = 0;
  int64_t silent = 0;
  int64_t sla = 0;  // SLA warnings and breaches recorded.
};

Progress Measure(Db& db) {
  Progress p;
  p.broken = db.Count("SELECT count(*) FROM promises WHERE state = 'broken'");
  p.reminded = db.Count("SELECT count(*) FROM promises WHERE reminded_at IS NOT NULL");
  p.silent = db.Count(
      "SELECT count(*) FROM tickets WHERE waiting_since IS NOT NULL"
      " AND silence_raised_at > waiting_since");
  p.sla =
      db.Count("SELECT count(*) FROM ticket_events WHERE type IN ('sla_warning', 'sla_breached')");
  return p;
}

struct Latencies {
  std::vector<double> ms;
  int errors = 0;

  double Quantile(double q) const {
    if (ms.empty()) return 0;
    std::vector<double> sorted = ms;
    const size_t k = std::min(sorted.size() - 1, static_cast<size_t>(q * sorted.size()));
    std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
    return sorted[k];
  }
  double Max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

// Calls `op` `rate` times a second for `seconds`, each at its slot (an open loop: a slow call
// does not lower the offered rate, the next one starts late instead and is timed from its
// slot), and returns the times.
template <typename Op>
Latencies Paced(int rate, int seconds, Op op) {
  Latencies out;
  const auto interval = std::chrono::nanoseconds(1000000000LL / rate);
  const auto start = SteadyClock::now();
  const auto end = start + std::chrono::seconds(seconds);
  for (auto slot = start; slot < end; slot += interval) {
    std::this_thread::sleep_until(slot);
    if (!op()) ++out.errors;
    out.ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - slot).count());
  }
  return out;
}

void PrintLatency(bool engine_running, const Latencies& reads, const Latencies& writes,
                  const Progress& before, const Progress& after, int seconds) {
  std::printf(
      "{\"phase\":\"latency\",\"engine\":%s,\"seconds\":%d,"
      "\"reads\":%zu,\"read_errors\":%d,\"read_p50_ms\":%.3f,\"read_p99_ms\":%.3f,"
      "\"read_max_ms\":%.3f,"
      "\"writes\":%zu,\"write_errors\":%d,\"write_p50_ms\":%.3f,\"write_p99_ms\":%.3f,"
      "\"write_max_ms\":%.3f,"
      "\"engine_broken\":%lld,\"engine_reminded\":%lld,\"engine_silent\":%lld,"
      "\"engine_sla\":%lld}\n",
      engine_running ? "true" : "false", seconds, reads.ms.size(), reads.errors,
      reads.Quantile(0.50), reads.Quantile(0.99), reads.Max(), writes.ms.size(), writes.errors,
      writes.Quantile(0.50), writes.Quantile(0.99), writes.Max(),
      static_cast<long long>(after.broken - before.broken),
      static_cast<long long>(after.reminded - before.reminded),
      static_cast<long long>(after.silent - before.silent),
      static_cast<long long>(after.sla - before.sla));
  std::fflush(stdout);
}

// Reads and notes from two client threads for `o.latency_seconds`, as requests would make them.
void MeasureRequests(storage::Store& store, const Options& o, const Setup& setup,
                     const domain::Agent& agent, const Clock& clock, Db& db, bool engine_running,
                     uint64_t seed) {
  const Progress before = Measure(db);
  Latencies reads;
  Latencies writes;
  std::thread reader([&] {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> id(1, setup.max_id);
    reads = Paced(o.read_rate, o.latency_seconds, [&] {
      auto t = store.GetTicket(id(rng));
      return t.ok() || t.status().code() == StatusCode::kNotFound;  // Ids have gaps.
    });
  });
  std::thread writer([&] {
    std::mt19937_64 rng(seed + 1);
    std::uniform_int_distribution<size_t> pick(0, setup.live_ids.size() - 1);
    const domain::Principal who = domain::Principal::ForAgent(agent);
    writes = Paced(o.write_rate, o.latency_seconds, [&] {
      auto w = store.ModifyTicket(setup.live_ids[pick(rng)], [&](const domain::TicketState& s) {
        domain::NewMessage note;
        note.kind = domain::MessageKind::kNote;
        note.author = domain::Actor{domain::Actor::Kind::kAgent, agent.id};
        note.body = "Checked the logs; nothing new since yesterday.";
        return domain::AddMessage(s, who, std::move(note), false, clock.Now());
      });
      return w.ok();
    });
  });
  reader.join();
  writer.join();
  PrintLatency(engine_running, reads, writes, before, Measure(db), o.latency_seconds);
}

// Weekday hours in Lisbon and one policy for every ticket, as a team would set them.
std::shared_ptr<const engine::SlaSettings> BenchSla() {
  auto settings = std::make_shared<engine::SlaSettings>();
  auto calendar = engine::BusinessCalendar::Parse("Europe/Lisbon", "mon-fri 08:00-18:00",
                                                  "2026-12-25, 2027-01-01");
  if (!calendar.ok()) Die(calendar.status().ToString());
  settings->calendar = std::move(*calendar);
  engine::SlaRule rule;
  rule.policy.name = "Standard";
  using std::chrono::hours;
  rule.policy.by_priority = {engine::SlaTargets{hours(8), hours(16), hours(80)},
                             engine::SlaTargets{hours(4), hours(8), hours(40)},
                             engine::SlaTargets{hours(2), hours(4), hours(16)},
                             engine::SlaTargets{hours(1), hours(2), hours(8)}};
  settings->policies.push_back(rule);
  settings->warning = engine::SlaWarning{30 * 60 * 1000, std::nullopt};
  return settings;
}

// Brings the SLA clocks of `ids` up to date through the store (its finisher), as every ticket
// change would have: a change without events writes only the clocks.
void RefreshSla(storage::Store& store, const std::vector<int64_t>& ids, Timestamp now) {
  const size_t chunk = 1000;
  for (size_t from = 0; from < ids.size(); from += chunk) {
    std::vector<std::pair<storage::TicketId, storage::Mutation>> part;
    for (size_t i = from; i < std::min(ids.size(), from + chunk); ++i) {
      part.emplace_back(ids[i], [now](const domain::TicketState& s) -> Result<domain::Change> {
        return domain::BeginChange(s, now);
      });
    }
    for (const auto& r : store.ModifyTickets(part)) {
      if (!r.ok()) Die("refreshing SLA clocks: " + r.status().ToString());
    }
  }
}

int Main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  SetLogLevel(LogLevel::kWarn);
  if (Status s = InitCrypto(); !s.ok()) Die(s.ToString());
  SystemClock clock;
  const std::string path = o.data_dir + "/steadfast.db";

  // Opening applies any pending migrations: before the setup, which needs the latest schema.
  auto t0 = SteadyClock::now();
  const std::shared_ptr<const engine::SlaSettings> sla = BenchSla();
  storage::sqlite::SqliteOptions store_options;
  store_options.path = path;
  store_options.read_connections = 4;
  store_options.finish = engine::MakeSlaFinisher(sla);
  auto opened = storage::sqlite::SqliteStore::Open(store_options, clock);
  if (!opened.ok()) Die(opened.status().ToString());
  std::unique_ptr<storage::sqlite::SqliteStore> store = std::move(opened.value());
  const double open_ms = MillisSince(t0);

  auto agents = store->ListAgents();
  if (!agents.ok() || agents->empty()) Die("the dataset has no agents");
  const domain::Agent agent = agents->front();

  Db db(path);
  std::mt19937_64 rng(42);
  t0 = SteadyClock::now();
  const Timestamp now = clock.Now();
  const Setup setup = WriteItems(db, o, now, rng);
  RefreshSla(*store, setup.sla_ids, now);
  const int64_t tickets = db.Count("SELECT count(*) FROM tickets");
  const int64_t due_promises = db.Count(
      "SELECT count(*) FROM promises WHERE state = 'open'"
      " AND due_at <= " +
      std::to_string(now.millis));
  std::printf(
      "{\"phase\":\"setup\",\"tickets\":%lld,\"promises\":%d,\"promises_past_due\":%lld,"
      "\"waiting\":%d,\"sla_clocks\":%lld,\"sla_due\":%lld,\"backlog_silence_set_aside\":%lld,"
      "\"backlog_followup_set_aside\":%lld,\"backlog_sla_set_aside\":%lld,"
      "\"batch\":%d,\"open_ms\":%.0f,\"setup_ms\":%.0f}\n",
      static_cast<long long>(tickets), setup.promises, static_cast<long long>(due_promises),
      setup.waiting,
      static_cast<long long>(db.Count("SELECT count(*) FROM tickets WHERE sla <> ''")),
      static_cast<long long>(db.Count("SELECT count(*) FROM tickets WHERE sla_next_at <= " +
                                      std::to_string(now.millis))),
      static_cast<long long>(setup.backlog_silence), static_cast<long long>(setup.backlog_followup),
      static_cast<long long>(setup.backlog_sla), o.batch, open_ms, MillisSince(t0));
  std::fflush(stdout);

  engine::EngineOptions engine_options;
  engine_options.batch = o.batch;
  engine_options.poll_ms = 50;
  engine_options.public_url = "https://help.example.com";
  engine_options.sla = sla;
  {
    engine::Engine engine(*store, clock, engine_options);
    for (int pass = 1; pass <= o.passes; ++pass) {
      const auto w0 = store->writer_stats();
      t0 = SteadyClock::now();
      const engine::PassStats s = engine.RunOnce();
      const double ms = MillisSince(t0);
      const auto w1 = store->writer_stats();
      std::printf(
          "{\"phase\":\"pass\",\"pass\":%d,\"reminded\":%d,\"broken\":%d,\"silent\":%d,"
          "\"sla\":%d,\"asked\":%d,\"closed\":%d,\"failed\":%d,\"ms\":%.1f,\"commits\":%lld,"
          "\"writer_busy_ms\":%.1f,\"commit_ms\":%.1f,\"fsyncs\":%lld,\"fsync_ms\":%.1f}\n",
          pass, s.reminded, s.broken, s.silent, s.sla, s.asked, s.closed, s.failed, ms,
          static_cast<long long>(w1.groups - w0.groups), (w1.busy_micros - w0.busy_micros) / 1e3,
          (w1.commit_micros - w0.commit_micros) / 1e3, static_cast<long long>(w1.syncs - w0.syncs),
          (w1.sync_micros - w0.sync_micros) / 1e3);
      std::fflush(stdout);
    }
  }

  MeasureRequests(*store, o, setup, agent, clock, db, false, 7);
  {
    engine::Engine engine(*store, clock, engine_options);
    engine.Start();
    MeasureRequests(*store, o, setup, agent, clock, db, true, 8);
    engine.Stop();
  }
  return 0;
}

}  // namespace
}  // namespace steadfast::bench

int main(int argc, char** argv) { return steadfast::bench::Main(argc, argv); }
