#include "http/openapi.h"

namespace steadfast::http {

std::string_view OpenApiDocument() {
  return R"json({"openapi":"3.0.3","info":{"title":"Steadfast","version":"1"},"paths":{}})json";
}

}  // namespace steadfast::http
