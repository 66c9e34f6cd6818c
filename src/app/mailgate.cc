#include "app/mailgate.h"

#include <curl/curl.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "common/text.h"

namespace steadfast::app {
namespace {

constexpr int kExOk = 0;
constexpr int kExDataErr = 65;
constexpr int kExTempFail = 75;
constexpr size_t kMaxMessageBytes = 64 * 1024 * 1024;

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

int Fail(int code, const std::string& why) {
  std::fprintf(stderr, "steadfast mailgate: %s\n", why.c_str());
  return code;
}

}  // namespace

int RunMailgate(const MailgateOptions& o) {
  std::ifstream tf(o.token_file);
  if (!tf) return Fail(kExTempFail, "cannot read --token-file " + o.token_file);
  std::stringstream ts;
  ts << tf.rdbuf();
  const std::string token(Trim(ts.str()));
  if (token.empty() || !IsSingleLine(token)) {
    return Fail(kExTempFail, "--token-file " + o.token_file + " holds no token");
  }

  std::string message;
  char buf[65536];
  while (true) {
    const size_t n = std::fread(buf, 1, sizeof buf, stdin);
    message.append(buf, n);
    if (message.size() > kMaxMessageBytes) {
      return Fail(kExDataErr, "message is larger than 64 MiB");
    }
    if (n < sizeof buf) {
      if (std::ferror(stdin)) return Fail(kExTempFail, "error reading the message on stdin");
      break;
    }
  }
  if (message.empty()) return Fail(kExDataErr, "no message on stdin");

  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Fail(kExTempFail, "cannot start libcurl");
  std::string url = o.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/api/v1/mail/inbound";
  std::string response;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  headers = curl_slist_append(headers, "Content-Type: message/rfc822");
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(o.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  curl_global_cleanup();

  if (rc != CURLE_OK) {
    return Fail(kExTempFail, std::string("cannot reach the server: ") + curl_easy_strerror(rc));
  }
  if (status >= 200 && status < 300) return kExOk;
  const std::string detail = response.substr(0, 500);
  // The message itself is refused: retrying cannot help.
  if (status == 400 || status == 413 || status == 415 || status == 422) {
    return Fail(kExDataErr,
                "the server refused the message (" + std::to_string(status) + "): " + detail);
  }
  return Fail(kExTempFail, "the server answered " + std::to_string(status) + ": " + detail);
}

}  // namespace steadfast::app
