#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "testing/test_util.h"

namespace steadfast::http {
namespace {

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

Request Get(std::string path) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.target = path;
  return r;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("index.html", "<!doctype html><div id=app></div>");
    Write("assets/app-3f2a.js", "console.log(1)");
    Write("favicon.svg", "<svg/>");
  }
  void Write(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::path(dir_.path()) / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  StaticFiles Load() {
    auto files = StaticFiles::Load(dir_.path());
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    return std::move(files).value();
  }
  testing::TempDir dir_;
};

TEST_F(StaticFilesTest, HashedAssetsAreCachedForAYearAndTheAppIsRevalidated) {
  const StaticFiles files = Load();
  EXPECT_EQ(files.file_count(), 3u);
  const Response js = files.Serve(Get("/assets/app-3f2a.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(js, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");

  const Response index = files.Serve(Get("/"));
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  EXPECT_NE(HeaderOf(index, "Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);

  Request again = Get("/");
  again.headers.emplace_back("if-none-match", HeaderOf(index, "ETag"));
  const Response not_modified = files.Serve(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
}

TEST_F(StaticFilesTest, AppRoutesGetTheAppAndMissingFilesAre404) {
  const StaticFiles files = Load();
  EXPECT_EQ(files.Serve(Get("/tickets/42")).body, "<!doctype html><div id=app></div>");
  EXPECT_EQ(files.Serve(Get("/queues/mine")).status, 200);
  EXPECT_EQ(files.Serve(Get("/assets/missing.js")).status, 404);
  EXPECT_EQ(files.Serve(Get("/../../etc/passwd")).status, 404);
  EXPECT_EQ(files.Serve(Get("/assets/../../secret.txt")).status, 404);
}

TEST_F(StaticFilesTest, PortalRoutesGetThePortalPageNotTheWorkspace) {
  Write("portal.html", "<!doctype html><div id=portal></div>");
  const StaticFiles files = Load();
  for (const char* path : {"/portal", "/portal/", "/portal/sign-in", "/portal/tickets/42"}) {
    const Response r = files.Serve(Get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><div id=portal></div>") << path;
    EXPECT_NE(HeaderOf(r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos)
        << path;
  }
  // Only the /portal/ folder: a workspace route that merely starts with the word stays there.
  EXPECT_EQ(files.Serve(Get("/portals")).body, "<!doctype html><div id=app></div>");
  EXPECT_EQ(files.Serve(Get("/tickets/42")).body, "<!doctype html><div id=app></div>");
  EXPECT_EQ(files.Serve(Get("/portal/assets/missing.js")).status, 404);
}

TEST_F(StaticFilesTest, OnlyReadsOfNonApiPathsAreHandled) {
  EXPECT_TRUE(StaticFiles::Handles(Get("/")));
  EXPECT_TRUE(StaticFiles::Handles(Get("/tickets/1")));
  EXPECT_FALSE(StaticFiles::Handles(Get("/api/v1/tickets")));
  EXPECT_FALSE(StaticFiles::Handles(Get("/api")));
  Request post = Get("/");
  post.method = "POST";
  EXPECT_FALSE(StaticFiles::Handles(post));
}

TEST_F(StaticFilesTest, ARootWithoutTheAppIsRefusedClearly) {
  testing::TempDir empty;
  auto files = StaticFiles::Load(empty.path());
  ASSERT_FALSE(files.ok());
  EXPECT_NE(files.status().message().find("no index.html"), std::string::npos);
  EXPECT_FALSE(StaticFiles::Load(empty.path() + "/nope").ok());
}

}  // namespace
}  // namespace steadfast::http
