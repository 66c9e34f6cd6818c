#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "app/sla_config.h"
#include "common/text.h"
#include "engine/time_zone.h"

extern char** environ;

namespace steadfast::app {
namespace {

Status SetSize(const std::string& text, std::string_view field, size_t* out) {
  size_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v == 0) {
    return Status::InvalidArgument(std::string(field), "must be a positive integer");
  }
  *out = v;
  return Status::Ok();
}

Status SetInt(const std::string& text, std::string_view field, int* out) {
  size_t v = 0;
  SF_RETURN_IF_ERROR(SetSize(text, field, &v));
  if (v > 1024) return Status::InvalidArgument(std::string(field), "must be at most 1024");
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status SetBool(const std::string& text, std::string_view field, bool* out) {
  if (text == "true" || text == "1") {
    *out = true;
  } else if (text == "false" || text == "0") {
    *out = false;
  } else {
    return Status::InvalidArgument(std::string(field), "must be true or false");
  }
  return Status::Ok();
}

Status SetLevel(const std::string& text, std::string_view field, std::string* out) {
  if (text != "debug" && text != "info" && text != "warn" && text != "error") {
    return Status::InvalidArgument(std::string(field), "must be debug, info, warn or error");
  }
  *out = text;
  return Status::Ok();
}

// Applies one setting by its config-file key.
Status Apply(Config& c, const std::string& key, const std::string& value, std::string_view field) {
  if (key == "listen") {
    SF_RETURN_IF_ERROR(ParseListen(value, field).status());
    c.listen = value;
    return Status::Ok();
  }
  if (key == "max_body_bytes") return SetSize(value, field, &c.max_body_bytes);
  if (key == "max_attachment_bytes") return SetSize(value, field, &c.max_attachment_bytes);
  if (key == "max_message_bytes") return SetSize(value, field, &c.max_message_bytes);
  if (key == "io_threads") return SetInt(value, field, &c.io_threads);
  if (key == "worker_threads") return SetInt(value, field, &c.worker_threads);
  if (key == "read_connections") return SetInt(value, field, &c.read_connections);
  if (key == "secure_cookies") return SetBool(value, field, &c.secure_cookies);
  if (key == "log_level") return SetLevel(value, field, &c.log_level);
  if (key == "mail_domain") {
    if (value.empty() || value.size() > 253 ||
        value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
      return Status::InvalidArgument(std::string(field),
                                     "must be a lower-case domain name like help.example.com");
    }
    c.mail_domain = value;
    return Status::Ok();
  }
  if (key == "smtp_url") {
    if (!value.empty() && value.rfind("smtp://", 0) != 0 && value.rfind("smtps://", 0) != 0) {
      return Status::InvalidArgument(std::string(field), "must start with smtp:// or smtps://");
    }
    c.smtp_url = value;
    return Status::Ok();
  }
  if (key == "smtp_starttls") return SetBool(value, field, &c.smtp_starttls);
  if (key == "smtp_from") {
    if (!value.empty() && !LooksLikeEmail(value)) {
      return Status::InvalidArgument(std::string(field), "must be an email address");
    }
    c.smtp_from = value;
    return Status::Ok();
  }
  if (key == "smtp_from_name" || key == "smtp_user" || key == "smtp_password_file" ||
      key == "smtp_ca_file") {
    if (!IsSingleLine(value)) return Status::InvalidArgument(std::string(field), "one line only");
    (key == "smtp_from_name"       ? c.smtp_from_name
     : key == "smtp_user"          ? c.smtp_user
     : key == "smtp_password_file" ? c.smtp_password_file
                                   : c.smtp_ca_file) = value;
    return Status::Ok();
  }
  if (key == "smtp_retry_seconds") return SetSize(value, field, &c.smtp_retry_seconds);
  if (key == "promise_reminder_minutes") return SetSize(value, field, &c.promise_reminder_minutes);
  if (key == "silence_minutes_urgent") return SetSize(value, field, &c.silence_minutes_urgent);
  if (key == "silence_minutes_high") return SetSize(value, field, &c.silence_minutes_high);
  if (key == "silence_minutes_normal") return SetSize(value, field, &c.silence_minutes_normal);
  if (key == "silence_minutes_low") return SetSize(value, field, &c.silence_minutes_low);
  if (key == "offer_after_minutes") return SetSize(value, field, &c.offer_after_minutes);
  if (key == "offer_expires_minutes") return SetSize(value, field, &c.offer_expires_minutes);
  if (key == "offer_cap") return SetSize(value, field, &c.offer_cap);
  if (key == "followup_after_seconds") return SetSize(value, field, &c.followup_after_seconds);
  if (key == "close_after_seconds") return SetSize(value, field, &c.close_after_seconds);
  if (key == "portal_links_per_email") return SetInt(value, field, &c.portal_links_per_email);
  if (key == "portal_links_per_address") return SetInt(value, field, &c.portal_links_per_address);
  if (key == "portal_contacts_per_email") {
    return SetInt(value, field, &c.portal_contacts_per_email);
  }
  if (key == "portal_contacts_per_address") {
    return SetInt(value, field, &c.portal_contacts_per_address);
  }
  if (key == "portal_contact_max_bytes") {
    return SetSize(value, field, &c.portal_contact_max_bytes);
  }
  if (key == "digest_enabled") return SetBool(value, field, &c.digest_enabled);
  if (key == "digest_hour") {
    size_t hour = 0;
    const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), hour);
    if (ec != std::errc() || p != value.data() + value.size() || hour > 23) {
      return Status::InvalidArgument(std::string(field), "must be an hour, 0-23");
    }
    c.digest_hour = hour;
    return Status::Ok();
  }
  if (key == "digest_time_zone") {
    auto zone = engine::TimeZone::Load(value);
    if (!zone.ok()) {
      return Status::InvalidArgument(std::string(field), "is not a known IANA time zone");
    }
    c.digest_time_zone = value;
    return Status::Ok();
  }
  if (key == "public_url") {
    if (value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
      return Status::InvalidArgument(std::string(field), "must start with http:// or https://");
    }
    if (!IsSingleLine(value) || value.find_first_of(" \"<>") != std::string::npos) {
      return Status::InvalidArgument(std::string(field), "must be a URL");
    }
    c.public_url = value.back() == '/' ? value.substr(0, value.size() - 1) : value;
    return Status::Ok();
  }
  if (key == "web_root") {
    if (!IsSingleLine(value)) return Status::InvalidArgument(std::string(field), "one line only");
    c.web_root = value;
    return Status::Ok();
  }
  if (key == "mail_auto_ack") return SetBool(value, field, &c.mail_auto_ack);
  if (key == "mail_auto_limit") return SetSize(value, field, &c.mail_auto_limit);
  if (key == "mail_auto_window_seconds") return SetSize(value, field, &c.mail_auto_window_seconds);
  if (key == "mail_subject_tag") {
    if (value.empty() || value.size() > 16 || value.find_first_of(" \t\r\n") != std::string::npos) {
      return Status::InvalidArgument(std::string(field), "must be 1-16 characters without spaces");
    }
    c.mail_subject_tag = value;
    return Status::Ok();
  }
  return Status::InvalidArgument(std::string(field), "is not a known setting");
}

