// The Authenticator's portal sign-in on a fake clock: a link's token works once, until its
// time is up, and starts a customer session; only hashes of the secrets are stored.
#include "http/auth.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::http {
namespace {

using namespace std::chrono_literals;

class PortalSignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    storage::sqlite::SqliteOptions options;
    options.path = dir_.path() + "/steadfast.db";
    auto store = storage::sqlite::SqliteStore::Open(options, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    storage::NewCustomer c;
    c.name = "Pat";
    c.emails = {"pat@example.com"};
    auto customer = store_->CreateCustomer(c);
    ASSERT_TRUE(customer.ok());
    customer_ = customer->id;
    auth_ = std::make_unique<Authenticator>(*store_, clock_, AuthOptions{});
  }

  // Issues a link and returns the token its mail carried.
  std::string Issue() {
    std::string token;
    EXPECT_TRUE(
        auth_
            ->IssuePortalLink(
                customer_,
                [&](std::string_view t) {
                  token = std::string(t);
                  return storage::DirectMail{"pat@example.com", "Sign in", "link: " + token};
                })
            .ok());
    return token;
  }

  Request WithCookie(const std::string& set_cookie, std::string method = "GET") {
    Request r;
    r.method = std::move(method);
    r.path = "/api/v1/tickets";
    r.headers.emplace_back("cookie", set_cookie.substr(0, set_cookie.find(';')));
    return r;
  }

  testing::FakeClock clock_;
  testing::TempDir dir_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<Authenticator> auth_;
  domain::CustomerId customer_ = 0;
};

TEST_F(PortalSignInTest, TheTokenStartsACustomerSessionOnce) {
  const std::string token = Issue();
  ASSERT_GE(token.size(), 40u);
  clock_.Advance(14min + 59s);
  auto login = auth_->StartCustomerSession(token);
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->customer.id, customer_);
  EXPECT_NE(login->set_cookie.find("HttpOnly"), std::string::npos);

  // The cookie identifies the customer; writes need the CSRF token.
  auto who = auth_->Authenticate(WithCookie(login->set_cookie));
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_TRUE(who->is_customer());
  EXPECT_EQ(who->id, customer_);
  Request post = WithCookie(login->set_cookie, "POST");
  EXPECT_EQ(auth_->Authenticate(post).status().code(), StatusCode::kPermissionDenied);
  post.headers.emplace_back("x-csrf-token", login->csrf_token);
  EXPECT_TRUE(auth_->Authenticate(post).ok());

  // The link's token is stored only as its hash, and it is spent.
  EXPECT_EQ(store_->FindCredential(token).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(auth_->StartCustomerSession(token).status().code(), StatusCode::kNotFound);
}

TEST_F(PortalSignInTest, TheTokenDoesNotWorkOnceItsFifteenMinutesAreUp) {
  const std::string token = Issue();
  clock_.Advance(15min);
  EXPECT_EQ(auth_->StartCustomerSession(token).status().code(), StatusCode::kNotFound);
}

TEST_F(PortalSignInTest, EachLinkHasItsOwnToken) {
  const std::string first = Issue();
  const std::string second = Issue();
  EXPECT_NE(first, second);
  EXPECT_TRUE(auth_->StartCustomerSession(second).ok());
  EXPECT_TRUE(auth_->StartCustomerSession(first).ok());
  EXPECT_EQ(auth_->StartCustomerSession("not-a-token").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace steadfast::http
