#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"

// The subcommands of `steadfast`. main.cc parses the command line (CLI11 stays there) and calls
// one of these. Each returns the Status to report; main maps it to a message and exit code.
namespace steadfast::app {

struct InitOptions {
  std::string data_dir;
  std::string admin_email = "admin@example.com";
  std::string admin_name = "Admin";
  std::optional<std::string> admin_password_file;  // Else STEADFAST_ADMIN_PASSWORD, else random.
  bool demo = false;                               // Add demo agents, customers and tickets.
};
// Creates the store and the first admin. Conflict if the data folder already has a store.
[[nodiscard]] Status RunInit(const InitOptions& options);

struct ServeOptions {
  std::string data_dir;
  std::optional<std::string> listen;
  std::optional<std::string> config_file;
};
// Serves until SIGTERM or SIGINT, then shuts down gracefully.
[[nodiscard]] Status RunServe(const ServeOptions& options);

struct UserAddOptions {
  std::string data_dir;
  std::string email;
  std::string name;
  std::string role = "agent";
  std::optional<std::string> password_file;  // Else STEADFAST_USER_PASSWORD; else no password.
};
[[nodiscard]] Status RunUserAdd(const UserAddOptions& options);

struct TokenCreateOptions {
  std::string data_dir;
  std::optional<std::string> agent_email;
  std::optional<std::string> customer_email;
  std::string label = "api";
};
// Prints a new API token for an agent or a customer (shown once; only its hash is stored).
[[nodiscard]] Status RunTokenCreate(const TokenCreateOptions& options);

struct SeedCommandOptions {
  std::string data_dir;
  int64_t tickets = 1000;
  uint64_t seed = 42;
};
// Adds a generated dataset (see seed.h) to the store in `data_dir`, creating the store if
// needed. Prints progress and the rate.
[[nodiscard]] Status RunSeed(const SeedCommandOptions& options);

// The database file inside a data folder.
std::string DatabasePath(const std::string& data_dir);

}  // namespace steadfast::app
