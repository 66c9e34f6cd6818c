#include "app/seed.h"

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "domain/ticket_rules.h"

namespace steadfast::app {

using namespace domain;  // NOLINT

namespace {

constexpr std::array kProducts = {
    "invoice",     "dashboard",    "mobile app",   "driver app", "export",  "report",
    "checkout",    "login",        "password",     "calendar",   "webhook", "API",
    "billing",     "subscription", "shipment",     "label",      "scanner", "printer",
    "warehouse",   "inventory",    "refund",       "order",      "account", "invite",
    "SSO",         "email",        "notification", "search",     "import",  "backup",
    "integration", "payment",      "receipt",      "discount",   "coupon",  "delivery",
    "tracking",    "route",        "schedule",     "timesheet"};
constexpr std::array kProblems = {"fails with a timeout",
                                  "shows the wrong total",
                                  "does not load",
                                  "is very slow since Monday",
                                  "crashes on start",
                                  "returns an error 500",
                                  "sends duplicate emails",
                                  "is missing data",
                                  "cannot be saved",
                                  "shows an empty page",
                                  "rejects my card",
                                  "logs me out",
                                  "has the wrong timezone",
                                  "ignores my settings",
                                  "was charged twice",
                                  "is stuck in processing",
                                  "keeps asking for the code",
                                  "prints blank pages",
                                  "does not sync",
                                  "lost my changes"};
constexpr std::array kOpeners = {"Hi team,",      "Hello,", "Good morning,", "Hi there,",
                                 "Dear support,", "Hey,",   "Hello again,"};
constexpr std::array kCustomerSentences = {
    "Since yesterday the {p} {q}.",
    "We noticed that the {p} {q} for some of our users.",
    "Could you please check why the {p} {q}?",
    "This is blocking our team and we have a deadline on Friday.",
    "I tried clearing the cache and using another browser, same result.",
    "Attached is a screenshot of what we see.",
    "It happens on both Chrome and Firefox.",
    "Our reference is {code}.",
    "The order number is {code} if that helps.",
    "Is there a workaround we can use in the meantime?",
    "Thanks for looking into this.",
    "We have about {n} people affected.",
    "Any idea when this will be fixed?",
    "The same thing happened last month with the {p}.",
    "I am not sure whether this is a bug or a setting on our side.",
};
constexpr std::array kAgentSentences = {
    "Thanks for the details, I can reproduce the problem with the {p}.",
    "I have escalated this to our engineers with your reference {code}.",
    "Could you tell me which browser and version you are using?",
    "I have applied a fix to your account; please try again.",
    "The {p} issue is caused by a known bug that is fixed in the next release.",
    "As a workaround you can export from the {p} settings page.",
    "I will check back with you tomorrow with an update.",
    "I refunded the duplicate charge; it takes 3 to 5 working days to show.",
    "We cannot change this behaviour, but here is what you can do instead.",
    "I have updated the timezone on your account.",
    "Please send us the exact time it happened so we can find it in the logs.",
    "That should be working again now.",
};
constexpr std::array kNotes = {
    "Customer is on the legacy plan; check before offering the upgrade.",
    "Engineering ticket filed, see {code}.",
    "Called the customer, left a voicemail.",
    "Probably the same root cause as last week's {p} outage.",
};
constexpr std::array kSignoffs = {"Thanks,", "Best regards,", "Cheers,", "Kind regards,", ""};
constexpr std::array kTags = {"billing", "bug",        "feature-request", "mobile", "login",
                              "export",  "refund",     "urgent-customer", "api",    "integration",
                              "vip",     "onboarding", "shipping",        "gdpr",   "performance",
                              "how-to",  "outage",     "pricing",         "sso",    "reporting"};
constexpr std::array kFirstNames = {"Maria", "Tom",   "Priya", "Jon",  "Ines",  "Sam",   "Lena",
                                    "Omar",  "Yuki",  "Ana",   "Ben",  "Chloe", "David", "Elif",
                                    "Farah", "Goran", "Hana",  "Ivan", "Jia",   "Karl",  "Lucía",
                                    "Mateo", "Nora",  "Olu",   "Pia",  "Quinn", "Rosa",  "Sven",
                                    "Tariq", "Uma",   "Vera",  "Wen",  "Xavi",  "Zoë"};
constexpr std::array kLastNames = {"Silva",  "Becker", "Shah",   "Park",   "Ferreira", "Lee",
                                   "Novak",  "Haddad", "Tanaka", "Costa",  "Okafor",   "Martin",
                                   "Müller", "Kaya",   "Rossi",  "Dubois", "Nowak",    "García",
                                   "Jensen", "Kim",    "Ali",    "Smith",  "Ivanova",  "Chen"};
constexpr std::array kDomains = {"acme.example",    "bluebird.example", "northwind.example",
                                 "contoso.example", "globex.example",   "initech.example",
                                 "mail.example",    "post.example"};

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double Unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  template <typename A>
  const char* Pick(const A& a) {
    return a[static_cast<size_t>(Uniform(0, static_cast<int>(a.size()) - 1))];
  }

