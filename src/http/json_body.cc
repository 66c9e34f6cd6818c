#include "http/json_body.h"

#include <boost/json.hpp>

#include "common/text.h"

namespace steadfast::http {

namespace json = boost::json;

Result<json::object> ParseJsonObject(std::string_view body) {
  if (body.empty()) return Status::BadRequest("request body is empty; expected a JSON object");
  if (!IsValidUtf8(body)) return Status::BadRequest("request body is not valid UTF-8");
  json::parse_options opts;
  opts.max_depth = 32;
  json::stream_parser parser({}, opts);
  boost::system::error_code ec;
  const size_t used = parser.write_some(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    return Status::BadRequest("malformed JSON near byte " + std::to_string(used) + ": " +
                              ec.message());
  }
  if (used != body.size()) {
    return Status::BadRequest("malformed JSON: unexpected data after byte " + std::to_string(used));
  }
  json::value v = parser.release();
  if (!v.is_object()) return Status::InvalidArgument("", "request body must be a JSON object");
  return std::move(v.as_object());
}

JsonFields::JsonFields(const json::object& obj, std::string prefix)
    : obj_(obj), prefix_(std::move(prefix)) {}

Status JsonFields::OnlyAllowed(std::initializer_list<std::string_view> allowed) const {
  for (const auto& kv : obj_) {
    bool ok = false;
    for (std::string_view a : allowed) {
      if (kv.key() == a) ok = true;
    }
    if (!ok) return Status::InvalidArgument(FieldName(kv.key()), "is not a known field");
  }
  return Status::Ok();
}

bool JsonFields::Has(std::string_view name) const { return obj_.contains(name); }

bool JsonFields::IsNull(std::string_view name) const {
  const json::value* v = obj_.if_contains(name);
  return v != nullptr && v->is_null();
}

Result<std::optional<std::string>> JsonFields::String(std::string_view name) const {
  const json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return Status::InvalidArgument(FieldName(name), "must be a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> JsonFields::RequiredString(std::string_view name) const {
  SF_ASSIGN_OR_RETURN(auto v, String(name));
  if (!v.has_value()) return Status::InvalidArgument(FieldName(name), "is required");
  return std::move(*v);
}

Result<std::optional<int64_t>> JsonFields::Int(std::string_view name) const {
  const json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  }
  return Status::InvalidArgument(FieldName(name), "must be an integer");
}

Result<int64_t> JsonFields::RequiredInt(std::string_view name) const {
  SF_ASSIGN_OR_RETURN(auto v, Int(name));
  if (!v.has_value()) return Status::InvalidArgument(FieldName(name), "is required");
  return *v;
}

Result<std::optional<bool>> JsonFields::Bool(std::string_view name) const {
  const json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<bool>();
  if (!v->is_bool()) return Status::InvalidArgument(FieldName(name), "must be true or false");
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<std::vector<std::string>>> JsonFields::StringArray(
    std::string_view name) const {
  const json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) {
    return Status::InvalidArgument(FieldName(name), "must be an array of strings");
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      return Status::InvalidArgument(FieldName(name), "must be an array of strings");
    }
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::vector<int64_t>>> JsonFields::IntArray(std::string_view name) const {
  const json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::vector<int64_t>>();
  if (!v->is_array()) {
    return Status::InvalidArgument(FieldName(name), "must be an array of integers");
  }
  std::vector<int64_t> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_int64()) {
      return Status::InvalidArgument(FieldName(name), "must be an array of integers");
    }
    out.push_back(item.as_int64());
  }
  return std::optional<std::vector<int64_t>>(std::move(out));
}

Result<const json::object*> JsonFields::Object(std::string_view name) const {
  const json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return Status::InvalidArgument(FieldName(name), "must be an object");
  return &v->as_object();
}

}  // namespace steadfast::http
