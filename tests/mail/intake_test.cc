// MailIntake over a real SQLite store: acknowledgements and the rate cap on automatic mail.
#include "mail/intake.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "engine/chase.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::mail {
namespace {

using namespace std::chrono_literals;

std::string Mail(const std::string& from, const std::string& subject, const std::string& id,
                 const std::string& extra = "") {
  return "From: " + from + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + id + ">\r\n" + extra +
         "\r\nHello, my order is late.\r\n";
}

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(IntakeOptions{}); }

  void Open(IntakeOptions options) {
    intake_.reset();
    store_.reset();
    options.message_id_domain = "help.example";
    options.is_chase = [](std::string_view text, std::string_view language) {
      return engine::DetectChase(text, language).is_chase;
    };
    storage::sqlite::SqliteOptions o;
    o.path = dir_.path() + "/steadfast.db";
    auto store = storage::sqlite::SqliteStore::Open(o, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    intake_ = std::make_unique<MailIntake>(*store_, clock_, options);
  }

  IntakeResult Ingest(const std::string& raw) {
    auto r = intake_->Ingest(raw);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IntakeResult{};
  }

  // The system's lines on a ticket: what the customer sees, and notes for the team.
  std::vector<domain::Message> SystemMessages(storage::TicketId id) {
    std::vector<domain::Message> out;
    const std::vector<domain::Message> all = store_->ListMessages(id, true).value();
    for (const domain::Message& m : all) {
      if (m.author.kind == domain::Actor::Kind::kSystem) out.push_back(m);
    }
    return out;
  }

  int Acknowledgements(const std::string& address) {
    return store_->CountAutomaticMail(0, address, Timestamp{0}).value().to_address;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<MailIntake> intake_;
};

TEST_F(IntakeTest, NewTicketIsAcknowledgedToTheSenderInTheSameWrite) {
  const IntakeResult r = Ingest(Mail("Ana <ana@shop.example>", "Late order", "a1@shop.example"));
  ASSERT_EQ(r.outcome, IntakeResult::Outcome::kNewTicket);
  const auto system = SystemMessages(r.ticket_id);
  ASSERT_EQ(system.size(), 1u);
  const int64_t number = store_->GetTicket(r.ticket_id).value().ticket.number;
  EXPECT_NE(system[0].body.find("opened ticket #" + std::to_string(number)), std::string::npos)
      << system[0].body;
  EXPECT_NE(system[0].body.find("Hello Ana,"), std::string::npos) << system[0].body;
  EXPECT_EQ(Acknowledgements("ana@shop.example"), 1);

  // The MTA delivers it again: nothing new, no second acknowledgement.
  EXPECT_EQ(Ingest(Mail("ana@shop.example", "Late order", "a1@shop.example")).outcome,
            IntakeResult::Outcome::kDuplicate);
  // Her reply threads to the ticket and is not acknowledged.
  const std::string tag = "Re: [#" + std::to_string(number) + "] Late order";
  EXPECT_EQ(Ingest(Mail("ana@shop.example", tag, "a2@shop.example")).outcome,
            IntakeResult::Outcome::kAppended);
  EXPECT_EQ(Acknowledgements("ana@shop.example"), 1);
}

TEST_F(IntakeTest, AReplyThatOnlyAsksForNewsIsCountedAsAChase) {
  const IntakeResult r = Ingest(Mail("ana@shop.example", "Late order", "c1@shop.example"));
  const std::string tag =
      "Re: [#" + std::to_string(store_->GetTicket(r.ticket_id).value().ticket.number) + "] x";
  const auto reply = [&](const std::string& id, const std::string& text) {
    return "From: ana@shop.example\r\nSubject: " + tag + "\r\nMessage-ID: <" + id + ">\r\n\r\n" +
           text + "\r\n";
  };
  Ingest(reply("c2@shop.example", "Hi, any update on this?\r\n\r\nThanks, Ana"));
  Ingest(reply("c3@shop.example", "Following up: the parcel arrived but the lid is cracked."));
  EXPECT_EQ(store_->GetTicket(r.ticket_id).value().ticket.chases, 1);
  const std::vector<domain::Message> all = store_->ListMessages(r.ticket_id, true).value();
  int chases = 0;
  for (const domain::Message& m : all) chases += m.chase ? 1 : 0;
  EXPECT_EQ(chases, 1);
}

TEST_F(IntakeTest, AutomaticMailIsNotAcknowledgedAndTheTicketSaysWhy) {
  const IntakeResult r = Ingest(Mail("robot@crm.example", "Re: your case", "r1@crm.example",
                                     "Auto-Submitted: auto-replied\r\n"));
  ASSERT_EQ(r.outcome, IntakeResult::Outcome::kNewTicket);
  const auto system = SystemMessages(r.ticket_id);
  ASSERT_EQ(system.size(), 1u);
  EXPECT_NE(system[0].body.find("No acknowledgement was emailed to robot@crm.example"),
            std::string::npos)
      << system[0].body;
  EXPECT_EQ(system[0].kind, domain::MessageKind::kNote);  // Not for the sender's eyes.
  EXPECT_EQ(Acknowledgements("robot@crm.example"), 0);
}

TEST_F(IntakeTest, OurOwnMailComingBackIsNotAcknowledged) {
  const IntakeResult r =
      Ingest(Mail("support@help.example", "Re: [#9] x", "ticket-9.msg-3.abc@help.example"));
  EXPECT_EQ(Acknowledgements("support@help.example"), 0);
  EXPECT_EQ(SystemMessages(r.ticket_id).size(), 1u);
}

TEST_F(IntakeTest, AcknowledgementsToOneAddressStopAtTheCapAndResumeAfterTheWindow) {
  // Another help desk that answers everything, stripped of every RFC 3834 marker.
  for (int i = 0; i < 14; ++i) {
    Ingest(Mail("desk@other.example", "Ticket " + std::to_string(i) + " received",
                "d" + std::to_string(i) + "@other.example"));
    clock_.Advance(10s);
  }
  EXPECT_EQ(Acknowledgements("desk@other.example"), 10);
  // A different address is not affected.
  Ingest(Mail("bea@shop.example", "Hello", "b1@shop.example"));
  EXPECT_EQ(Acknowledgements("bea@shop.example"), 1);

  clock_.Advance(10min);
  const IntakeResult r = Ingest(Mail("desk@other.example", "Ticket 99", "d99@other.example"));
  EXPECT_EQ(Acknowledgements("desk@other.example"), 11);
  EXPECT_EQ(SystemMessages(r.ticket_id).size(), 1u);
}

TEST_F(IntakeTest, TheCapSaysWhyOnTheTicket) {
  IntakeOptions options;
  options.auto_limit = 1;
  Open(options);
  Ingest(Mail("desk@other.example", "One", "o1@other.example"));
  const IntakeResult r = Ingest(Mail("desk@other.example", "Two", "o2@other.example"));
  const auto system = SystemMessages(r.ticket_id);
  ASSERT_EQ(system.size(), 1u);
  EXPECT_NE(system[0].body.find("1 automatic emails to desk@other.example in the last 10 minutes"),
            std::string::npos)
      << system[0].body;
}

TEST_F(IntakeTest, AcknowledgementsCanBeTurnedOff) {
  IntakeOptions options;
  options.auto_ack = false;
  Open(options);
  const IntakeResult r = Ingest(Mail("cy@shop.example", "Hello", "c1@shop.example"));
  EXPECT_TRUE(SystemMessages(r.ticket_id).empty());
  EXPECT_EQ(Acknowledgements("cy@shop.example"), 0);
}

}  // namespace
}  // namespace steadfast::mail
