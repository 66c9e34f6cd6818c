#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"

namespace steadfast::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; font-src 'self'; connect-src 'self'; "
    "frame-src 'self' about:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

std::string_view ContentType(std::string_view path) {
  static const std::map<std::string_view, std::string_view, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"}};
  const size_t dot = path.rfind('.');
  if (dot != std::string_view::npos) {
    auto it = kTypes.find(path.substr(dot));
    if (it != kTypes.end()) return it->second;
  }
  return "application/octet-stream";
}

bool HasExtension(std::string_view path) {
  const size_t slash = path.rfind('/');
  return path.find('.', slash == std::string_view::npos ? 0 : slash) != std::string_view::npos;
}

}  // namespace

Result<StaticFiles> StaticFiles::Load(const std::string& root) {
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec || !fs::is_directory(base)) {
    return Status::InvalidArgument("web_root", root + " is not a folder");
  }
  StaticFiles out;
  for (auto it = fs::recursive_directory_iterator(base, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->is_symlink()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream data;
    data << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return Status::InvalidArgument("web_root", "cannot read " + it->path().string());
    }
    const std::string name = "/" + it->path().lexically_relative(base).generic_string();
    File f;
    f.content_type = std::string(ContentType(name));
    f.body = data.str();
    f.etag = "\"" + Sha256Hex(f.body).substr(0, 32) + "\"";
    out.files_.emplace(name, std::move(f));
  }
  if (ec) return Status::InvalidArgument("web_root", "cannot list " + root + ": " + ec.message());
  if (out.files_.count("/index.html") == 0) {
    return Status::InvalidArgument("web_root", root + " has no index.html (run `make web`)");
  }
  return out;
}

bool StaticFiles::Handles(const Request& req) {
  return (req.method == "GET" || req.method == "HEAD") && req.path.rfind("/api/", 0) != 0 &&
         req.path != "/api";
}

Response StaticFiles::Serve(const Request& req) const {
  std::string_view path = req.path;
  // Names are looked up as given; nothing outside the loaded set can be reached.
  auto it = files_.find(path == "/" ? std::string_view("/index.html") : path);
  if (it == files_.end() && !HasExtension(path) && path.find("..") == std::string_view::npos) {
    // The customer portal is its own page (web/portal.html), so customers never load the
    // workspace's code; every other app route is the workspace.
    const bool portal = path == "/portal" || path.rfind("/portal/", 0) == 0;
    it = files_.find(portal ? "/portal.html" : "/index.html");
  }
  Response r;
  if (it == files_.end()) {
    r.status = 404;
    r.SetHeader("Content-Type", "text/plain; charset=utf-8");
    r.SetHeader("Cache-Control", "no-cache");
    r.body = "Not found\n";
    return r;
  }
  const File& f = it->second;
  r.SetHeader("Content-Type", f.content_type);
  r.SetHeader("ETag", f.etag);
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Referrer-Policy", "no-referrer");
  const bool hashed = it->first.rfind("/assets/", 0) == 0;
  r.SetHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  if (f.content_type.rfind("text/html", 0) == 0) {
    r.SetHeader("Content-Security-Policy", std::string(kCsp));
  }
  if (req.Header("if-none-match") == f.etag) {
    r.status = 304;
    return r;
  }
  if (req.method != "HEAD") r.body = f.body;
  return r;
}

}  // namespace steadfast::http
