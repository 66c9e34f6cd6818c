#include "http/multipart.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace steadfast::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

// A body as a browser sends it: preamble-free, CRLF line breaks, no epilogue.
std::string SampleBody() {
  return "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"subject\"\r\n"
         "\r\n"
         "Printer on fire\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"attachment\"; filename=\"log.txt\"\r\n"
         "Content-Type: text/plain\r\n"
         "\r\n"
         "line 1\r\nline 2\r\n--XyZ followed by text is content\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"empty\"\r\n"
         "\r\n"
         "\r\n"
         "--XyZ--";
}

TEST(MultipartTest, ParsesFieldsAndFiles) {
  auto parts = ParseMultipart(kType, SampleBody());
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 3u);

  const FormPart& subject = (*parts)[0];
  EXPECT_EQ(subject.name, "subject");
  EXPECT_FALSE(subject.is_file);
  EXPECT_EQ(subject.filename, "");
  EXPECT_EQ(subject.content_type, "");
  EXPECT_EQ(subject.data, "Printer on fire");

  const FormPart& file = (*parts)[1];
  EXPECT_EQ(file.name, "attachment");
  EXPECT_TRUE(file.is_file);
  EXPECT_EQ(file.filename, "log.txt");
  EXPECT_EQ(file.content_type, "text/plain");
  EXPECT_EQ(file.data, "line 1\r\nline 2\r\n--XyZ followed by text is content");

  EXPECT_EQ((*parts)[2].name, "empty");
  EXPECT_EQ((*parts)[2].data, "");
}

TEST(MultipartTest, IgnoresPreambleEpilogueAndTransportPadding) {
  const std::string body =
      "This is the preamble.\r\n"
      "--XyZ  \t\r\n"
      "content-disposition: form-data; name=a\r\n"
      "\r\n"
      "1\r\n"
      "--XyZ--\r\n"
      "This is the epilogue. --XyZ\r\n";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "a");
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(MultipartTest, KeepsBinaryData) {
  const std::string data("\0\r\n\xff--X\r\n-", 10);
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"bin\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      data + "\r\n--XyZ--";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, data);
  EXPECT_TRUE((*parts)[0].is_file);  // An empty filename still marks a file input.
  EXPECT_EQ((*parts)[0].filename, "");
}

TEST(MultipartTest, AcceptsQuotedBoundaryAndCaseInsensitiveType) {
  const std::string body =
      "--a;b=c\r\n"
      "Content-Disposition: form-data; name=\"x\"\r\n\r\n"
      "v\r\n"
      "--a;b=c--\r\n";
  auto parts = ParseMultipart("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a;b=c\"", body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, "v");
}

TEST(MultipartTest, UnescapesQuotedParameters) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"a\\\"b\"; filename=\"say \\\"hi\\\";.txt\"\r\n"
      "\r\n"
      "v\r\n"
      "--XyZ--";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ((*parts)[0].name, "a\"b");
  EXPECT_EQ((*parts)[0].filename, "say \"hi\";.txt");
}

TEST(MultipartTest, PrefersFilenameStar) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"f\"; filename=\"fallback.txt\"; "
      "filename*=UTF-8''%E2%82%AC%20rates.txt\r\n"
      "\r\n"
      "v\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"g\"; filename*=iso-8859-1'en'caf%E9.txt\r\n"
      "\r\n"
      "w\r\n"
      "--XyZ--";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].filename, "\xe2\x82\xac rates.txt");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].filename, "caf\xc3\xa9.txt");
}

TEST(MultipartTest, FallsBackToFilenameWhenFilenameStarIsInvalid) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"f\"; filename=\"ok.txt\"; "
      "filename*=UTF-8''%FF%FE\r\n"
      "\r\n"
      "v\r\n"
      "--XyZ--";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ((*parts)[0].filename, "ok.txt");

  const std::string only_bad =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%4\r\n"
      "\r\n"
      "v\r\n"
      "--XyZ--";
  auto bad = ParseMultipart(kType, only_bad);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kBadRequest);
  EXPECT_NE(bad.status().message().find("filename*"), std::string::npos);
}

TEST(MultipartTest, AcceptsZeroParts) {
  auto parts = ParseMultipart(kType, "--XyZ--\r\n");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_TRUE(parts->empty());
}

