#pragma once

#include <string>

namespace steadfast::app {

struct MailgateOptions {
  std::string url;         // The server, e.g. http://127.0.0.1:8080
  std::string token_file;  // File holding an API token of the mail gateway (an admin's).
  int timeout_seconds = 60;
};

// `steadfast mailgate`: reads one message on stdin and hands it to the server. Returns the
// process exit status, per sysexits(3), for an MTA pipe:
//   0  (EX_OK)       the server confirmed the message is committed (or had it already);
//   65 (EX_DATAERR)  the message can never be accepted (the reason goes to stderr);
//   75 (EX_TEMPFAIL) anything temporary — server down, timeout, bad token — so the MTA keeps
//                    the message and retries.
int RunMailgate(const MailgateOptions& options);

}  // namespace steadfast::app
