#include "app/test_clock.h"

#include <charconv>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/text.h"

namespace steadfast::app {

namespace {

constexpr auto kRereadEvery = std::chrono::milliseconds(50);

Result<int64_t> ReadOffset(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Status::InvalidArgument(kTestClockVariable, "cannot read '" + path + "'");
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseClockOffset(text.str());
}

}  // namespace

Result<int64_t> ParseClockOffset(std::string_view text) {
  const std::string_view digits = Trim(text);
  int64_t value = -1;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value < 0) {
    return Status::InvalidArgument(kTestClockVariable,
                                   "the file must hold a non-negative number of seconds");
  }
  return value;
}

Result<std::unique_ptr<OffsetFileClock>> OffsetFileClock::Open(std::string path) {
  SF_ASSIGN_OR_RETURN(int64_t offset, ReadOffset(path));
  return std::unique_ptr<OffsetFileClock>(new OffsetFileClock(std::move(path), offset));
}

OffsetFileClock::OffsetFileClock(std::string path, int64_t offset_seconds)
    : path_(std::move(path)),
      offset_seconds_(offset_seconds),
      next_read_(std::chrono::steady_clock::now() + kRereadEvery) {}

Timestamp OffsetFileClock::Now() const {
  int64_t offset = 0;
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_read_) {
      next_read_ = now + kRereadEvery;
      auto read = ReadOffset(path_);
      if (read.ok() && *read > offset_seconds_) offset_seconds_ = *read;
    }
    offset = offset_seconds_;
  }
  return Timestamp{system_.Now().millis + offset * 1000};
}

}  // namespace steadfast::app
