#include "mail/loop_guard.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/text.h"
#include "mail/parsed_mail.h"

namespace steadfast::mail {
namespace {

constexpr char kOurDomain[] = "support.example.com";

using Headers = std::vector<std::pair<std::string, std::string>>;

// A message as a person's mail client sends it; cases add what makes it automatic.
ParsedMail Human(std::string from = "alice@customer.example") {
  ParsedMail mail;
  mail.message_id = "CAH+x9Zq3kT1@mail.gmail.com";
  mail.from = MailAddress{"Alice Example", from};
  mail.to = {MailAddress{"Support", "help@example.com"}};
  mail.return_path = from;
  mail.subject = "Printer on floor 3 jams";
  mail.text = "Hello, the printer jams again.";
  mail.headers = {
      {"return-path", "<" + from + ">"},
      {"received", "from mail-wr1-f41.google.com by mx.example.com"},
      {"dkim-signature", "v=1; a=rsa-sha256; d=customer.example"},
      {"mime-version", "1.0"},
      {"from", "Alice Example <" + from + ">"},
      {"date", "Mon, 7 Jan 2030 16:30:00 +0100"},
      {"message-id", "<CAH+x9Zq3kT1@mail.gmail.com>"},
      {"subject", "Printer on floor 3 jams"},
      {"to", "Support <help@example.com>"},
      {"content-type", "text/plain; charset=\"UTF-8\""},
  };
  return mail;
}

ParsedMail With(ParsedMail mail, const Headers& extra) {
  for (const auto& h : extra) {
    mail.headers.push_back(h);
  }
  return mail;
}

ParsedMail From(std::string address) { return Human(std::move(address)); }

ParsedMail ReplyTo(std::string address) {
  ParsedMail mail = From("notifications@service.example");
  mail.reply_to = MailAddress{"", std::move(address)};
  return mail;
}

ParsedMail WithReturnPath(std::string address) {
  ParsedMail mail = Human();
  mail.return_path = std::move(address);
  return mail;
}

ParsedMail WithMessageId(std::string id) {
  ParsedMail mail = Human();
  mail.message_id = std::move(id);
  return mail;
}

ParsedMail OutlookHuman() {
  ParsedMail mail = From("bob@contoso.example");
  mail.message_id = "AM0PR07MB4129C5D1A2E3F4B5@AM0PR07MB4129.eurprd07.prod.outlook.com";
  mail.headers.push_back({"thread-topic", "VPN drops every hour"});
  mail.headers.push_back({"thread-index", "AQHZ1a2b3c4d5e6f7g8h9i0j=="});
  mail.headers.push_back({"x-ms-has-attach", ""});
  mail.headers.push_back({"x-ms-tnef-correlator", ""});
  mail.headers.push_back({"x-ms-exchange-organization-scl", "1"});
  mail.headers.push_back({"content-language", "en-US"});
  return mail;
}

ParsedMail Bounce() {
  ParsedMail mail = From("mailer-daemon@mx.customer.example");
  mail.null_return_path = true;
  mail.return_path.clear();
  mail.is_bounce = true;
  mail.subject = "Undelivered Mail Returned to Sender";
  mail.bounced_message_id = "ticket-12.msg-40.k3j4h5@support.example.com";
  mail.headers = {{"return-path", "<>"},
                  {"auto-submitted", "auto-replied"},
                  {"content-type", "multipart/report; report-type=delivery-status"}};
  return mail;
}

struct AutoReplyCase {
  std::string name;
  ParsedMail mail;
  bool allowed;
  std::string reason_contains;  // Must appear in the reason when not allowed.
};

// Failure messages name the case instead of dumping its bytes.
void PrintTo(const AutoReplyCase& c, std::ostream* os) { *os << c.name; }

std::vector<AutoReplyCase> AutoReplyCases() {
  return {
      // Mail from people: an acknowledgement is allowed.
      {"PlainGmailMessage", Human(), true, ""},
      {"AutoSubmittedNo", With(Human(), {{"auto-submitted", "no"}}), true, ""},
      {"AutoSubmittedNoUpperCaseWithParameter",
       With(Human(), {{"auto-submitted", " No ; comment=manual"}}), true, ""},
      {"PrecedenceNormal", With(Human(), {{"precedence", "normal"}}), true, ""},
      {"PrecedenceFirstClass", With(Human(), {{"precedence", "first-class"}}), true, ""},
      {"OutlookPersonWithExchangeHeaders", OutlookHuman(), true, ""},
      {"ThunderbirdPerson",
       With(From("carol@mailbox.example"),
            {{"user-agent", "Mozilla/5.0 Thunderbird/115.6.0"}, {"x-mozilla-draft-info", "x"}}),
       true, ""},
      {"EmptyAutoResponseSuppress", With(Human(), {{"x-auto-response-suppress", "  "}}), true, ""},
      {"ReplyToOurTicketMail",
       [] {
         ParsedMail mail = Human();
         mail.in_reply_to = {"ticket-12.msg-40.k3j4h5@support.example.com"};
         mail.references = {"ticket-12.msg-38.a1@support.example.com",
                            "ticket-12.msg-40.k3j4h5@support.example.com"};
         mail.subject = "Re: [#12] Printer on floor 3 jams";
         return mail;
       }(),
       true, ""},
      {"NoMessageId", WithMessageId(""), true, ""},
      {"LocalPartOnlyLooksLikeNoreply", From("noreen@customer.example"), true, ""},
      {"LocalPartPostmasters", From("postmasters.guild@customer.example"), true, ""},
      {"LocalPartMailer", From("mailer@customer.example"), true, ""},
      {"DomainNamedNoreply", From("dave@noreply.example"), true, ""},
      {"VerpReturnPath", WithReturnPath("bounces+srs=k2j3=customer.example@sendgrid.net"), true,
       ""},
      {"MessageIdOnSubdomainOfOurs", WithMessageId("abc123@mx.support.example.com"), true, ""},
      {"MessageIdOnLookalikeDomain", WithMessageId("abc123@evilsupport.example.com"), true, ""},
      {"MessageIdOurDomainAsPrefix", WithMessageId("abc123@support.example.com.evil.net"), true,
       ""},
      {"ListArchiveAloneIsNotAList", With(Human(), {{"list-archive", "<https://x.example>"}}), true,
       ""},

      // RFC 3834 Auto-Submitted.
      {"GmailVacationResponder",
       [] {
         ParsedMail mail = With(From("alice@gmail.com"), {{"auto-submitted", "auto-replied"}});
         mail.subject = "Out of office: Printer on floor 3 jams";
         return mail;
       }(),
       false, "Auto-Submitted: auto-replied"},
      {"AutoGeneratedNotification",
       With(From("jira@tracker.customer.example"), {{"auto-submitted", "auto-generated"}}), false,
       "Auto-Submitted: auto-generated"},
      {"SieveNotify", With(Human(), {{"auto-submitted", "auto-notified"}}), false,
       "Auto-Submitted: auto-notified"},
      {"AutoSubmittedWithParameters",
       With(Human(), {{"auto-submitted", "auto-replied; owner-email=\"alice@customer.example\""}}),
       false, "Auto-Submitted: auto-replied; owner-email="},
      {"AutoSubmittedMixedCase", With(Human(), {{"auto-submitted", "Auto-Replied"}}), false,
       "Auto-Submitted: Auto-Replied"},
      {"AutoSubmittedUnknownValue", With(Human(), {{"auto-submitted", "yes"}}), false,
       "Auto-Submitted: yes"},
      {"AutoSubmittedEmpty", With(Human(), {{"auto-submitted", ""}}), false, "Auto-Submitted"},
      {"AutoSubmittedSecondHeaderAutomatic",
       With(Human(), {{"auto-submitted", "no"}, {"auto-submitted", "auto-generated"}}), false,
       "Auto-Submitted: auto-generated"},
      {"HeaderNameNotLowerCased", With(Human(), {{"Auto-Submitted", "auto-replied"}}), false,
       "Auto-Submitted: auto-replied"},
      {"OtherHelpDeskAcknowledgement",
       [] {
         ParsedMail mail = With(From("support@vendor.example"),
                                {{"auto-submitted", "auto-replied"}, {"x-loop", "vendor"}});
         mail.subject = "[Request #88123] Received: Printer on floor 3 jams";
         return mail;
       }(),
       false, "Auto-Submitted: auto-replied"},

      // Microsoft: Outlook and Exchange.
      {"OutlookOutOfOffice",
       [] {
         ParsedMail mail = With(OutlookHuman(), {{"x-auto-response-suppress", "All"},
                                                 {"x-ms-exchange-inbox-rules-loop", "bob@x"}});
         mail.subject = "Automatic reply: Printer on floor 3 jams";
         return mail;
       }(),
       false, "X-Auto-Response-Suppress: All"},
      {"ExchangeOofWithAutoSubmitted",
       With(OutlookHuman(),
            {{"x-auto-response-suppress", "All"}, {"auto-submitted", "auto-generated"}}),
       false, "Auto-Submitted: auto-generated"},
      {"SuppressList", With(Human(), {{"x-auto-response-suppress", "DR, OOF, AutoReply"}}), false,
       "X-Auto-Response-Suppress: DR, OOF, AutoReply"},
      {"SuppressOofOnly", With(Human(), {{"x-auto-response-suppress", "OOF"}}), false,
       "X-Auto-Response-Suppress: OOF"},

      // Precedence.
      {"PrecedenceBulk", With(Human(), {{"precedence", "bulk"}}), false, "Precedence: bulk"},
      {"PrecedenceJunk", With(Human(), {{"precedence", "junk"}}), false, "Precedence: junk"},
      {"PrecedenceList", With(Human(), {{"precedence", "list"}}), false, "Precedence: list"},
      {"PrecedenceUpperCaseWithComment", With(Human(), {{"precedence", " BULK (newsletter)"}}),
       false, "Precedence: BULK (newsletter)"},
      {"PrecedenceAutoReply", With(Human(), {{"precedence", "auto_reply"}}), false,
       "Precedence: auto_reply"},
      {"XPrecedenceBulk", With(Human(), {{"x-precedence", "bulk"}}), false, "X-Precedence: bulk"},

      // Mailing lists and newsletters.
      {"MailmanDigest",
       [] {
         ParsedMail mail = With(
             From("users-request@lists.example.org"),
             {{"list-id", "Users of Example <users.lists.example.org>"},
              {"list-unsubscribe", "<mailto:users-request@lists.example.org?subject=unsubscribe>"},
              {"x-mailman-version", "2.1.39"}});
         mail.subject = "Users Digest, Vol 12, Issue 4";
         return mail;
       }(),
       false, "List-Id: Users of Example <users.lists.example.org>"},
      {"ListDigestWithPrecedence",
       With(Human(), {{"precedence", "list"}, {"list-id", "<users.lists.example.org>"}}), false,
       "Precedence: list"},
      {"NewsletterListUnsubscribe",
       With(From("news@shop.example"),
            {{"list-unsubscribe", "<https://shop.example/u/abc>, <mailto:u@shop.example>"},
             {"list-unsubscribe-post", "List-Unsubscribe=One-Click"}}),
       false, "List-Unsubscribe: <https://shop.example/u/abc>"},

      // Bounces and programs.
      {"DeliveryStatusNotification", Bounce(), false, "bounce"},
      {"NullReturnPath",
       [] {
         ParsedMail mail = Human();
         mail.null_return_path = true;
         mail.return_path.clear();
         return mail;
       }(),
       false, "null return path"},
      {"EmptyFrom", From(""), false, "From: empty"},
      {"MailerDaemonNotRecognizedAsBounce", From("mailer-daemon@mx.customer.example"), false,
       "From: mailer-daemon@mx.customer.example"},
      {"MailerDaemonUpperCase", From("MAILER-DAEMON@mx.customer.example"), false,
       "From: MAILER-DAEMON@mx.customer.example"},
      {"Postmaster", From("postmaster@customer.example"), false, "From: postmaster@"},
      {"NoReply", From("noreply@github.com"), false, "From: noreply@github.com"},
      {"NoDashReply", From("no-reply@accounts.google.com"), false, "From: no-reply@"},
      {"NoUnderscoreReply", From("no_reply@bank.example"), false, "From: no_reply@"},
      {"NoReplyMixedCase", From("NoReply@Service.example"), false, "From: NoReply@"},
      {"DoNotReply", From("donotreply@bank.example"), false, "From: donotreply@"},
      {"DoDashNotDashReply", From("do-not-reply@bank.example"), false, "From: do-not-reply@"},
      {"DoDotNotDotReply", From("do.not.reply@bank.example"), false, "From: do.not.reply@"},
      {"NoReplyWithSuffix", From("no-reply-aws@amazon.example"), false, "From: no-reply-aws@"},
      {"NoReplyPlusTag", From("noreply+k2j3@service.example"), false, "From: noreply+k2j3@"},
      {"ReplyToNoReply", ReplyTo("no-reply@service.example"), false,
       "Reply-To: no-reply@service.example"},
      {"ReturnPathMailerDaemon", WithReturnPath("MAILER-DAEMON@mx.customer.example"), false,
       "Return-Path: MAILER-DAEMON@"},

      // Vendor autoresponder headers.
      {"XAutoreplyYes", With(Human(), {{"x-autoreply", "yes"}}), false, "X-Autoreply: yes"},
      {"XAutorespond", With(Human(), {{"x-autorespond", "Thanks for your mail"}}), false,
       "X-Autorespond: Thanks for your mail"},
      {"XAutoresponder", With(Human(), {{"x-autoresponder", "1"}}), false, "X-Autoresponder"},
      {"XAutoReplyFrom", With(Human(), {{"x-autoreply-from", "alice@customer.example"}}), false,
       "X-AutoReply-From: alice@customer.example"},
      {"XMailAutoreply", With(Human(), {{"x-mail-autoreply", "alice@customer.example"}}), false,
       "X-Mail-Autoreply"},
      {"FirstClassMachineGenerated", With(Human(), {{"x-fc-machinegenerated", "true"}}), false,
       "X-FC-MachineGenerated: true"},
      {"MailtraqAutoresponder", With(Human(), {{"x-post-messageclass", "9; Autoresponder"}}), false,
       "X-POST-MessageClass: 9; Autoresponder"},
      {"QmailAutoresponder", With(Human(), {{"delivered-to", "Autoresponder"}}), false,
       "Delivered-To: Autoresponder"},
      {"CommuniGateAutogenerated", With(Human(), {{"x-autogenerated", "Reply"}}), false,
       "X-Autogenerated: Reply"},

      // Our own mail coming back.
      {"SteadfastLoopHeader", With(Human(), {{"x-steadfast-loop", "support.example.com"}}), false,
       "X-Steadfast-Loop: support.example.com"},
      {"SteadfastLoopHeaderEmptyValue", With(Human(), {{"x-steadfast-loop", ""}}), false,
       "X-Steadfast-Loop"},
      {"OwnMessageIdComingBack", WithMessageId("ticket-12.msg-40.k3j4h5@support.example.com"),
       false, "Message-ID ticket-12.msg-40.k3j4h5@support.example.com"},
      {"OwnMessageIdDomainInOtherCase", WithMessageId("ticket-12.msg-41.zz@Support.EXAMPLE.com"),
       false, "our own mail"},
      {"OwnMessageIdAnyLocalPart", WithMessageId("notification-7@support.example.com"), false,
       "our own mail"},
  };
}

class CheckAutoReplyTest : public testing::TestWithParam<AutoReplyCase> {};

TEST_P(CheckAutoReplyTest, Verdict) {
  const AutoReplyCase& c = GetParam();
  const AutoReplyVerdict verdict = CheckAutoReply(c.mail, kOurDomain);
  EXPECT_EQ(verdict.allowed, c.allowed) << verdict.reason;
  if (c.allowed) {
    EXPECT_EQ(verdict.reason, "");
  } else {
    EXPECT_NE(verdict.reason.find(c.reason_contains), std::string::npos)
        << "reason: " << verdict.reason << "\nexpected to contain: " << c.reason_contains;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CheckAutoReplyTest, testing::ValuesIn(AutoReplyCases()),
                         [](const testing::TestParamInfo<AutoReplyCase>& info) {
                           return info.param.name;
                         });

TEST(CheckAutoReplyTableTest, HasEnoughCasesOfBothKinds) {
  int allowed = 0;
  int denied = 0;
  for (const AutoReplyCase& c : AutoReplyCases()) {
    (c.allowed ? allowed : denied)++;
  }
  EXPECT_GE(allowed + denied, 40);
  EXPECT_GE(allowed, 15);
  EXPECT_GE(denied, 25);
}

TEST(CheckAutoReplyReasonTest, ReasonIsOneShortLine) {
  const ParsedMail mail = With(
      Human(), {{"auto-submitted", "auto-replied\r\nX-Injected: 1\x01" + std::string(500, 'x')}});
  const AutoReplyVerdict verdict = CheckAutoReply(mail, kOurDomain);
  ASSERT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.reason.find_first_of("\r\n\x01"), std::string::npos) << verdict.reason;
  EXPECT_LT(verdict.reason.size(), 260u);
}

TEST(CheckAutoReplyReasonTest, LongUtf8ValueIsCutOnACharacterBoundary) {
  std::string accents;
  for (int i = 0; i < 150; ++i) {
    accents += "\xC3\xA9";  // é
  }
  // Both parities of where the 200-byte cut falls inside a two-byte character.
  for (const std::string lead : {"bulk ", "bulk  "}) {
    const AutoReplyVerdict verdict =
        CheckAutoReply(With(Human(), {{"precedence", lead + accents}}), kOurDomain);
    ASSERT_FALSE(verdict.allowed);
    EXPECT_TRUE(IsValidUtf8(verdict.reason)) << verdict.reason;
    EXPECT_TRUE(verdict.reason.ends_with("\xC3\xA9...")) << verdict.reason;
    EXPECT_LE(verdict.reason.size(), std::string("Precedence: ").size() + 200 + 3);
    EXPECT_GE(verdict.reason.size(), std::string("Precedence: ").size() + 199 + 3);
  }
}

TEST(CheckAutoReplyReasonTest, EmptyOurDomainMatchesNoMessageId) {
  EXPECT_TRUE(CheckAutoReply(WithMessageId("abc@"), "").allowed);
  EXPECT_TRUE(CheckAutoReply(WithMessageId("ticket-1.msg-1.x@support.example.com"), "").allowed);
}

// --- FindThreadHints ---

std::string Own(int64_t ticket, int64_t message) {
  return MakeMessageId(ticket, message, "r4nd0m", kOurDomain);
}

ParsedMail Reply(std::vector<std::string> in_reply_to, std::vector<std::string> references,
                 std::string subject = "Re: Printer") {
  ParsedMail mail = Human();
  mail.in_reply_to = std::move(in_reply_to);
  mail.references = std::move(references);
  mail.subject = std::move(subject);
  return mail;
}

std::vector<int64_t> Ids(const ParsedMail& mail) {
  return FindThreadHints(mail, kOurDomain).ticket_ids_from_headers;
}

std::optional<int64_t> SubjectNumber(std::string subject, std::string_view prefix = "[#") {
  ParsedMail mail = Human();
  mail.subject = std::move(subject);
  return FindThreadHints(mail, kOurDomain, prefix).ticket_number_from_subject;
}

using IdList = std::vector<int64_t>;

TEST(FindThreadHintsTest, OwnIdInInReplyTo) {
  EXPECT_EQ(Ids(Reply({Own(123, 456)}, {})), IdList{123});
}

TEST(FindThreadHintsTest, ReferencesMostRecentFirst) {
  EXPECT_EQ(Ids(Reply({}, {Own(1, 10), Own(2, 20), Own(3, 30)})), (IdList{3, 2, 1}));
}

TEST(FindThreadHintsTest, InReplyToBeforeReferencesAndDeduplicated) {
  EXPECT_EQ(Ids(Reply({Own(5, 51)}, {Own(4, 40), Own(5, 50), Own(4, 41), Own(5, 51)})),
            (IdList{5, 4}));
}

TEST(FindThreadHintsTest, AngleBracketsAndSpacesTolerated) {
  EXPECT_EQ(Ids(Reply({" <" + Own(8, 1) + "> "}, {})), IdList{8});
}

TEST(FindThreadHintsTest, ForeignIdsIgnored) {
  EXPECT_EQ(Ids(Reply({"CAH+x9Zq3kT1@mail.gmail.com"},
                      {"AM0PR07MB4129C5D1@AM0PR07MB4129.eurprd07.prod.outlook.com",
                       "5f2a.1234@customer.example", Own(9, 3)})),
            IdList{9});
}

TEST(FindThreadHintsTest, OurFormatOnOtherDomainsIgnored) {
  EXPECT_TRUE(Ids(Reply({MakeMessageId(1, 1, "x", "helpdesk.other.example"),
                         MakeMessageId(2, 1, "x", "evilsupport.example.com"),
                         MakeMessageId(3, 1, "x", "support.example.com.evil.net"),
                         MakeMessageId(4, 1, "x", "mx.support.example.com")},
                        {"ticket-5.msg-1.x", "ticket-6.msg-1.x@"}))
                  .empty());
}

TEST(FindThreadHintsTest, DomainComparedCaseInsensitively) {
  EXPECT_EQ(Ids(Reply({"ticket-77.msg-1.abc@SUPPORT.Example.COM"}, {})), IdList{77});
}

TEST(FindThreadHintsTest, MalformedIdsIgnored) {
  const std::vector<std::string> malformed = {
      "ticket-.msg-1.x@support.example.com",
      "ticket-12a.msg-1.x@support.example.com",
      "ticket--12.msg-1.x@support.example.com",
      "ticket-+12.msg-1.x@support.example.com",
      "ticket- 12.msg-1.x@support.example.com",
      "ticket-0.msg-1.x@support.example.com",
      "ticket-12.msg-.x@support.example.com",
      "ticket-12.msg-1x.y@support.example.com",
      "ticket-12.msg-1@support.example.com",
      "ticket-12.msg-1.@support.example.com",
      "ticket-12msg-1.x@support.example.com",
      "ticket12.msg-1.x@support.example.com",
      "xticket-12.msg-1.x@support.example.com",
      "ticket-12.msg-1.x@x@support.example.com",
      "ticket-12.message-1.x@support.example.com",
      "ticket-1\xEF\xBC\x92.msg-1.x@support.example.com",
      "",
      "@support.example.com",
      "<>",
  };
  for (const std::string& id : malformed) {
    EXPECT_TRUE(Ids(Reply({id}, {id})).empty()) << id;
  }
}

TEST(FindThreadHintsTest, NumbersThatOverflowAreIgnored) {
  EXPECT_TRUE(Ids(Reply({"ticket-9223372036854775808.msg-1.x@support.example.com",
                         "ticket-99999999999999999999999999.msg-1.x@support.example.com",
                         "ticket-1.msg-9223372036854775808.x@support.example.com"},
                        {}))
                  .empty());
  EXPECT_EQ(Ids(Reply({"ticket-9223372036854775807.msg-1.x@support.example.com"}, {})),
            IdList{std::numeric_limits<int64_t>::max()});
}

TEST(FindThreadHintsTest, MalformedIdsDoNotHideGoodOnes) {
  EXPECT_EQ(Ids(Reply({"ticket-x.msg-1.x@support.example.com"},
                      {Own(3, 1), "ticket-99999999999999999999.msg-1.x@support.example.com"})),
            IdList{3});
}

TEST(FindThreadHintsTest, EmptyOurDomainFindsNothingInHeaders) {
  ParsedMail mail = Reply({"ticket-1.msg-1.x@"}, {Own(2, 2)});
  EXPECT_TRUE(FindThreadHints(mail, "").ticket_ids_from_headers.empty());
}

TEST(FindThreadHintsTest, NoHintsInAFreshMessage) {
  const ThreadHints hints = FindThreadHints(Human(), kOurDomain);
  EXPECT_TRUE(hints.ticket_ids_from_headers.empty());
  EXPECT_EQ(hints.ticket_number_from_subject, std::nullopt);
}

TEST(FindThreadHintsTest, SubjectTag) {
  EXPECT_EQ(SubjectNumber("Re: [#123] Printer"), 123);
  EXPECT_EQ(SubjectNumber("[#7]"), 7);
  EXPECT_EQ(SubjectNumber("AW: Ré : [#42] Imprimante en panne"), 42);
  EXPECT_EQ(SubjectNumber("Printer[#9]jams"), 9);
}

TEST(FindThreadHintsTest, SubjectTagMalformed) {
  for (const char* subject : {"[#12a] Printer", "[#] Printer", "[# 12] Printer", "[#12 Printer",
                              "[#-5] Printer", "[#+5] Printer", "#12] Printer", "[12] Printer",
                              "[#0] Printer", "[#\xEF\xBC\x91\xEF\xBC\x92] Printer", "", "[#"}) {
    EXPECT_EQ(SubjectNumber(subject), std::nullopt) << subject;
  }
}

TEST(FindThreadHintsTest, SubjectTagLastWellFormedOccurrenceWins) {
  EXPECT_EQ(SubjectNumber("Re: [#12] Fwd: [#34] Printer"), 34);
  EXPECT_EQ(SubjectNumber("Re: [#34] about [#12a] and [#]"), 34);
  EXPECT_EQ(SubjectNumber("[#[#12]"), 12);
  EXPECT_EQ(SubjectNumber("[#1][#2][#3]"), 3);
}

TEST(FindThreadHintsTest, SubjectTagDigitsLimit) {
  EXPECT_EQ(SubjectNumber("[#999999999999999999]"), 999999999999999999);  // 18 digits.
  EXPECT_EQ(SubjectNumber("[#1000000000000000000]"), std::nullopt);       // 19 digits.
  EXPECT_EQ(SubjectNumber("[#99999999999999999999999999999999]"), std::nullopt);
  EXPECT_EQ(SubjectNumber("[#5] then [#99999999999999999999999999999999]"), 5);
}

TEST(FindThreadHintsTest, SubjectTagConfigurablePrefix) {
  EXPECT_EQ(SubjectNumber("Re: [ACME-77] Printer", "[ACME-"), 77);
  EXPECT_EQ(SubjectNumber("Re: [acme-77] Printer", "[ACME-"), 77);
  EXPECT_EQ(SubjectNumber("Re: [#77] Printer", "[ACME-"), std::nullopt);
  EXPECT_EQ(SubjectNumber("Re: [ACME-77] Printer", "[#"), std::nullopt);
  EXPECT_EQ(SubjectNumber("Ticket#2024010112] x", "Ticket#"), 2024010112);
  EXPECT_EQ(SubjectNumber("Re: [#77] Printer", ""), std::nullopt);
}

TEST(FindThreadHintsTest, HeadersAndSubjectTogether) {
  const ThreadHints hints = FindThreadHints(
      Reply({Own(12, 40)}, {Own(12, 38), Own(12, 40)}, "Re: [#12] Printer"), kOurDomain);
  EXPECT_EQ(hints.ticket_ids_from_headers, IdList{12});
  EXPECT_EQ(hints.ticket_number_from_subject, 12);
}

// --- MakeMessageId ---

TEST(MakeMessageIdTest, Format) {
  EXPECT_EQ(MakeMessageId(42, 7, "a1b2c3", "support.example.com"),
            "ticket-42.msg-7.a1b2c3@support.example.com");
  EXPECT_EQ(MakeMessageId(1, 0, "x", "d"), "ticket-1.msg-0.x@d");
}

TEST(MakeMessageIdTest, RoundTrip) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const std::vector<std::pair<int64_t, int64_t>> ids = {
      {1, 1}, {42, 7}, {123456789, 0}, {max, max}};
  for (const auto& [ticket, message] : ids) {
    for (const char* random : {"x", "a1b2c3d4e5f6", "k.j-h_g+f=e", "Zm9v/YmFy"}) {
      const std::string id = MakeMessageId(ticket, message, random, kOurDomain);
      EXPECT_EQ(Ids(Reply({id}, {})), IdList{ticket}) << id;
      EXPECT_EQ(Ids(Reply({}, {"<" + id + ">"})), IdList{ticket}) << id;
      EXPECT_FALSE(CheckAutoReply(WithMessageId(id), kOurDomain).allowed) << id;
    }
  }
}

TEST(MakeMessageIdDeathTest, RejectsUnsafeParts) {
  EXPECT_DEATH(MakeMessageId(1, 1, "", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "a@b", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "a<b", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "a>b", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "a b", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "a\r\nBcc: x@y", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, std::string("a\0b", 3), "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "a\x7f", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "abc", ""), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "abc", "user@support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "abc", "support.example.com>"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, 1, "abc", "support.example.com\t"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(0, 1, "abc", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(-3, 1, "abc", "support.example.com"), "CHECK failed");
  EXPECT_DEATH(MakeMessageId(1, -1, "abc", "support.example.com"), "CHECK failed");
}

}  // namespace
}  // namespace steadfast::mail
