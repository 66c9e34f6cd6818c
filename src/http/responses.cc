#include "http/responses.h"

#include <boost/json.hpp>

#include "common/check.h"

namespace steadfast::http {

namespace json = boost::json;

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 422;
    case StatusCode::kBadRequest:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kRateLimited:
      return 429;
    case StatusCode::kUnsupportedMedia:
      return 415;
    case StatusCode::kMethodNotAllowed:
      return 405;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {

const char* TitleFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return "Validation failed";
    case StatusCode::kBadRequest:
      return "Bad request";
    case StatusCode::kNotFound:
      return "Not found";
    case StatusCode::kConflict:
      return "Conflict";
    case StatusCode::kPermissionDenied:
      return "Forbidden";
    case StatusCode::kUnauthenticated:
      return "Unauthorized";
    case StatusCode::kTooLarge:
      return "Payload too large";
    case StatusCode::kRateLimited:
      return "Too many requests";
    case StatusCode::kUnsupportedMedia:
      return "Unsupported media type";
    case StatusCode::kMethodNotAllowed:
      return "Method not allowed";
    case StatusCode::kUnavailable:
      return "Service unavailable";
    default:
      return "Internal error";
  }
}

const char* TypeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return "/problems/validation";
    case StatusCode::kBadRequest:
      return "/problems/bad-request";
    case StatusCode::kNotFound:
      return "/problems/not-found";
    case StatusCode::kConflict:
      return "/problems/conflict";
    case StatusCode::kPermissionDenied:
      return "/problems/forbidden";
    case StatusCode::kUnauthenticated:
      return "/problems/unauthenticated";
    case StatusCode::kTooLarge:
      return "/problems/too-large";
    case StatusCode::kRateLimited:
      return "/problems/rate-limited";
    case StatusCode::kUnsupportedMedia:
      return "/problems/unsupported-media-type";
    case StatusCode::kMethodNotAllowed:
      return "/problems/method-not-allowed";
    case StatusCode::kUnavailable:
      return "/problems/unavailable";
    default:
      return "/problems/internal";
  }
}

}  // namespace

Response ErrorResponse(const Status& status) {
  SF_CHECK(!status.ok());
  const int code = HttpStatusFor(status.code());
  json::object body;
  body["type"] = TypeFor(status.code());
  body["title"] = TitleFor(status.code());
  body["status"] = code;
  std::string detail = status.message();
  if (status.code() == StatusCode::kInvalidArgument && !status.field().empty()) {
    detail = status.field() + " " + status.message();
    body["errors"] =
        json::array{json::object{{"field", status.field()}, {"message", status.message()}}};
  }
  body["detail"] = detail;
  Response r;
  r.status = code;
  r.body = json::serialize(body);
  r.SetHeader("Content-Type", "application/problem+json");
  r.SetHeader("Cache-Control", "no-store");
  if (code == 401) r.SetHeader("WWW-Authenticate", "Bearer realm=\"steadfast\"");
  return r;
}

Response JsonResponse(const json::value& body, int status) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  r.SetHeader("Content-Type", "application/json");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace steadfast::http
