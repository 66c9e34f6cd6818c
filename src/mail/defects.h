// The defect list of one parsed message. Internal to the mail library (parse.cc, charset.cc).

#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace steadfast::mail::internal {

// Defects: deduplicated and capped, so a hostile message cannot grow the list without bound.
// Appends to a vector it does not own, which must outlive it. Not thread-safe.
class Defects {
 public:
  // REQUIRES: `out` outlives this object.
  explicit Defects(std::vector<std::string>* out) : out_(out) {}

  // Records `defect` unless it was recorded before or the cap has been reached; the first defect
  // over the cap records that more were not.
  void Add(std::string defect);

  // A bounded, printable quotation of message text for a defect.
  static std::string Quote(std::string_view item);

 private:
  std::vector<std::string>* out_;
  std::unordered_set<std::string> seen_;
  bool capped_ = false;
};

}  // namespace steadfast::mail::internal
