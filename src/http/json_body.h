#pragma once

#include <boost/json/fwd.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace steadfast::http {

// Parses a request body that must be one JSON object. BadRequest for invalid UTF-8 or malformed
// JSON (with the byte offset), InvalidArgument("") when the value is not an object.
Result<boost::json::object> ParseJsonObject(std::string_view body);

// Reads fields of a JSON object with errors that name the field. Fields not listed in
// `allowed` are rejected, so a misspelt field is an error instead of a silent default.
class JsonFields {
 public:
  // `prefix` names the object inside the body, e.g. "customer." for nested fields.
  JsonFields(const boost::json::object& obj, std::string prefix = {});

  // InvalidArgument naming the first field not in `allowed`.
  [[nodiscard]] Status OnlyAllowed(std::initializer_list<std::string_view> allowed) const;

  // Absent (or null, when `null_is_absent`) gives nullopt. A value of another type is an error.
  Result<std::optional<std::string>> String(std::string_view name) const;
  Result<std::string> RequiredString(std::string_view name) const;
  Result<std::optional<int64_t>> Int(std::string_view name) const;
  Result<int64_t> RequiredInt(std::string_view name) const;
  Result<std::optional<bool>> Bool(std::string_view name) const;
  Result<std::optional<std::vector<std::string>>> StringArray(std::string_view name) const;
  Result<std::optional<std::vector<int64_t>>> IntArray(std::string_view name) const;
  // For nested objects; nullptr when absent.
  Result<const boost::json::object*> Object(std::string_view name) const;
  // True if the field is present with an explicit null (used to clear optional values).
  bool IsNull(std::string_view name) const;
  bool Has(std::string_view name) const;

  std::string FieldName(std::string_view name) const { return prefix_ + std::string(name); }

 private:
  const boost::json::object& obj_;
  std::string prefix_;
};

}  // namespace steadfast::http
