// `steadfast`: the one program. Parses the command line (the only file that includes CLI11)
// and runs a subcommand from commands.h.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string_view>

#include "app/commands.h"
#include "app/mailgate.h"

namespace {

int Report(const steadfast::Status& s) {
  if (s.ok()) return 0;
  std::fprintf(stderr, "steadfast: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace steadfast::app;  // NOLINT
  CLI::App app{"Steadfast: a help desk where every ticket has an owner and an honest outcome."};
  app.require_subcommand(1);

  InitOptions init;
  CLI::App* init_cmd = app.add_subcommand("init", "Create a data folder with its first admin");
  init_cmd->add_option("--data", init.data_dir, "Data folder")->required();
  init_cmd->add_option("--admin-email", init.admin_email, "Admin's email")->capture_default_str();
  init_cmd->add_option("--admin-name", init.admin_name, "Admin's name")->capture_default_str();
  init_cmd->add_option("--admin-password-file", init.admin_password_file,
                       "File holding the admin password (else STEADFAST_ADMIN_PASSWORD, else "
                       "one is generated and printed once)");
  init_cmd->add_flag("--demo", init.demo, "Add demo agents, customers and tickets");

  ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Serve the web UI and API");
  serve_cmd->add_option("--data", serve.data_dir, "Data folder")->required();
  serve_cmd->add_option("--listen", serve.listen, "host:port (default 127.0.0.1:8080)");
  serve_cmd->add_option("--config", serve.config_file, "TOML config file");

  CLI::App* user_cmd = app.add_subcommand("user", "Manage agents");
  user_cmd->require_subcommand(1);
  UserAddOptions user_add;
  CLI::App* user_add_cmd = user_cmd->add_subcommand("add", "Add an agent");
  user_add_cmd->add_option("--data", user_add.data_dir, "Data folder")->required();
  user_add_cmd->add_option("--email", user_add.email, "Email")->required();
  user_add_cmd->add_option("--name", user_add.name, "Name")->required();
  user_add_cmd->add_option("--role", user_add.role, "agent | lead | admin")->capture_default_str();
  user_add_cmd->add_option("--password-file", user_add.password_file,
                           "File holding the password (else STEADFAST_USER_PASSWORD)");

  CLI::App* token_cmd = app.add_subcommand("token", "Manage API tokens");
  token_cmd->require_subcommand(1);
  TokenCreateOptions token;
  CLI::App* token_create_cmd = token_cmd->add_subcommand("create", "Create an API token");
  token_create_cmd->add_option("--data", token.data_dir, "Data folder")->required();
  token_create_cmd->add_option("--agent", token.agent_email, "The agent's email");
  token_create_cmd->add_option("--customer", token.customer_email, "The customer's email");
  token_create_cmd->add_option("--label", token.label, "What the token is for")
      ->capture_default_str();

  SeedCommandOptions seed;
  CLI::App* seed_cmd =
      app.add_subcommand("seed", "Add a generated, realistic dataset (for benchmarks and trials)");
  seed_cmd->add_option("--data", seed.data_dir, "Data folder")->required();
  seed_cmd->add_option("--tickets", seed.tickets, "How many tickets")->capture_default_str();
  seed_cmd->add_option("--seed", seed.seed, "Random seed (same seed, same data)")
      ->capture_default_str();

  MailgateOptions mailgate;
  CLI::App* mailgate_cmd = app.add_subcommand(
      "mailgate", "Hand one email on stdin to the server (for an MTA pipe; exit 0, 65 or 75)");
  mailgate_cmd->add_option("--url", mailgate.url, "The server, e.g. http://127.0.0.1:8080")
      ->required();
  mailgate_cmd
      ->add_option("--token-file", mailgate.token_file, "File holding the mail gateway's API token")
      ->required();
  mailgate_cmd->add_option("--timeout", mailgate.timeout_seconds, "Seconds to wait for the server")
      ->capture_default_str();

  // An MTA pipe must get a sysexits code, never CLI11's usual 1..109: a bad command line is a
  // configuration problem, so the MTA keeps the message (75).
  const bool piping = argc > 1 && std::string_view(argv[1]) == "mailgate";
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return piping && code != 0 ? 75 : code;
  }

  if (*init_cmd) return Report(RunInit(init));
  if (*serve_cmd) return Report(RunServe(serve));
  if (*user_add_cmd) return Report(RunUserAdd(user_add));
  if (*token_create_cmd) return Report(RunTokenCreate(token));
  if (*seed_cmd) return Report(RunSeed(seed));
  if (*mailgate_cmd) return RunMailgate(mailgate);
  return 1;
}
