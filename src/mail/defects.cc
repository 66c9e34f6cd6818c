#include "mail/defects.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "common/text.h"
#include "mail/charset.h"

namespace steadfast::mail::internal {
namespace {

constexpr size_t kMaxDefects = 64;
constexpr size_t kMaxDefectItem = 80;

}  // namespace

void Defects::Add(std::string defect) {
  if (seen_.count(defect) > 0) return;
  if (out_->size() >= kMaxDefects) {
    if (!capped_) {
      capped_ = true;
      out_->push_back("more defects not recorded");
    }
    return;
  }
  seen_.insert(defect);
  out_->push_back(std::move(defect));
}

std::string Defects::Quote(std::string_view item) {
  std::string s = OneLine(Trim(item.substr(0, std::min(item.size(), kMaxDefectItem * 4))));
  if (s.size() > kMaxDefectItem) {
    size_t cut = kMaxDefectItem;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
    s += "...";
  }
  return s;
}

}  // namespace steadfast::mail::internal