// A folder name we can send as an IMAP quoted string: printable ASCII (names with other
// characters need modified UTF-7, which this version does not write).
Status CheckFolder(const std::string& value, const std::string& field) {
  const bool printable = std::all_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  if (value.empty() || value.size() > 200 || !printable || Trim(value).size() != value.size()) {
    return Status::InvalidArgument(field,
                                   "must be a folder name of 1-200 printable ASCII characters");
  }
  return Status::Ok();
}

// "imaps://host[:port]" or "imap://host[:port]", one trailing '/' allowed; no user, path or query
// (the folder and the credentials have keys of their own).
Status CheckImapUrl(const std::string& value, const std::string& field) {
  const Status bad = Status::InvalidArgument(
      field, "must be imaps://host[:port] or imap://host[:port] (no user, path or query)");
  std::string_view rest = value;
  if (rest.rfind("imaps://", 0) == 0) {
    rest.remove_prefix(8);
  } else if (rest.rfind("imap://", 0) == 0) {
    rest.remove_prefix(7);
  } else {
    return bad;
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ \t") != std::string_view::npos ||
      !IsSingleLine(rest)) {
    return bad;
  }
  const size_t bracket = rest.rfind(']');
  const size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view port = rest.substr(colon + 1);
    int p = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (colon == 0 || ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535) {
      return Status::InvalidArgument(field, "port must be 1-65535");
    }
  }
  return Status::Ok();
}