  // A rare token: product codes and references that appear in few tickets.
  std::string Code() {
    static constexpr char kLetters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    std::string s;
    s += kLetters[Uniform(0, 23)];
    s += kLetters[Uniform(0, 23)];
    s += '-';
    s += std::to_string(Uniform(10000, 999999));
    return s;
  }

  std::string Fill(std::string_view tmpl, const std::string& product) {
    std::string out;
    for (size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl.compare(i, 3, "{p}") == 0) {
        out += product;
        i += 2;
      } else if (tmpl.compare(i, 3, "{q}") == 0) {
        out += Pick(kProblems);
        i += 2;
      } else if (tmpl.compare(i, 6, "{code}") == 0) {
        out += Code();
        i += 5;
      } else if (tmpl.compare(i, 3, "{n}") == 0) {
        out += std::to_string(Uniform(2, 400));
        i += 2;
      } else {
        out += tmpl[i];
      }
    }
    return out;
  }

  template <typename A>
  std::string Paragraph(const A& sentences, const std::string& product, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
      if (!out.empty()) out += ' ';
      out += Fill(Pick(sentences), product);
    }
    return out;
  }

  std::string CustomerBody(const std::string& product, const std::string& name) {
    std::string out = Pick(kOpeners);
    out += "\n\n";
    out += Paragraph(kCustomerSentences, product, Uniform(2, 5));
    out += "\n\n";
    out += Pick(kSignoffs);
    out += '\n';
    out += name;
    return out;
  }

  std::string AgentBody(const std::string& product, const std::string& customer_first,
                        const std::string& agent_name) {
    std::string out = "Hi " + customer_first + ",\n\n";
    out += Paragraph(kAgentSentences, product, Uniform(1, 4));
    out += "\n\n" + agent_name;
    return out;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

struct SeedCustomer {
  CustomerId id;
  std::string first_name;
  std::string full_name;
};

}  // namespace

