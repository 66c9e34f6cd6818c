#pragma once

#include <boost/json/value.hpp>

#include "common/status.h"
#include "http/message.h"

namespace steadfast::http {

// The one function that maps a Status to an HTTP response: an RFC 9457 problem+json body with
// type, title, status, detail, and `errors: [{field, message}]` for InvalidArgument.
//   InvalidArgument → 422, BadRequest → 400, NotFound → 404, Conflict → 409,
//   PermissionDenied → 403, Unauthenticated → 401, TooLarge → 413, RateLimited → 429,
//   UnsupportedMedia → 415, MethodNotAllowed → 405, Unavailable → 503, Internal → 500.
// REQUIRES: !status.ok().
Response ErrorResponse(const Status& status);

// The HTTP status code ErrorResponse would use.
int HttpStatusFor(StatusCode code);

// 200 (or `status`) with a JSON body.
Response JsonResponse(const boost::json::value& body, int status = 200);

}  // namespace steadfast::http