// One [[mailbox]] table into `m`; `at` is "mailbox[i]".
Status ParseMailbox(const toml::table& table, const std::string& at, MailboxConfig* m) {
  std::set<std::string> seen;
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    const std::string field = at + "." + k;
    seen.insert(k);
    auto text = [&](std::string* out) -> Status {
      const auto v = node.value_exact<std::string>();
      if (!v) return Status::InvalidArgument(field, "must be a string");
      if (!IsSingleLine(*v)) return Status::InvalidArgument(field, "one line only");
      *out = *v;
      return Status::Ok();
    };
    if (k == "name") {
      SF_RETURN_IF_ERROR(text(&m->name));
      const bool ok = std::all_of(m->name.begin(), m->name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      });
      if (m->name.empty() || m->name.size() > 64 || !ok) {
        return Status::InvalidArgument(field, "must be 1-64 letters, digits, '.', '_' or '-'");
      }
    } else if (k == "url") {
      SF_RETURN_IF_ERROR(text(&m->url));
      SF_RETURN_IF_ERROR(CheckImapUrl(m->url, field));
    } else if (k == "starttls") {
      const auto v = node.value_exact<bool>();
      if (!v) return Status::InvalidArgument(field, "must be true or false");
      m->starttls = *v;
    } else if (k == "user" || k == "password_file" || k == "ca_file") {
      std::string* out = k == "user"            ? &m->user
                         : k == "password_file" ? &m->password_file
                                                : &m->ca_file;
      SF_RETURN_IF_ERROR(text(out));
      if (out->empty()) return Status::InvalidArgument(field, "must not be empty");
    } else if (k == "folder" || k == "processed_folder") {
      std::string* out = k == "folder" ? &m->folder : &m->processed_folder;
      SF_RETURN_IF_ERROR(text(out));
      SF_RETURN_IF_ERROR(CheckFolder(*out, field));
    } else if (k == "poll_seconds") {
      const auto v = node.value_exact<int64_t>();
      if (!v || *v < 1 || *v > 86400) {
        return Status::InvalidArgument(field, "must be an integer from 1 to 86400");
      }
      m->poll_seconds = static_cast<int>(*v);
    } else {
      return Status::InvalidArgument(field, "is not a known setting");
    }
  }
  for (const char* required : {"name", "url", "user", "password_file"}) {
    if (seen.count(required) == 0) {
      return Status::InvalidArgument(at + "." + required, "is required");
    }
  }
  if (m->starttls && m->url.rfind("imaps://", 0) == 0) {
    return Status::InvalidArgument(at + ".starttls",
                                   "is for imap:// only (imaps:// is TLS from the start)");
  }
  if (!m->processed_folder.empty() &&
      (m->processed_folder == m->folder ||
       (EqualsIgnoreCase(m->folder, "INBOX") && EqualsIgnoreCase(m->processed_folder, "INBOX")))) {
    return Status::InvalidArgument(at + ".processed_folder", "must differ from folder");
  }
  return Status::Ok();
}

// The [[mailbox]] array of tables.
Status ParseMailboxes(const toml::node& node, std::vector<MailboxConfig>* out) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    return Status::InvalidArgument("mailbox", "must be an array of tables: [[mailbox]]");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < array->size(); ++i) {
    std::string at = "mailbox[";  // Appended: GCC 12 warns falsely on "..." + std::string.
    at += std::to_string(i) + "]";
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) return Status::InvalidArgument(at, "must be a table: [[mailbox]]");
    MailboxConfig m;
    SF_RETURN_IF_ERROR(ParseMailbox(*table, at, &m));
    if (!names.insert(m.name).second) {
      return Status::InvalidArgument(at + ".name", "'" + m.name + "' names two mailboxes");
    }
    out->push_back(std::move(m));
  }
  return Status::Ok();
}

}  // namespace

Result<std::pair<std::string, int>> ParseListen(const std::string& listen, std::string_view field) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument(std::string(field), "must be host:port");
  }
  const std::string port_text = listen.substr(colon + 1);
  int port = 0;
  const auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || p != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return Status::InvalidArgument(std::string(field), "port must be 0-65535");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, port);
}

Result<Config> LoadConfig(const std::optional<std::string>& path,
                          const std::map<std::string, std::string>& env) {
  Config c;
  if (path.has_value()) {
    toml::table table;
    try {
      table = toml::parse_file(*path);
    } catch (const toml::parse_error& e) {
      return Status::InvalidArgument(
          *path, std::string("is not valid TOML: ") + std::string(e.description()));
    }
    for (const auto& [key, node] : table) {
      const std::string k(key.str());
      if (k == "mailbox") {
        SF_RETURN_IF_ERROR(ParseMailboxes(node, &c.mailboxes));
        continue;
      }
      if (IsSlaTable(k)) {
        SF_RETURN_IF_ERROR(ParseSlaTable(k, node, &c.sla));
        continue;
      }
      std::string value;
      if (auto s = node.value<std::string>()) {
        value = *s;
      } else if (auto i = node.value<int64_t>()) {
        value = std::to_string(*i);
      } else if (auto b = node.value<bool>()) {
        value = *b ? "true" : "false";
      } else {
        return Status::InvalidArgument(k, "must be a string, integer or boolean");
      }
      SF_RETURN_IF_ERROR(Apply(c, k, value, k));
    }
  }
  for (const auto& [name, value] : env) {
    if (name.rfind("STEADFAST_", 0) != 0) continue;
    // Secrets read by `init` and `user add`, not settings of the server.
    if (name == "STEADFAST_ADMIN_PASSWORD" || name == "STEADFAST_USER_PASSWORD") continue;
    // Test-only fault injection and test clock, read once by `serve`; not settings.
    if (name == "STEADFAST_FAULT" || name == "STEADFAST_TEST_CLOCK_FILE") continue;
    std::string key = name.substr(10);
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    SF_RETURN_IF_ERROR(Apply(c, key, value, name));
  }
  return c;
}

std::map<std::string, std::string> SteadfastEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    const size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    if (kv.substr(0, 10) != "STEADFAST_") continue;
    out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

}  // namespace steadfast::app
