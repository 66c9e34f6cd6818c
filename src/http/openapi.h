#pragma once

#include <string_view>

namespace steadfast::http {

// The OpenAPI 3 document served at GET /api/v1/openapi.json: docs/openapi.json, compiled in.
// It describes what api*.cc do; tests/e2e/openapi_test.py checks that every route the server
// answers, and every field render.cc writes, is in it.
std::string_view OpenApiDocument();

}  // namespace steadfast::http
