#include "app/commands.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "app/config.h"
#include "app/demo.h"
#include "app/seed.h"
#include "app/test_clock.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/text.h"
#include "engine/chase.h"
#include "engine/engine.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/live_hub.h"
#include "http/server.h"
#include "http/static_files.h"
#include "mail/imap_client.h"
#include "mail/intake.h"
#include "mail/mailbox_poller.h"
#include "mail/sender.h"
#include "storage/sqlite/sqlite_store.h"

namespace steadfast::app {

std::string DatabasePath(const std::string& data_dir) { return data_dir + "/steadfast.db"; }

namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Status EnsureDirectory(const std::string& dir) {
  if (dir.empty()) return Status::InvalidArgument("--data", "is required");
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Status::InvalidArgument("--data", dir + " is not a folder");
    return Status::Ok();
  }
  if (::mkdir(dir.c_str(), 0700) != 0) {
    return Status::InvalidArgument("--data", "cannot create folder " + dir);
  }
  return Status::Ok();
}

Result<std::string> ReadSecretFile(const std::string& path, std::string_view flag) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument(std::string(flag), "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s(Trim(ss.str()));
  if (s.empty()) return Status::InvalidArgument(std::string(flag), path + " is empty");
  return s;
}

Status CheckPassword(const std::string& password, std::string_view source) {
  if (password.size() < 10) {
    return Status::InvalidArgument(std::string(source), "password must be at least 10 characters");
  }
  return Status::Ok();
}

Result<std::unique_ptr<storage::sqlite::SqliteStore>> OpenStore(
    const std::string& data_dir, const Clock& clock, bool must_exist, int read_connections = 2,
    storage::TicketFinisher finish = {}) {
  const std::string path = DatabasePath(data_dir);
  if (must_exist && !FileExists(path)) {
    return Status::NotFound("no store in " + data_dir + "; run `steadfast init --data " + data_dir +
                            "` first");
  }
  storage::sqlite::SqliteOptions options;
  options.path = path;
  options.read_connections = read_connections;
  options.finish = std::move(finish);
  return storage::sqlite::SqliteStore::Open(options, clock);
}

// One poller per [[mailbox]]; reads each password file. Errors name the config key.
Status AddMailboxPollers(const Config& config, mail::ImapFault fault, mail::MailIntake& intake,
                         const Clock& clock, mail::MailboxPollers& pollers) {
  for (size_t i = 0; i < config.mailboxes.size(); ++i) {
    const MailboxConfig& m = config.mailboxes[i];
    mail::ImapOptions imap;
    imap.url = m.url;
    imap.starttls = m.starttls;
    imap.user = m.user;
    std::string field = "mailbox[";  // Appended: GCC 12 warns falsely on "..." + std::string.
    field += std::to_string(i) + "].password_file";
    SF_ASSIGN_OR_RETURN(imap.password, ReadSecretFile(m.password_file, field));
    imap.ca_file = m.ca_file;
    imap.folder = m.folder;
    imap.max_message_bytes = config.max_body_bytes;  // The limit of `mailgate` and the API.
    mail::MailboxOptions options;
    options.name = m.name;
    options.url = m.url;
    options.folder = m.folder;
    options.processed_folder = m.processed_folder;
    options.poll_ms = static_cast<int64_t>(m.poll_seconds) * 1000;
    options.fault = fault;
    pollers.Add(std::make_unique<mail::MailboxPoller>(
        options, std::make_unique<mail::ImapClient>(imap),
        [&intake](std::string_view raw) { return intake.Ingest(raw); }, clock));
    Log(LogLevel::kInfo, "polling mailbox",
        {{"mailbox", m.name}, {"url", m.url}, {"folder", m.folder}});
    if (m.url.rfind("imap://", 0) == 0 && !m.starttls) {
      Log(LogLevel::kWarn, "mailbox logs in without TLS: set starttls = true or use imaps://",
          {{"mailbox", m.name}});
    }
  }
  return Status::Ok();
}

LogLevel ParseLevel(const std::string& s) {
  if (s == "debug") return LogLevel::kDebug;
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

}  // namespace

