#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/message.h"

namespace steadfast::http {

// The built web app (web/dist), served from memory on the API's origin.
// - GET and HEAD of any path outside /api/: the file of that name under the root; a path without
//   a file extension that names no file gets index.html (the app routes it), or portal.html
//   under /portal/ (the customer portal, a page of its own).
// - Cache: files under /assets/ carry a content hash in their name, so they are cached for a year
//   (immutable); everything else (index.html) is revalidated by ETag every time.
// - Every HTML answer carries a Content-Security-Policy that allows only this origin's scripts
//   and styles: nothing an email contains can run, even if it got past the sanitizer.
class StaticFiles {
 public:
  // Reads every regular file under `root` (following no symlinks out of it). InvalidArgument
  // naming the root when it is missing or has no index.html.
  static Result<StaticFiles> Load(const std::string& root);

  // Whether `req` is for the web app rather than the API.
  static bool Handles(const Request& req);

  // The answer for `req`. REQUIRES: Handles(req).
  Response Serve(const Request& req) const;

  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string etag;
    std::string body;
  };
  std::map<std::string, File, std::less<>> files_;  // "/index.html" → file.
};

}  // namespace steadfast::http
