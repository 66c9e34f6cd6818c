#pragma once

// The lead's daily digest: yesterday's broken promises, silent tickets and chases on their teams,
// emailed once a day at a set local hour, and the same content for the follow-through panel.

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/time_zone.h"
#include "storage/store.h"

namespace steadfast::engine {

struct DigestOptions {
  bool enabled = true;
  int hour = 8;                   // The local hour (0–23) from which yesterday's digest is sent.
  std::string time_zone = "UTC";  // IANA name the days and the hour are counted in.
  std::string public_url = "http://127.0.0.1:8080";  // Ticket links: public_url/tickets/{id}.
};

// The most lines a digest lists; above that it says how many more it left out.
inline constexpr int kDigestMaxLines = 1000;

// One line of a digest: what happened, on which ticket, whose it is.
struct DigestLine {
  storage::FollowThroughEvent event;
  std::string owner_name;  // Empty when nobody owns the ticket.
  std::string url;         // public_url/tickets/{id}
};

// One day's digest for one reader.
struct DigestContent {
  LocalDate day;
  std::string time_zone;
  Timestamp from;                      // Local midnight starting `day`, as UTC;
  Timestamp to;                        // and the next one.
  std::vector<storage::TeamId> teams;  // Whose tickets it covers; empty: every team.
  std::vector<DigestLine> broken_promises;
  std::vector<DigestLine> silent;
  std::vector<DigestLine> chases;
  bool truncated = false;  // More happened than kDigestMaxLines.

  bool nothing_broke() const { return broken_promises.empty() && silent.empty() && chases.empty(); }
};

// The digest of local date `day` in `zone` over the tickets of `teams` (empty: all tickets).
// Tickets without a team are in every digest: nobody's team is every lead's concern.
// Errors: the store's.
[[nodiscard]] Result<DigestContent> BuildDigest(storage::Store& store, const TimeZone& zone,
                                                LocalDate day,
                                                const std::vector<storage::TeamId>& teams,
                                                const std::string& public_url);

// The email: subject and plain-text body.
std::string DigestSubject(const DigestContent& d);
std::string DigestBody(const DigestContent& d, std::string_view reader_name);

// The local date at `t` in `zone`, and the local hour (0–23).
LocalDate LocalDateAt(const TimeZone& zone, Timestamp t);
int LocalHourAt(const TimeZone& zone, Timestamp t);

// The engine's digest phase: for every active lead with an email, once the local time is past
// `options.hour`, queues yesterday's digest unless it is queued already (the store's unique
// (agent, day) row is the claim, so several nodes queue it once). A digest whose hour was missed
// (the server was down all day) is not sent late the day after. Returns how many it queued;
// counts reads or writes that failed into `*failed` (retried next pass).
int QueueDueDigests(storage::Store& store, const DigestOptions& options, Timestamp now,
                    int* failed);

}  // namespace steadfast::engine