Status RunInit(const InitOptions& o) {
  SF_RETURN_IF_ERROR(InitCrypto());
  SF_RETURN_IF_ERROR(EnsureDirectory(o.data_dir));
  if (FileExists(DatabasePath(o.data_dir))) {
    return Status::Conflict(o.data_dir + " already holds a Steadfast store");
  }
  const std::string email = AsciiLower(Trim(o.admin_email));
  if (!LooksLikeEmail(email)) {
    return Status::InvalidArgument("--admin-email", "'" + o.admin_email + "' is not an email");
  }
  std::string password;
  bool generated = false;
  if (o.admin_password_file) {
    SF_ASSIGN_OR_RETURN(password, ReadSecretFile(*o.admin_password_file, "--admin-password-file"));
    SF_RETURN_IF_ERROR(CheckPassword(password, "--admin-password-file"));
  } else if (const char* env = std::getenv("STEADFAST_ADMIN_PASSWORD"); env && *env) {
    password = env;
    SF_RETURN_IF_ERROR(CheckPassword(password, "STEADFAST_ADMIN_PASSWORD"));
  } else {
    password = RandomToken(15);
    generated = true;
  }
  SF_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  SystemClock clock;
  SF_ASSIGN_OR_RETURN(auto store, OpenStore(o.data_dir, clock, false));
  SF_RETURN_IF_ERROR(
      store->CreateAgent({o.admin_name, email, domain::Role::kAdmin, hash, {}}).status());
  if (o.demo) SF_RETURN_IF_ERROR(SeedDemo(*store, clock, hash));
  std::printf("Initialized %s\n", o.data_dir.c_str());
  std::printf("Admin: %s\n", email.c_str());
  if (generated) std::printf("Password (shown once): %s\n", password.c_str());
  if (o.demo) {
    std::printf(
        "Demo agents ana@example.com (lead), ben@example.com, chloe@example.com "
        "use the admin password.\n");
  }
  return Status::Ok();
}

