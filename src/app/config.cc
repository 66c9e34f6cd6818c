#include "app/config.h"

#include <toml++/toml.h>

#include <charconv>

#include "common/text.h"

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
  if (key == "smtp_from_name" || key == "smtp_user" || key == "smtp_password_file") {
    if (!IsSingleLine(value)) return Status::InvalidArgument(std::string(field), "one line only");
    (key == "smtp_from_name" ? c.smtp_from_name
     : key == "smtp_user"    ? c.smtp_user
                             : c.smtp_password_file) = value;
    return Status::Ok();
  }
  if (key == "smtp_retry_seconds") return SetSize(value, field, &c.smtp_retry_seconds);
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
