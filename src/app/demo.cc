#include "app/demo.h"

#include <vector>

#include "domain/ticket_rules.h"

namespace steadfast::app {

using namespace domain;  // NOLINT

namespace {

struct Seed {
  const char* email;
  const char* name;
  const char* subject;
  const char* body;
  Priority priority;
  std::vector<std::string> tags;
};

Result<storage::TicketWrite> Apply(storage::Store& store, TicketId id, const storage::Mutation& m) {
  return store.ModifyTicket(id, m);
}

NewMessage Text(MessageKind kind, std::string body) {
  NewMessage m;
  m.kind = kind;
  m.body = std::move(body);
  return m;
}

}  // namespace

Status SeedDemo(storage::Store& store, const Clock& clock, const std::string& password_hash) {
  SF_ASSIGN_OR_RETURN(Team support, store.CreateTeam("Support"));
  SF_ASSIGN_OR_RETURN(Team billing, store.CreateTeam("Billing"));
  SF_ASSIGN_OR_RETURN(
      Agent ana,
      store.CreateAgent(
          {"Ana Costa", "ana@example.com", Role::kLead, password_hash, {support.id, billing.id}}));
  SF_ASSIGN_OR_RETURN(
      Agent ben, store.CreateAgent(
                     {"Ben Okafor", "ben@example.com", Role::kAgent, password_hash, {support.id}}));
  SF_ASSIGN_OR_RETURN(
      Agent chloe,
      store.CreateAgent(
          {"Chloé Martin", "chloe@example.com", Role::kAgent, password_hash, {billing.id}}));
  SF_ASSIGN_OR_RETURN(Company acme, store.CreateCompany("Acme Logistics", true));
  SF_ASSIGN_OR_RETURN(Company blue, store.CreateCompany("Bluebird Bakery", false));
  SF_RETURN_IF_ERROR(store
                         .CreateCustomer({"Maria Silva",
                                          {"maria@acme-logistics.example"},
                                          acme.id,
                                          "Europe/Lisbon",
                                          "pt-PT",
                                          "Prefers email; ops manager for three depots."})
                         .status());
  SF_RETURN_IF_ERROR(
      store
          .CreateCustomer(
              {"Tom Becker", {"tom@acme-logistics.example"}, acme.id, "Europe/Berlin", "de", ""})
          .status());
  SF_RETURN_IF_ERROR(store
                         .CreateCustomer({"Priya Shah",
                                          {"priya@bluebird.example", "orders@bluebird.example"},
                                          blue.id,
                                          "Europe/London",
                                          "en-GB",
                                          "Owner. Busy mornings; call after 2pm."})
                         .status());

  const std::vector<Seed> seeds = {
      {"maria@acme-logistics.example",
       "Maria Silva",
       "Invoices for October show the wrong VAT",
       "Hello, all three October invoices apply 21% VAT but we are registered in Portugal "
       "(23%). Can you reissue them? Our auditor needs them by Friday.",
       Priority::kHigh,
       {"billing", "invoice"}},
      {"tom@acme-logistics.example",
       "Tom Becker",
       "Driver app crashes when scanning a parcel",
       "Since this morning's update the driver app closes as soon as the camera opens to scan. "
       "Android 14, Pixel 7. 40 drivers affected.",
       Priority::kUrgent,
       {"mobile", "crash"}},
      {"priya@bluebird.example",
       "Priya Shah",
       "Can we export orders to our accounting tool?",
       "We use a small accounting package that imports CSV. Is there a way to export our "
       "weekly orders with line items?",
       Priority::kNormal,
       {"export"}},
      {"sam.lee@example.net",
       "Sam Lee",
       "Password reset email never arrives",
       "I asked for a password reset three times today and nothing arrived, not even in spam.",
       Priority::kNormal,
       {"login"}},
      {"ines.ferreira@example.org",
       "Inês Ferreira",
       "Café menu prices are not updating",
       "I changed the prices of our café menu yesterday but the public page still shows the old "
       "ones.",
       Priority::kNormal,
       {"menu"}},
      {"maria@acme-logistics.example",
       "Maria Silva",
       "Add a fourth depot to our account",
       "We are opening a depot in Porto next month. What do you need from us to add it?",
       Priority::kLow,
       {"account"}},
      {"jon@example.com",
       "Jon Park",
       "Please delete my account",
       "I no longer use the service. Please delete my account and my data.",
       Priority::kNormal,
       {"gdpr"}},
      {"priya@bluebird.example",
       "Priya Shah",
       "Two charges for the same month",
       "My card was charged twice on the 3rd for the November plan.",
       Priority::kHigh,
       {"billing", "refund"}},
  };
  std::vector<TicketId> ids;
  for (const auto& s : seeds) {
    NewTicket t;
    t.subject = s.subject;
    t.body = s.body;
    t.priority = s.priority;
    t.tags = s.tags;
    t.channel = Channel::kEmail;
    SF_ASSIGN_OR_RETURN(auto w, store.CreateTicket(t, {s.email, s.name}, Principal::System()));
    ids.push_back(w.state.ticket.id);
  }
  const Principal pa = Principal::ForAgent(ana);
  const Principal pb = Principal::ForAgent(ben);
  const Principal pc = Principal::ForAgent(chloe);
  auto reply = [&](const Principal& who, std::string body, bool pending) {
    return [&clock, who, body, pending](const TicketState& s) {
      return AddMessage(s, who, Text(MessageKind::kReply, body), pending, clock.Now());
    };
  };
  // 0: Chloé owns the VAT ticket and is waiting on the customer.
  SF_RETURN_IF_ERROR(Apply(store, ids[0],
                           reply(pc,
                                 "Hi Maria, thanks for spotting this. Could you confirm the VAT "
                                 "number we should print? I will reissue all three the same day.",
                                 true))
                         .status());
  // 1: Ben took the crash ticket and left a note; he proposes a handoff to Ana.
  SF_RETURN_IF_ERROR(Apply(store, ids[1],
                           reply(pb,
                                 "Tom, we can reproduce it on Android 14 and are on it. Next "
                                 "update from me by 15:00 today.",
                                 false))
                         .status());
  SF_RETURN_IF_ERROR(Apply(store, ids[1], [&](const TicketState& s) {
                       return AddMessage(s, pb,
                                         Text(MessageKind::kNote,
                                              "Crash is in the camera "
                                              "permission prompt; build 4.12 only."),
                                         false, clock.Now());
                     }).status());
  SF_RETURN_IF_ERROR(Apply(store, ids[1], [&](const TicketState& s) {
                       return ProposeHandoff(s, pb, ana.id,
                                             "Ana, you own the mobile release: crash is in "
                                             "the camera permission prompt on 4.12. Tom expects "
                                             "an update at 15:00.",
                                             clock.Now());
                     }).status());
  // 4: solved.
  SF_RETURN_IF_ERROR(
      Apply(store, ids[4],
            reply(pb, "Inês, the page cache was stuck; I cleared it and the new prices show now.",
                  false))
          .status());
  SF_RETURN_IF_ERROR(
      Apply(store, ids[4], [&](const TicketState& s) {
        return Resolve(s, pb, {Outcome::kSolved, "", {}, std::nullopt, ""}, clock.Now());
      }).status());
  // 2: cannot do, with the plain statement and an alternative.
  SF_RETURN_IF_ERROR(Apply(store, ids[2],
                           reply(pa,
                                 "Priya, we cannot export line items to CSV today, and it is not "
                                 "on our plan for this year. What you can do now is use the "
                                 "monthly PDF statement, which lists every item.",
                                 false))
                         .status());
  SF_RETURN_IF_ERROR(Apply(store, ids[2], [&](const TicketState& s) {
                       return Resolve(s, pa,
                                      {Outcome::kCannotDo,
                                       "Exporting orders with line items to CSV is not possible, "
                                       "and it is not planned this year.",
                                       {"The monthly PDF statement lists every line item."},
                                       std::nullopt,
                                       ""},
                                      clock.Now());
                     }).status());
  // 7: Chloé works on the double charge.
  SF_RETURN_IF_ERROR(
      Apply(store, ids[7],
            reply(pc,
                  "Priya, I see both charges. I have refunded the second one today; banks "
                  "take 3-5 working days to show it.",
                  true))
          .status());
  // 3, 5, 6 stay new: nobody owns them yet.
  (void)support;
  (void)billing;
  return Status::Ok();
}

}  // namespace steadfast::app
