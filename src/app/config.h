#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/sla_clocks.h"

namespace steadfast::app {

// One [[mailbox]] table of the TOML file: an IMAP mailbox polled for new mail (docs/mail.md).
// Mailboxes come from the file only; no environment variable sets or changes them.
struct MailboxConfig {
  std::string name;              // Required, unique: letters, digits, '.', '_', '-'; up to 64.
  std::string url;               // Required: "imaps://host[:port]" or "imap://host[:port]".
  bool starttls = false;         // imap:// only: require STARTTLS.
  std::string user;              // Required.
  std::string password_file;     // Required: the password is read from it by `serve`.
  std::string folder = "INBOX";  // Printable ASCII.
  int poll_seconds = 60;         // 1..86400.
  // Empty: a message taken in is flagged \Seen. Otherwise it is flagged and moved here.
  std::string processed_folder;
  std::string ca_file;  // PEM certificates to trust instead of the system's (a private CA).
};

// Server settings: defaults, then the TOML file, then STEADFAST_* environment variables.
struct Config {
  std::string listen = "127.0.0.1:8080";           // STEADFAST_LISTEN
  size_t max_body_bytes = 25 * 1024 * 1024;        // STEADFAST_MAX_BODY_BYTES
  size_t max_attachment_bytes = 10 * 1024 * 1024;  // STEADFAST_MAX_ATTACHMENT_BYTES
  size_t max_message_bytes = 256 * 1024;           // STEADFAST_MAX_MESSAGE_BYTES
  int io_threads = 2;                              // STEADFAST_IO_THREADS
  int worker_threads = 32;                         // STEADFAST_WORKER_THREADS
  int read_connections = 4;                        // STEADFAST_READ_CONNECTIONS
  bool secure_cookies = false;                     // STEADFAST_SECURE_COOKIES
  std::string log_level = "info";                  // STEADFAST_LOG_LEVEL
  // The domain of the Message-IDs on our outgoing mail; replies carrying them thread.
  std::string mail_domain = "steadfast.invalid";  // STEADFAST_MAIL_DOMAIN
  std::string mail_subject_tag = "[#";            // STEADFAST_MAIL_SUBJECT_TAG: "[#123]"
  // Outgoing mail (agent replies). Empty smtp_url: replies stay queued until it is set.
  std::string smtp_url;                    // STEADFAST_SMTP_URL: smtp://host:25, smtps://host:465
  bool smtp_starttls = false;              // STEADFAST_SMTP_STARTTLS
  std::string smtp_from;                   // STEADFAST_SMTP_FROM: support@help.example.com
  std::string smtp_from_name = "Support";  // STEADFAST_SMTP_FROM_NAME
  std::string smtp_user;                   // STEADFAST_SMTP_USER
  std::string smtp_password_file;          // STEADFAST_SMTP_PASSWORD_FILE
  std::string smtp_ca_file;  // STEADFAST_SMTP_CA_FILE: PEM certificates to trust (a private CA)
  size_t smtp_retry_seconds = 60;  // STEADFAST_SMTP_RETRY_SECONDS: first retry; doubles
  // Automatic mail (acknowledgements of new tickets). Never sent to automatic or bulk mail
  // (RFC 3834), and capped: at most `mail_auto_limit` per ticket and per address in each window.
  bool mail_auto_ack = true;              // STEADFAST_MAIL_AUTO_ACK
  size_t mail_auto_limit = 10;            // STEADFAST_MAIL_AUTO_LIMIT
  size_t mail_auto_window_seconds = 600;  // STEADFAST_MAIL_AUTO_WINDOW_SECONDS
  // Follow-through (docs/follow-through.md): remind a promise's owner this long before it is due;
  // raise silence when a customer has waited this long for word from us, per priority.
  size_t promise_reminder_minutes = 60;  // STEADFAST_PROMISE_REMINDER_MINUTES
  size_t silence_minutes_urgent = 60;    // STEADFAST_SILENCE_MINUTES_URGENT
  size_t silence_minutes_high = 240;     // STEADFAST_SILENCE_MINUTES_HIGH
  size_t silence_minutes_normal = 1440;  // STEADFAST_SILENCE_MINUTES_NORMAL
  size_t silence_minutes_low = 4320;     // STEADFAST_SILENCE_MINUTES_LOW
  // Nobody owns it: offer a new ticket nobody took after this long; re-offer after this long
  // unanswered; never to an agent with this many open tickets.
  size_t offer_after_minutes = 15;    // STEADFAST_OFFER_AFTER_MINUTES
  size_t offer_expires_minutes = 15;  // STEADFAST_OFFER_EXPIRES_MINUTES
  size_t offer_cap = 25;              // STEADFAST_OFFER_CAP
  // "Did it stay solved?": ask this long after solved/workaround (3 days); close this long after
  // asking (or after resolving with another outcome). Links point at public_url.
  size_t followup_after_seconds = 3 * 24 * 3600;  // STEADFAST_FOLLOWUP_AFTER_SECONDS
  size_t close_after_seconds = 7 * 24 * 3600;     // STEADFAST_CLOSE_AFTER_SECONDS
  std::string public_url;  // STEADFAST_PUBLIC_URL: https://help.example.com (default: listen)
  // The customer portal's public endpoints (docs/portal.md): sign-in links per 15 minutes and
  // contact forms per hour, per email address and per client address; the contact message's size.
  int portal_links_per_email = 3;           // STEADFAST_PORTAL_LINKS_PER_EMAIL
  int portal_links_per_address = 20;        // STEADFAST_PORTAL_LINKS_PER_ADDRESS
  int portal_contacts_per_email = 3;        // STEADFAST_PORTAL_CONTACTS_PER_EMAIL
  int portal_contacts_per_address = 20;     // STEADFAST_PORTAL_CONTACTS_PER_ADDRESS
  size_t portal_contact_max_bytes = 20480;  // STEADFAST_PORTAL_CONTACT_MAX_BYTES
  // The leads' daily digest (docs/follow-through.md): sent from this local hour (0-23), with
  // days counted in this IANA time zone.
  bool digest_enabled = true;            // STEADFAST_DIGEST_ENABLED
  size_t digest_hour = 8;                // STEADFAST_DIGEST_HOUR
  std::string digest_time_zone = "UTC";  // STEADFAST_DIGEST_TIME_ZONE
  // The built web app to serve on the same origin (web/dist); empty: the API only.
  std::string web_root;  // STEADFAST_WEB_ROOT
  // IMAP mailboxes to poll ([[mailbox]] tables; the file only).
  std::vector<MailboxConfig> mailboxes;
  // The business calendar, SLA policies and warning ([business_hours], [sla], [[sla_policy]];
  // the file only; see sla_config.h). Its silence thresholds are set by `serve` from
  // silence_minutes_* above. Default: 24/7 in UTC, no policies.
  engine::SlaSettings sla;
};

// Loads `path` (if given) over the defaults, then applies `env` (name → value) overrides.
// InvalidArgument naming the key (file; "mailbox[0].url" for the first [[mailbox]] table) or
// variable (environment) for anything malformed or unknown, so a typo is never silently ignored.
// STEADFAST_FAULT (test-only fault injection, read by `serve`) and the passwords `init` and
// `user add` read are not settings and are skipped.
Result<Config> LoadConfig(const std::optional<std::string>& path,
                          const std::map<std::string, std::string>& env);

// The STEADFAST_* variables of this process.
std::map<std::string, std::string> SteadfastEnvironment();

// Splits "host:port". InvalidArgument(field) if malformed.
Result<std::pair<std::string, int>> ParseListen(const std::string& listen, std::string_view field);

}  // namespace steadfast::app