Status RunServe(const ServeOptions& o) {
  // Block the stop signals before any thread starts, so only the sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  SF_RETURN_IF_ERROR(InitCrypto());
  SF_ASSIGN_OR_RETURN(Config config, LoadConfig(o.config_file, SteadfastEnvironment()));
  if (o.listen) config.listen = *o.listen;
  SF_ASSIGN_OR_RETURN(auto host_port, ParseListen(config.listen, "--listen"));
  SetLogLevel(ParseLevel(config.log_level));

  SystemClock system_clock;
  std::unique_ptr<OffsetFileClock> test_clock;
  // Test-only (tests/e2e/harness.py): time moved forward by the test; refused if unreadable.
  if (const char* path = std::getenv(kTestClockVariable); path != nullptr && *path != '\0') {
    SF_ASSIGN_OR_RETURN(test_clock, OffsetFileClock::Open(path));
    Log(LogLevel::kWarn, "the test clock is on: time is moved by a file (test only)",
        {{"file", path}});
  }
  const Clock& clock = test_clock ? static_cast<const Clock&>(*test_clock) : system_clock;
  // SLA clocks and silence on the team's business calendar, kept on every ticket change.
  auto sla = std::make_shared<engine::SlaSettings>(config.sla);
  sla->silence_after_ms = {static_cast<int64_t>(config.silence_minutes_low) * 60 * 1000,
                           static_cast<int64_t>(config.silence_minutes_normal) * 60 * 1000,
                           static_cast<int64_t>(config.silence_minutes_high) * 60 * 1000,
                           static_cast<int64_t>(config.silence_minutes_urgent) * 60 * 1000};
  SF_ASSIGN_OR_RETURN(auto store, OpenStore(o.data_dir, clock, true, config.read_connections,
                                            engine::MakeSlaFinisher(sla)));
  http::AuthOptions auth_options;
  auth_options.secure_cookies = config.secure_cookies;
  http::Authenticator auth(*store, clock, auth_options);
  http::ApiOptions api_options;
  api_options.max_attachment_bytes = config.max_attachment_bytes;
  api_options.max_message_bytes = config.max_message_bytes;
  api_options.public_url =
      config.public_url.empty() ? "http://" + config.listen : config.public_url;
  api_options.portal.links_per_email = config.portal_links_per_email;
  api_options.portal.links_per_address = config.portal_links_per_address;
  api_options.portal.contacts_per_email = config.portal_contacts_per_email;
  api_options.portal.contacts_per_address = config.portal_contacts_per_address;
  api_options.portal.max_contact_message_bytes = config.portal_contact_max_bytes;
  api_options.sla = sla;
  api_options.digest_time_zone = config.digest_time_zone;
  mail::IntakeOptions intake_options;
  intake_options.message_id_domain = config.mail_domain;
  intake_options.subject_tag_prefix = config.mail_subject_tag;
  intake_options.max_attachment_bytes = config.max_attachment_bytes;
  intake_options.max_body_bytes = config.max_message_bytes;
  intake_options.auto_ack = config.mail_auto_ack;
  intake_options.is_chase = [](std::string_view text, std::string_view language) {
    return engine::DetectChase(text, language).is_chase;
  };
  intake_options.auto_limit = static_cast<int>(config.mail_auto_limit);
  intake_options.auto_window_ms = static_cast<int64_t>(config.mail_auto_window_seconds) * 1000;
  mail::MailIntake intake(*store, clock, intake_options);
  mail::SenderOptions sender_options;
  sender_options.smtp_url = config.smtp_url;
  sender_options.starttls = config.smtp_starttls;
  sender_options.username = config.smtp_user;
  sender_options.ca_file = config.smtp_ca_file;
  if (!config.smtp_password_file.empty()) {
    SF_ASSIGN_OR_RETURN(sender_options.password,
                        ReadSecretFile(config.smtp_password_file, "smtp_password_file"));
  }
  sender_options.from_address =
      config.smtp_from.empty() ? "support@" + config.mail_domain : config.smtp_from;
  sender_options.from_name = config.smtp_from_name;
  sender_options.message_id_domain = config.mail_domain;
  sender_options.subject_tag_prefix = config.mail_subject_tag;
  sender_options.retry_base_ms = static_cast<int64_t>(config.smtp_retry_seconds) * 1000;
  mail::MailSender sender(*store, clock, sender_options);
  if (config.smtp_url.empty()) {
    Log(LogLevel::kWarn, "smtp_url is not set: agent replies are queued, not emailed");
  }
  sender.Start();
  // Test-only (docs/mail.md): read once, here; an unknown value refuses to start.
  const char* fault_env = std::getenv("STEADFAST_FAULT");
  SF_ASSIGN_OR_RETURN(mail::ImapFault fault,
                      mail::ParseImapFault(fault_env != nullptr ? fault_env : ""));
  if (fault != mail::ImapFault::kNone) {
    Log(LogLevel::kWarn, "STEADFAST_FAULT is set: this server will crash on purpose (test only)",
        {{"fault", fault_env}});
  }
  mail::MailboxPollers pollers;
  SF_RETURN_IF_ERROR(AddMailboxPollers(config, fault, intake, clock, pollers));
  http::LiveHub live(*store, clock);
  SF_RETURN_IF_ERROR(live.Start());
  http::Api api(*store, auth, clock, api_options, &intake, &pollers, &live);
  std::optional<http::StaticFiles> web;
  if (!config.web_root.empty()) {
    SF_ASSIGN_OR_RETURN(web, http::StaticFiles::Load(config.web_root));
    Log(LogLevel::kInfo, "serving the web app",
        {{"root", config.web_root}, {"files", std::to_string(web->file_count())}});
  }
  engine::EngineOptions engine_options;
  engine_options.promise_reminder_lead_ms =
      static_cast<int64_t>(config.promise_reminder_minutes) * 60 * 1000;
  engine_options.silence_after_ms = sla->silence_after_ms;
  engine_options.sla = sla;
  engine_options.offer_after_ms = static_cast<int64_t>(config.offer_after_minutes) * 60 * 1000;
  engine_options.offer_expires_ms = static_cast<int64_t>(config.offer_expires_minutes) * 60 * 1000;
  engine_options.offer_cap = static_cast<int>(std::min<size_t>(config.offer_cap, 1 << 20));
  engine_options.followup_after_ms = static_cast<int64_t>(config.followup_after_seconds) * 1000;
  engine_options.close_after_ms = static_cast<int64_t>(config.close_after_seconds) * 1000;
  engine_options.public_url =
      config.public_url.empty() ? "http://" + config.listen : config.public_url;
  engine_options.digest =
      engine::DigestOptions{config.digest_enabled, static_cast<int>(config.digest_hour),
                            config.digest_time_zone, engine_options.public_url};
  engine::Engine engine(*store, clock, engine_options);

  http::ServerOptions server_options;
  server_options.host = host_port.first;
  server_options.port = host_port.second;
  server_options.io_threads = config.io_threads;
  server_options.worker_threads = config.worker_threads;
  server_options.max_body_bytes = config.max_body_bytes;
  http::Server server(server_options, [&api, &web, &live](const http::Request& r) {
    if (web && http::StaticFiles::Handles(r)) return web->Serve(r);
    http::Response response = api.Handle(r);
    // A write may have committed events: streams hear of them now, not at the next poll.
    if (r.method != "GET" && r.method != "HEAD") live.Wake();
    return response;
  });
  SF_RETURN_IF_ERROR(server.Start());
  const std::string addr = host_port.first + ":" + std::to_string(server.port());
  Log(LogLevel::kInfo, "listening", {{"addr", addr}, {"data", o.data_dir}});
  // Tests and scripts read this line to learn the port when --listen asked for port 0.
  std::printf("listening on http://%s\n", addr.c_str());
  std::fflush(stdout);
  pollers.Start();
  engine.Start();

  int sig = 0;
  sigwait(&stop_signals, &sig);
  Log(LogLevel::kInfo, "stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  server.Stop();  // Finishes in-flight requests; their writes have committed before they answer.
  live.Stop();
  pollers.Stop();  // A message being taken in finishes (and is flagged) or stays unflagged.
  engine.Stop();
  sender.Stop();
  const auto stats = store->writer_stats();
  Log(LogLevel::kInfo, "writer",
      {{"groups", std::to_string(stats.groups)},
       {"units", std::to_string(stats.units)},
       {"busy_ms", std::to_string(stats.busy_micros / 1000)},
       {"commit_ms", std::to_string(stats.commit_micros / 1000)},
       {"index_ms", std::to_string(stats.index_micros / 1000)},
       {"syncs", std::to_string(stats.syncs)},
       {"sync_ms", std::to_string(stats.sync_micros / 1000)}});
  store.reset();  // Drains the writer.
  Log(LogLevel::kInfo, "stopped");
  return Status::Ok();
}

Status RunUserAdd(const UserAddOptions& o) {
  SF_RETURN_IF_ERROR(InitCrypto());
  const std::string email = AsciiLower(Trim(o.email));
  if (!LooksLikeEmail(email)) {
    return Status::InvalidArgument("--email", "'" + o.email + "' is not an email");
  }
  if (Trim(o.name).empty()) return Status::InvalidArgument("--name", "is required");
  auto role = domain::ParseRole(o.role);
  if (!role) {
    return Status::InvalidArgument(
        "--role", "'" + o.role + "' is not one of " + std::string(domain::AllowedRoles()));
  }
  std::string hash;
  std::optional<std::string> password;
  if (o.password_file) {
    SF_ASSIGN_OR_RETURN(password, ReadSecretFile(*o.password_file, "--password-file"));
  } else if (const char* env = std::getenv("STEADFAST_USER_PASSWORD"); env && *env) {
    password = env;
  }
  if (password) {
    SF_RETURN_IF_ERROR(CheckPassword(*password, "password"));
    SF_ASSIGN_OR_RETURN(hash, HashPassword(*password));
  }
  SystemClock clock;
  SF_ASSIGN_OR_RETURN(auto store, OpenStore(o.data_dir, clock, true));
  SF_ASSIGN_OR_RETURN(domain::Agent a,
                      store->CreateAgent({std::string(Trim(o.name)), email, *role, hash, {}}));
  std::printf("Added %s <%s> as %s (id %lld)%s\n", a.name.c_str(), a.email.c_str(),
              std::string(domain::Name(a.role)).c_str(), static_cast<long long>(a.id),
              hash.empty() ? "; no password: sign-in disabled until one is set" : "");
  return Status::Ok();
}

Status RunTokenCreate(const TokenCreateOptions& o) {
  SF_RETURN_IF_ERROR(InitCrypto());
  if (o.agent_email.has_value() == o.customer_email.has_value()) {
    return Status::InvalidArgument("--agent", "give exactly one of --agent or --customer");
  }
  SystemClock clock;
  SF_ASSIGN_OR_RETURN(auto store, OpenStore(o.data_dir, clock, true));
  http::Authenticator auth(*store, clock, {});
  std::string secret;
  if (o.agent_email) {
    auto agent = store->FindAgentByEmail(AsciiLower(*o.agent_email));
    if (!agent.ok()) return Status::InvalidArgument("--agent", agent.status().message());
    SF_ASSIGN_OR_RETURN(secret,
                        auth.CreateApiToken(domain::Actor::Kind::kAgent, agent->agent.id, o.label));
  } else {
    auto customer = store->FindCustomerByEmail(AsciiLower(*o.customer_email));
    if (!customer.ok()) return Status::InvalidArgument("--customer", customer.status().message());
    SF_ASSIGN_OR_RETURN(secret,
                        auth.CreateApiToken(domain::Actor::Kind::kCustomer, customer->id, o.label));
  }
  std::printf("%s\n", secret.c_str());
  return Status::Ok();
}

Status RunSeed(const SeedCommandOptions& o) {
  SF_RETURN_IF_ERROR(InitCrypto());
  if (o.tickets <= 0 || o.tickets > 100'000'000) {
    return Status::InvalidArgument("--tickets", "must be between 1 and 100000000");
  }
  SF_RETURN_IF_ERROR(EnsureDirectory(o.data_dir));
  SystemClock clock;
  SF_ASSIGN_OR_RETURN(auto store, OpenStore(o.data_dir, clock, false));
  SeedOptions options;
  options.tickets = o.tickets;
  options.seed = o.seed;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  options.progress = [&](int64_t done) {
    if (done % 50000 == 0 || done == o.tickets) {
      std::printf("seed: %lld tickets, %.1f s\n", static_cast<long long>(done), elapsed());
      std::fflush(stdout);
    }
  };
  SF_RETURN_IF_ERROR(SeedDataset(*store, clock, options));
  std::printf("seed: done, %lld tickets in %.1f s (%.0f tickets/s)\n",
              static_cast<long long>(o.tickets), elapsed(), o.tickets / elapsed());
  return Status::Ok();
}

}  // namespace steadfast::app
