#pragma once

#include <string_view>

namespace steadfast::http {

// The OpenAPI 3 document served at GET /api/v1/openapi.json. It describes what api*.cc do;
// tests/e2e checks that every route the server answers is in it.
std::string_view OpenApiDocument();

}  // namespace steadfast::http