void ExpectBadRequest(std::string_view content_type, std::string_view body,
                      std::string_view message_part) {
  auto parts = ParseMultipart(content_type, body);
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.status().code(), StatusCode::kBadRequest) << parts.status().ToString();
  EXPECT_NE(parts.status().message().find(message_part), std::string::npos)
      << parts.status().ToString();
}

TEST(MultipartTest, RejectsBadContentType) {
  ExpectBadRequest("multipart/form-data", SampleBody(), "boundary");
  ExpectBadRequest("multipart/form-data; boundary=", SampleBody(), "boundary");
  ExpectBadRequest("multipart/form-data; boundary=\"XyZ", SampleBody(), "Content-Type");
  ExpectBadRequest("multipart/form-data; boundary=" + std::string(71, 'b'), SampleBody(),
                   "boundary");
  auto parts = ParseMultipart("application/json", SampleBody());
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.status().code(), StatusCode::kUnsupportedMedia);
}

TEST(MultipartTest, RejectsMalformedBodies) {
  ExpectBadRequest(kType, "", "opening");
  ExpectBadRequest(kType, "no delimiter at all", "opening");
  ExpectBadRequest(kType, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv", "closing");
  ExpectBadRequest(kType, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ",
                   "closing");
  ExpectBadRequest(kType, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--", "name");
  ExpectBadRequest(kType, "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--", "name");
  ExpectBadRequest(kType, "--XyZ\r\n\r\nv\r\n--XyZ--", "name");
  ExpectBadRequest(kType, "--XyZ\r\nno colon here\r\n\r\nv\r\n--XyZ--", "header");
  ExpectBadRequest(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--",
                   "Content-Disposition");
}

TEST(MultipartTest, RejectsTooManyParts) {
  auto body_with = [](std::size_t n) {
    std::string body;
    for (std::size_t i = 0; i < n; ++i) {
      body += "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
              "\"\r\n\r\nv\r\n";
    }
    return body + "--XyZ--";
  };
  auto ok = ParseMultipart(kType, body_with(kMaxFormParts));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->size(), kMaxFormParts);
  ExpectBadRequest(kType, body_with(kMaxFormParts + 1), "more than 64 parts");
}

TEST(MultipartTest, EveryTruncationIsRejected) {
  const std::string body = SampleBody();
  for (std::size_t n = 0; n < body.size(); ++n) {
    auto parts = ParseMultipart(kType, std::string_view(body).substr(0, n));
    EXPECT_FALSE(parts.ok()) << "prefix of " << n << " bytes was accepted";
  }
}

// Mutated bodies must never crash or read out of bounds (run under ASan to see the latter);
// whatever parses must still be internally consistent.
TEST(MultipartTest, SurvivesMutatedBodies) {
  const std::string original = SampleBody();
  const std::string_view alphabet[] = {"\r",        "\n", "\r\n",       "-", "--", "--XyZ",
                                       "\r\n--XyZ", "\"", "\\",         ";", "=",  "\0",
                                       "%",         "'",  "filename*=", ":", " "};
  std::mt19937 rng(20240601);
  std::size_t accepted = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string body = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = body.empty() ? 0 : rng() % body.size();
      switch (rng() % 4) {
        case 0:  // Flip a byte.
          if (!body.empty()) {
            body[at] = static_cast<char>(rng() & 0xFF);
          }
          break;
        case 1:  // Delete a range.
          body.erase(at, rng() % 16);
          break;
        case 2: {  // Insert a meaningful fragment.
          const std::string_view piece = alphabet[rng() % std::size(alphabet)];
          body.insert(at, piece.empty() ? std::string_view("\0", 1) : piece);
          break;
        }
        default:  // Truncate.
          body.resize(at);
          break;
      }
    }
    auto parts = ParseMultipart(kType, body);
    if (parts.ok()) {
      ++accepted;
      EXPECT_LE(parts->size(), kMaxFormParts);
      for (const FormPart& part : *parts) {
        EXPECT_LE(part.data.size(), body.size());
      }
    } else {
      EXPECT_FALSE(parts.status().message().empty());
    }
  }
  // Some single edits (e.g. inside a field value) keep the body valid.
  EXPECT_GT(accepted, 0u);
}

}  // namespace
}  // namespace steadfast::http