Status SeedDataset(storage::Store& store, const Clock& clock, const SeedOptions& o) {
  Generator g(o.seed);
  const Timestamp now = clock.Now();
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  const int64_t span = 730 * kDay;

  // Teams and agents.
  std::vector<TeamId> teams;
  const int64_t salt = static_cast<int64_t>(o.seed % 100000);
  for (int i = 0; i < o.teams; ++i) {
    SF_ASSIGN_OR_RETURN(
        Team t, store.CreateTeam("Team " + std::to_string(i + 1) + "-" + std::to_string(salt)));
    teams.push_back(t.id);
  }
  std::vector<Agent> agents;
  for (int i = 0; i < o.agents; ++i) {
    storage::NewAgent a;
    a.name = std::string(g.Pick(kFirstNames)) + " " + g.Pick(kLastNames);
    a.email = "agent" + std::to_string(i + 1) + (salt == 42 ? "" : "." + std::to_string(salt)) +
              "@seed.example";
    a.role = i % 10 == 0 ? Role::kLead : Role::kAgent;
    a.teams = {teams[static_cast<size_t>(i % o.teams)]};
    SF_ASSIGN_OR_RETURN(Agent created, store.CreateAgent(a));
    agents.push_back(std::move(created));
  }

  // Customers: about one for every four tickets, so repeat tickets are common.
  const int64_t num_customers = std::max<int64_t>(1, o.tickets / 4);
  std::vector<SeedCustomer> customers;
  customers.reserve(static_cast<size_t>(num_customers));
  for (int64_t start = 0; start < num_customers; start += 5000) {
    std::vector<storage::NewCustomer> batch;
    std::vector<SeedCustomer> meta;
    for (int64_t i = start; i < std::min(num_customers, start + 5000); ++i) {
      storage::NewCustomer c;
      const std::string first = g.Pick(kFirstNames);
      const std::string last = g.Pick(kLastNames);
      c.name = first + " " + last;
      c.emails = {"c" + std::to_string(i) + "." + std::to_string(salt) + "@" + g.Pick(kDomains)};
      batch.push_back(std::move(c));
      meta.push_back({0, first, first + " " + last});
    }
    SF_ASSIGN_OR_RETURN(auto ids, store.BulkInsertCustomers(batch));
    for (size_t i = 0; i < ids.size(); ++i) {
      meta[i].id = ids[i];
      customers.push_back(std::move(meta[i]));
    }
  }

  // Tickets, oldest first, so ids grow with time like a real help desk's.
  storage::TicketQuery latest;
  latest.limit = 1;
  SF_ASSIGN_OR_RETURN(auto first_page, store.ListTickets(latest));
  const TicketId base_id = first_page.items.empty() ? 0 : first_page.items.front().id;

  std::vector<storage::BulkTicket> batch;
  batch.reserve(static_cast<size_t>(o.batch));
  for (int64_t n = 0; n < o.tickets; ++n) {
    storage::BulkTicket b;
    Ticket& t = b.ticket;
    // Skewed choice: a few customers write often.
    const double u = g.Unit();
    const SeedCustomer& cust =
        customers[static_cast<size_t>(static_cast<double>(num_customers - 1) * u * u * u)];
    const std::string product = g.Pick(kProducts);
    const Agent& agent = agents[static_cast<size_t>(g.Uniform(0, o.agents - 1))];
    const int64_t created =
        now.millis - span + static_cast<int64_t>(static_cast<double>(span) * n / o.tickets) - kDay;
    const int64_t age = now.millis - created;
    t.subject = std::string(1, static_cast<char>(std::toupper(product[0]))) + product.substr(1) +
                " " + g.Pick(kProblems);
    if (g.Uniform(0, 4) == 0) t.subject += " (" + g.Code() + ")";
    t.customer_id = cust.id;
    t.team_id = agent.teams.empty() ? std::nullopt : std::optional<TeamId>(agent.teams[0]);
    const int pr = g.Uniform(0, 99);
    t.priority = pr < 15   ? Priority::kLow
                 : pr < 75 ? Priority::kNormal
                 : pr < 95 ? Priority::kHigh
                           : Priority::kUrgent;
    std::vector<std::string> tags;
    for (int i = g.Uniform(0, 3); i > 0; --i) tags.emplace_back(g.Pick(kTags));
    SF_ASSIGN_OR_RETURN(t.tags, NormalizeTags(tags));
    t.channel = g.Uniform(0, 3) == 0 ? Channel::kPortal : Channel::kEmail;
    t.created_at = Timestamp{created};

    // Status by age: recent tickets are still being worked on, old ones are settled.
    const int roll = g.Uniform(0, 99);
    if (age < 3 * kDay) {
      t.status = roll < 25   ? TicketStatus::kNew
                 : roll < 60 ? TicketStatus::kOpen
                 : roll < 85 ? TicketStatus::kPending
                             : TicketStatus::kResolved;
    } else if (age < 30 * kDay) {
      t.status = roll < 2    ? TicketStatus::kNew
                 : roll < 15 ? TicketStatus::kOpen
                 : roll < 30 ? TicketStatus::kPending
                 : roll < 70 ? TicketStatus::kResolved
                             : TicketStatus::kClosed;
    } else {
      t.status = roll < 1   ? TicketStatus::kOpen
                 : roll < 2 ? TicketStatus::kPending
                 : roll < 6 ? TicketStatus::kResolved
                            : TicketStatus::kClosed;
    }
    const bool owned = t.status != TicketStatus::kNew;
    if (owned) t.owner_id = agent.id;

    // Messages: the customer opens; replies, notes and follow-ups alternate.
    const int num_messages = t.status == TicketStatus::kNew ? 1 : g.Uniform(2, 8);
    int64_t at = created;
    for (int i = 0; i < num_messages; ++i) {
      Message m;
      m.created_at = Timestamp{at};
      if (i == 0 || (i % 2 == 0 && g.Uniform(0, 4) != 0)) {
        m.kind = MessageKind::kCustomer;
        m.author = Actor{Actor::Kind::kCustomer, cust.id};
        m.body = g.CustomerBody(product, cust.full_name);
      } else if (g.Uniform(0, 5) == 0) {
        m.kind = MessageKind::kNote;
        m.author = Actor{Actor::Kind::kAgent, agent.id};
        m.body = g.Fill(g.Pick(kNotes), product);
      } else {
        m.kind = MessageKind::kReply;
        m.author = Actor{Actor::Kind::kAgent, agent.id};
        m.body = g.AgentBody(product, cust.first_name, agent.name);
      }
      b.messages.push_back(std::move(m));
      at += g.Uniform(5, 26 * 60) * 60 * 1000LL;
    }
    if (at > now.millis) at = now.millis;
    t.updated_at = Timestamp{at};
    t.version = 1 + num_messages;

    Event created_event;
    created_event.type = "ticket_created";
    created_event.actor = Actor{Actor::Kind::kCustomer, cust.id};
    created_event.at = t.created_at;
    created_event.changes = {{"status", "", "new"},
                             {"priority", "", std::string(Name(t.priority))}};
    b.events.push_back(std::move(created_event));
    if (owned) {
      Event taken;
      taken.type = "owner_taken";
      taken.actor = Actor{Actor::Kind::kAgent, agent.id};
      taken.at = b.messages.size() > 1 ? b.messages[1].created_at : t.created_at;
      taken.changes = {{"owner", "", std::to_string(agent.id)}};
      b.events.push_back(std::move(taken));
    }
    if (t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed) {
      Resolution r;
      const int o_roll = g.Uniform(0, 99);
      r.outcome = o_roll < 70            ? Outcome::kSolved
                  : o_roll < 82          ? Outcome::kWorkaround
                  : o_roll < 90          ? Outcome::kCannotDo
                  : o_roll < 95 && n > 0 ? Outcome::kDuplicate
                                         : Outcome::kWithdrawn;
      if (r.outcome == Outcome::kCannotDo) {
        r.statement = "We cannot change how the " + product +
                      " works for a single account; this is not planned.";
        r.alternatives = {"Use the export from the " + product + " settings page instead."};
      }
      if (r.outcome == Outcome::kDuplicate) r.duplicate_of = base_id + g.Uniform(1, n);
      r.resolved_by = agent.id;
      r.resolved_at = t.updated_at;
      t.resolution = r;
      Event resolved;
      resolved.type = "resolved";
      resolved.actor = Actor{Actor::Kind::kAgent, agent.id};
      resolved.at = t.updated_at;
      resolved.changes = {{"outcome", "", std::string(Name(r.outcome))}};
      resolved.note = r.statement;
      b.events.push_back(std::move(resolved));
      if (t.status == TicketStatus::kClosed) {
        Event closed;
        closed.type = "closed";
        closed.actor = Actor{Actor::Kind::kSystem, 0};
        closed.at = t.updated_at;
        closed.changes = {{"status", "resolved", "closed"}};
        b.events.push_back(std::move(closed));
      }
    }
    batch.push_back(std::move(b));
    if (static_cast<int>(batch.size()) == o.batch || n + 1 == o.tickets) {
      SF_RETURN_IF_ERROR(store.BulkInsertTickets(batch));
      batch.clear();
      if (o.progress) o.progress(n + 1);
    }
  }
  return Status::Ok();
}

}  // namespace steadfast::app
