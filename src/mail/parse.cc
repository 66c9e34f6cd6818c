// ParseMail on top of GMime 3.2. GMime stays inside this file: nothing else includes it.
//
// GMime does the MIME structure, RFC 2047/2231 header and parameter decoding, address lists and
// dates. Body charsets and transfer encodings are decoded here and in charset.cc instead of
// through g_mime_text_part_get_text, which stops at the first NUL, passes bytes through unchanged
// when a charset is unknown and cannot report what it had to repair.

#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/text.h"
#include "mail/charset.h"
#include "mail/defects.h"
#include "mail/mail_headers.h"
#include "mail/parsed_mail.h"

namespace steadfast::mail {
namespace {

using internal::Base64Decoder;
using internal::CidReferences;
using internal::CleanId;
using internal::Defects;
using internal::FindField;
using internal::GuessBoundary;
using internal::kReplacement;
using internal::MergeEncodedWordRuns;
using internal::NormalizeNewlines;
using internal::OneLine;
using internal::ReadReturnPath;
using internal::SafeFilename;
using internal::Unflow;

// ---------------------------------------------------------------------------------------------
// Ownership helpers for GLib/GMime objects.

struct GObjectUnref {
  void operator()(void* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using GChars = std::unique_ptr<char, GFree>;

struct OptionsFree {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};
struct ReferencesFree {
  void operator()(GMimeReferences* p) const { g_mime_references_free(p); }
};

std::string_view View(const char* s) { return s == nullptr ? std::string_view() : s; }

// ---------------------------------------------------------------------------------------------
// Parser warnings become defects.

void OnParserWarning(gint64 /*offset*/, GMimeParserWarning code, const gchar* item,
                     gpointer user_data) {
  auto* defects = static_cast<Defects*>(user_data);
  const std::string what = Defects::Quote(View(item));
  auto with = [&](std::string_view text) {
    return what.empty() ? std::string(text) : std::string(text) + ": " + what;
  };
  switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER:
      defects->Add(with("duplicated header"));
      break;
    case GMIME_WARN_DUPLICATED_PARAMETER:
      defects->Add(with("duplicated header parameter"));
      break;
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
      defects->Add(with("unencoded 8-bit header"));
      break;
    case GMIME_WARN_INVALID_CONTENT_TYPE:
      defects->Add(with("invalid Content-Type"));
      break;
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
      defects->Add(with("invalid RFC 2047 encoded header"));
      break;
    case GMIME_WARN_INVALID_PARAMETER:
      defects->Add(with("invalid header parameter"));
      break;
    case GMIME_WARN_MALFORMED_MULTIPART:
      defects->Add(with("missing closing boundary before the enclosing boundary, in multipart"));
      break;
    case GMIME_WARN_TRUNCATED_MESSAGE:
      defects->Add("message truncated");
      break;
    case GMIME_WARN_MALFORMED_MESSAGE:
      defects->Add("malformed message");
      break;
    case GMIME_WARN_INVALID_ADDRESS_LIST:
      defects->Add(with("invalid address list"));
      break;
    case GMIME_CRIT_INVALID_HEADER_NAME:
      defects->Add(with("invalid header line ignored"));
      break;
    case GMIME_CRIT_CONFLICTING_HEADER:
      defects->Add(with("conflicting repeated header"));
      break;
    case GMIME_CRIT_CONFLICTING_PARAMETER:
      defects->Add(with("conflicting header parameter"));
      break;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      defects->Add(with("missing boundary parameter in multipart"));
      break;
    case GMIME_CRIT_NESTING_OVERFLOW:
      defects->Add("MIME nesting too deep for the parser");
      break;
    case GMIME_WARN_PART_WITHOUT_CONTENT:
      defects->Add("MIME part without content");
      break;
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      defects->Add("MIME part without headers or content");
      break;
    default:
      defects->Add(with("parser warning " + std::to_string(static_cast<int>(code))));
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Charsets and content transfer decoding.

// Converts with iconv through GMime's cache of converters; sequences iconv rejects become U+FFFD.
// False when there is no converter for `charset`.
bool ConvertWithIconv(std::string_view in, const std::string& charset, std::string* out,
                      size_t* invalid) {
  std::string from = charset;
  const std::string lower = AsciiLower(charset);
  if (lower == "unicode-1-1-utf-7" || lower == "x-utf-7") from = "UTF-7";
  iconv_t cd = g_mime_iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  iconv(cd, nullptr, nullptr, nullptr, nullptr);  // A cached converter may hold shift state.

  out->clear();
  out->reserve(in.size() + in.size() / 2 + 16);
  char buffer[16384];
  auto* inptr = const_cast<char*>(in.data());
  size_t inleft = in.size();
  while (inleft > 0) {
    char* outptr = buffer;
    size_t outleft = sizeof(buffer);
    const size_t rc = iconv(cd, &inptr, &inleft, &outptr, &outleft);
    const int err = errno;
    out->append(buffer, static_cast<size_t>(outptr - buffer));
    if (rc != static_cast<size_t>(-1) || err == E2BIG || inleft == 0) continue;
    // EILSEQ, or EINVAL for a sequence cut off at the end: replace one byte and go on.
    ++*invalid;
    out->append(kReplacement);
    ++inptr;
    --inleft;
  }
  char* outptr = buffer;
  size_t outleft = sizeof(buffer);
  iconv(cd, nullptr, nullptr, &outptr, &outleft);  // Ends a stateful encoding.
  out->append(buffer, static_cast<size_t>(outptr - buffer));
  g_mime_iconv_close(cd);
  return true;
}

std::string DecodeText(std::string_view bytes, std::string_view charset, Defects& defects,
                       std::string_view where) {
  return internal::DecodeText(bytes, charset, &ConvertWithIconv, defects, where);
}

constexpr size_t kChunk = 16 * 1024;

struct Content {
  std::string data;
  bool too_large = false;  // `data` holds only the first `limit` bytes.
};

// Reads `stream` from its start, at most `limit` bytes.
void ReadStream(GMimeStream* stream, size_t limit, Content* content) {
  g_mime_stream_reset(stream);
  char buffer[kChunk];
  while (true) {
    const ssize_t n = g_mime_stream_read(stream, buffer, sizeof(buffer));
    if (n <= 0) break;
    const size_t room = limit - content->data.size();
    if (static_cast<size_t>(n) > room) {
      content->data.append(buffer, room);
      content->too_large = true;
      break;
    }
    content->data.append(buffer, static_cast<size_t>(n));
  }
}

// The decoded bytes of a leaf part (transfer encoding undone), at most `limit` of them.
Content ReadPartContent(GMimePart* part, size_t limit, Defects& defects, std::string_view where) {
  Content content;
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return content;
  GMimeStream* raw = g_mime_data_wrapper_get_stream(wrapper);
  if (raw == nullptr) return content;
  const GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(wrapper);

  if (encoding == GMIME_CONTENT_ENCODING_BASE64) {
    Base64Decoder decoder;
    g_mime_stream_reset(raw);
    char buffer[kChunk];
    while (true) {
      const ssize_t n = g_mime_stream_read(raw, buffer, sizeof(buffer));
      if (n <= 0) break;
      decoder.Feed(std::string_view(buffer, static_cast<size_t>(n)), &content.data);
      if (content.data.size() > limit) break;
    }
    if (content.data.size() <= limit) decoder.Finish(&content.data);
    if (content.data.size() > limit) {
      content.data.resize(limit);
      content.too_large = true;
      return content;
    }
    if (decoder.truncated()) defects.Add(std::string(where) + ": truncated base64");
    if (decoder.invalid() > 0) {
      defects.Add(std::string(where) + ": " + std::to_string(decoder.invalid()) +
                  " invalid characters in base64, skipped");
    }
    return content;
  }

  if (encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      encoding == GMIME_CONTENT_ENCODING_UUENCODE) {
    g_mime_stream_reset(raw);
    GPtr<GMimeStream> filtered(g_mime_stream_filter_new(raw));
    GPtr<GMimeFilter> filter(g_mime_filter_basic_new(encoding, FALSE));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter.get());
    ReadStream(filtered.get(), limit, &content);
    return content;
  }

  ReadStream(raw, limit, &content);
  return content;
}

// ---------------------------------------------------------------------------------------------
// RFC 2047 encoded-word repair (see MergeEncodedWordRuns).

// Rewrites the raw values of `object`'s own headers that GMime would misdecode. GMime reparses a
// header (addresses, Content-Type parameters) when its raw value changes.
void RepairEncodedWords(GMimeObject* object) {
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  if (list == nullptr) return;
  const int n = g_mime_header_list_get_count(list);
  std::string fixed;
  for (int i = 0; i < n; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    const char* raw = g_mime_header_get_raw_value(header);
    if (raw != nullptr && MergeEncodedWordRuns(raw, &fixed)) {
      g_mime_header_set_raw_value(header, fixed.c_str());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Small header helpers.

std::string MimeType(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "application/octet-stream";
  GChars mime(g_mime_content_type_get_mime_type(type));
  return AsciiLower(OneLine(View(mime.get())));
}

std::string LowerDisposition(GMimeObject* object) {
  return AsciiLower(Trim(View(g_mime_object_get_disposition(object))));
}

std::string DecodeMessageId(std::string_view value) {
  const std::string copy(value);
  GChars id(g_mime_utils_decode_message_id(copy.c_str()));
  return CleanId(View(id.get()));
}

std::vector<std::string> ParseIdList(GMimeParserOptions* options, const char* value) {
  std::vector<std::string> ids;
  if (value == nullptr) return ids;
  std::unique_ptr<GMimeReferences, ReferencesFree> refs(g_mime_references_parse(options, value));
  if (!refs) return ids;
  const int n = g_mime_references_length(refs.get());
  for (int i = 0; i < n; ++i) {
    std::string id = CleanId(View(g_mime_references_get_message_id(refs.get(), i)));
    if (!id.empty()) ids.push_back(std::move(id));
  }
  return ids;
}

void CollectMailboxes(InternetAddressList* list, std::vector<MailAddress>* out, int depth = 0) {
  if (list == nullptr || depth > 2) return;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      CollectMailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                       depth + 1);
    } else if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      MailAddress mailbox;
      mailbox.name = std::string(Trim(OneLine(View(internet_address_get_name(address)))));
      mailbox.email = AsciiLower(Trim(
          OneLine(View(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))))));
      out->push_back(std::move(mailbox));
    }
  }
}

constexpr size_t kMaxHeaderBlock = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The walk over the MIME tree.

struct Body {
  std::string text;
  std::string html;
  bool has_text = false;
  bool has_html = false;

  static void Append(std::string* to, std::string_view more) {
    if (!to->empty() && to->back() != '\n' && !more.empty()) to->push_back('\n');
    to->append(more);
  }
  void AddText(std::string_view more) {
    Append(&text, more);
    has_text = true;
  }
  void AddHtml(std::string_view more) {
    Append(&html, more);
    has_html = true;
  }
};

class Walker {
 public:
  Walker(const ParseOptions& options, GMimeParserOptions* parser_options, ParsedMail* mail,
         Defects* defects)
      : options_(options), parser_options_(parser_options), mail_(mail), defects_(*defects) {}

  void Walk(GMimeObject* object, size_t depth, Body* body) {
    if (object == nullptr) return;
    if (depth > options_.max_depth) {
      defects_.Add("MIME nesting deeper than " + std::to_string(options_.max_depth) +
                   " levels ignored");
      return;
    }
    if (parts_ >= options_.max_parts) {
      defects_.Add("more than " + std::to_string(options_.max_parts) + " MIME parts; rest ignored");
      return;
    }
    ++parts_;
    RepairEncodedWords(object);
    if (GMIME_IS_MULTIPART(object)) {
      WalkMultipart(GMIME_MULTIPART(object), depth, body);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      AddMessageAttachment(GMIME_MESSAGE_PART(object));
    } else if (GMIME_IS_PART(object)) {
      WalkLeaf(GMIME_PART(object), body);
    }
  }

 private:
  void WalkMultipart(GMimeMultipart* multipart, size_t depth, Body* body) {
    auto* object = GMIME_OBJECT(multipart);
    const std::string type = MimeType(object);
    const int count = g_mime_multipart_get_count(multipart);

    if (count == 0) {
      RecoverEmptyMultipart(multipart, type, depth, body);
      return;
    }
    if (!multipart->write_end_boundary) defects_.Add("missing closing boundary in " + type);

    if (type == "multipart/report" && IsDeliveryReport(multipart)) {
      mail_->is_bounce = true;
      if (mail_->bounced_message_id.empty()) FindBouncedMessageId(multipart);
    }

    if (type == "multipart/alternative") {
      // The first alternative that has each kind wins; the rest are the same content again.
      Body chosen;
      for (int i = 0; i < count; ++i) {
        Body alternative;
        Walk(g_mime_multipart_get_part(multipart, i), depth + 1, &alternative);
        if (alternative.has_text && !chosen.has_text) {
          chosen.text = std::move(alternative.text);
          chosen.has_text = true;
        }
        if (alternative.has_html && !chosen.has_html) {
          chosen.html = std::move(alternative.html);
          chosen.has_html = true;
        }
      }
      if (chosen.has_text) body->AddText(chosen.text);
      if (chosen.has_html) body->AddHtml(chosen.html);
      return;
    }

    for (int i = 0; i < count; ++i) Walk(g_mime_multipart_get_part(multipart, i), depth + 1, body);
  }

  // report-type=delivery-status; or no report-type at all and a delivery-status part.
  static bool IsDeliveryReport(GMimeMultipart* report) {
    const char* report_type =
        g_mime_object_get_content_type_parameter(GMIME_OBJECT(report), "report-type");
    if (report_type != nullptr) {
      const std::string lower = AsciiLower(Trim(report_type));
      return lower == "delivery-status" || lower == "global-delivery-status";
    }
    const int count = std::min(g_mime_multipart_get_count(report), 8);
    for (int i = 0; i < count; ++i) {
      const std::string type = MimeType(g_mime_multipart_get_part(report, i));
      if (type == "message/delivery-status" || type == "message/global-delivery-status") {
        return true;
      }
    }
    return false;
  }

  // A multipart in which GMime found no parts (no boundary parameter, or a boundary that never
  // occurs): guess the boundary from the first "--" line, else keep the content as plain text.
  void RecoverEmptyMultipart(GMimeMultipart* multipart, const std::string& type, size_t depth,
                             Body* body) {
    const std::string_view prologue = View(g_mime_multipart_get_prologue(multipart));
    if (Trim(prologue).empty()) {
      defects_.Add("empty " + type);
      return;
    }
    const std::string boundary = GuessBoundary(prologue);
    if (!boundary.empty()) {
      std::string rebuilt = "Content-Type: " + type + "; boundary=\"" + boundary + "\"";
      GMimeContentType* content_type = g_mime_object_get_content_type(GMIME_OBJECT(multipart));
      GMimeParamList* params = g_mime_content_type_get_parameters(content_type);
      const int n = params == nullptr ? 0 : g_mime_param_list_length(params);
      for (int i = 0; i < n; ++i) {
        GMimeParam* param = g_mime_param_list_get_parameter_at(params, i);
        const std::string name = AsciiLower(View(g_mime_param_get_name(param)));
        if (name == "boundary" || name.find_first_of("\"\\;= \t\r\n") != std::string::npos) {
          continue;
        }
        std::string value;
        for (const char c : View(g_mime_param_get_value(param))) {
          if (c == '\r' || c == '\n') continue;
          if (c == '"' || c == '\\') value.push_back('\\');
          value.push_back(c);
        }
        rebuilt += "; " + name + "=\"" + value + "\"";
      }
      rebuilt += "\n\n";
      rebuilt.append(prologue);
      GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(rebuilt.data(), rebuilt.size()));
      GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
      GPtr<GMimeObject> reparsed(g_mime_parser_construct_part(parser.get(), parser_options_));
      if (reparsed && GMIME_IS_MULTIPART(reparsed.get()) &&
          g_mime_multipart_get_count(GMIME_MULTIPART(reparsed.get())) > 0) {
        defects_.Add(type + " without a usable boundary; used \"" + Defects::Quote(boundary) +
                     "\" found in its body");
        --parts_;  // The reparsed multipart stands in for this one.
        Walk(reparsed.get(), depth, body);
        return;
      }
    }
    defects_.Add(type + " without parts; its content kept as plain text");
    body->AddText(NormalizeNewlines(DecodeText(prologue, "", defects_, type)));
  }

  void WalkLeaf(GMimePart* part, Body* body) {
    auto* object = GMIME_OBJECT(part);
    const std::string type = MimeType(object);
    const std::string disposition = LowerDisposition(object);
    const char* filename = g_mime_part_get_filename(part);
    const bool is_body_text = (type == "text/plain" || type == "text/html") &&
                              disposition != "attachment" &&
                              (filename == nullptr || *filename == '\0');
    if (!is_body_text) {
      AddPartAttachment(part, type, disposition, filename);
      return;
    }
    Content content = ReadPartContent(part, options_.max_attachment_bytes, defects_, type);
    if (content.too_large) {
      defects_.Add(type + " body over " + std::to_string(options_.max_attachment_bytes) +
                   " bytes; truncated");
    }
    std::string text = NormalizeNewlines(
        DecodeText(content.data, View(g_mime_object_get_content_type_parameter(object, "charset")),
                   defects_, type + " body"));
    if (type == "text/html") {
      body->AddHtml(text);
      return;
    }
    const std::string format =
        AsciiLower(Trim(View(g_mime_object_get_content_type_parameter(object, "format"))));
    if (format == "flowed") {
      const std::string delsp =
          AsciiLower(Trim(View(g_mime_object_get_content_type_parameter(object, "delsp"))));
      text = Unflow(text, delsp == "yes");
    }
    body->AddText(text);
  }

  void AddPartAttachment(GMimePart* part, const std::string& type, const std::string& disposition,
                         const char* filename) {
    auto* object = GMIME_OBJECT(part);
    MailAttachment attachment;
    attachment.filename = SafeFilename(View(filename));
    attachment.content_type = type;
    attachment.content_id = CleanId(View(g_mime_object_get_content_id(object)));
    attachment.is_inline = disposition == "inline";  // Or referenced by cid:, seen at the end.
    const std::string where = "attachment \"" + Defects::Quote(attachment.filename) + "\"";
    Content content = ReadPartContent(part, options_.max_attachment_bytes, defects_, where);
    if (content.too_large) {
      DropTooLarge(where);
      return;
    }
    attachment.data = std::move(content.data);
    mail_->attachments.push_back(std::move(attachment));
  }

  // An attached message (message/rfc822) is kept whole, as the .eml it was.
  void AddMessageAttachment(GMimeMessagePart* part) {
    auto* object = GMIME_OBJECT(part);
    MailAttachment attachment;
    const char* filename = g_mime_object_get_content_disposition_parameter(object, "filename");
    if (filename == nullptr) filename = g_mime_object_get_content_type_parameter(object, "name");
    attachment.filename = SafeFilename(View(filename));
    attachment.content_type = MimeType(object);
    attachment.content_id = CleanId(View(g_mime_object_get_content_id(object)));
    attachment.is_inline = LowerDisposition(object) == "inline";
    const std::string where = "attachment \"" + Defects::Quote(attachment.filename) + "\"";
    GMimeMessage* message = g_mime_message_part_get_message(part);
    if (message != nullptr) {
      GPtr<GMimeStream> stream(g_mime_stream_mem_new());
      g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr, stream.get());
      GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
      if (bytes->len > options_.max_attachment_bytes) {
        DropTooLarge(where);
        return;
      }
      attachment.data.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
    }
    mail_->attachments.push_back(std::move(attachment));
  }

  void DropTooLarge(const std::string& where) {
    defects_.Add(where + " over " + std::to_string(options_.max_attachment_bytes) +
                 " bytes; dropped");
  }

  void FindBouncedMessageId(GMimeMultipart* report) {
    std::string from_status;
    const int count = std::min<int>(g_mime_multipart_get_count(report),
                                    static_cast<int>(std::min<size_t>(options_.max_parts, 64)));
    for (int i = 0; i < count; ++i) {
      GMimeObject* child = g_mime_multipart_get_part(report, i);
      const std::string type = MimeType(child);
      if (GMIME_IS_MESSAGE_PART(child)) {
        GMimeMessage* original = g_mime_message_part_get_message(GMIME_MESSAGE_PART(child));
        if (original != nullptr) {
          std::string id = CleanId(View(g_mime_message_get_message_id(original)));
          if (!id.empty()) {
            mail_->bounced_message_id = std::move(id);
            return;
          }
        }
        continue;
      }
      if (!GMIME_IS_PART(child)) continue;
      const bool headers = type == "message/rfc822" || type == "message/global" ||
                           type == "text/rfc822-headers" || type == "message/global-headers";
      const bool status =
          type == "message/delivery-status" || type == "message/global-delivery-status";
      if (!headers && !status) continue;
      Defects ignored(&scratch_);
      Content content = ReadPartContent(GMIME_PART(child), kMaxHeaderBlock, ignored, type);
      std::string text = NormalizeNewlines(content.data);
      if (headers) {
        const size_t end = text.find("\n\n");
        if (end != std::string::npos) text.resize(end);
        std::string id = DecodeMessageId(FindField(text, "message-id"));
        if (!id.empty()) {
          mail_->bounced_message_id = std::move(id);
          return;
        }
      } else if (from_status.empty()) {
        from_status = DecodeMessageId(FindField(text, "original-message-id"));
        if (from_status.empty()) from_status = DecodeMessageId(FindField(text, "message-id"));
      }
    }
    mail_->bounced_message_id = std::move(from_status);
  }

  const ParseOptions& options_;
  GMimeParserOptions* parser_options_;
  ParsedMail* mail_;
  Defects& defects_;
  std::vector<std::string> scratch_;
  size_t parts_ = 0;
};

// ---------------------------------------------------------------------------------------------

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::unique_ptr<GMimeParserOptions, OptionsFree> NewParserOptions(Defects* defects) {
  std::unique_ptr<GMimeParserOptions, OptionsFree> options(g_mime_parser_options_new());
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);
  // Undeclared 8-bit header text: UTF-8 when it is, else the Western default.
  const char* fallback[] = {"utf-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  g_mime_parser_options_set_warning_callback(options.get(), &OnParserWarning, defects);
  return options;
}

struct HeaderEntry {
  gint64 offset;
  std::string name;
  std::string value;
};

void CollectHeaders(GMimeObject* object, std::vector<HeaderEntry>* out) {
  if (object == nullptr) return;
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  if (list == nullptr) return;
  const int n = g_mime_header_list_get_count(list);
  for (int i = 0; i < n; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, i);
    out->push_back({g_mime_header_get_offset(header),
                    AsciiLower(OneLine(View(g_mime_header_get_name(header)))),
                    std::string(Trim(OneLine(View(g_mime_header_get_value(header)))))});
  }
}

}  // namespace

std::string_view ParsedMail::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

Result<ParsedMail> ParseMail(std::string_view raw, const ParseOptions& options) {
  if (Trim(raw).empty()) return Status::BadRequest("empty message");
  InitGMime();

  ParsedMail mail;
  Defects defects(&mail.defects);
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") {
    defects.Add("byte order mark before the headers, ignored");
    raw.remove_prefix(3);
  }
  auto parser_options = NewParserOptions(&defects);

  // Objects are declared after the options: GMime keeps pointers to them until unreffed.
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), parser_options.get()));
  if (!message) return Status::BadRequest("not an email message: no header found");

  RepairEncodedWords(GMIME_OBJECT(message.get()));
  GMimeObject* top = g_mime_message_get_mime_part(message.get());
  if (top != nullptr) RepairEncodedWords(top);
  std::vector<HeaderEntry> headers;
  CollectHeaders(GMIME_OBJECT(message.get()), &headers);
  CollectHeaders(top, &headers);
  if (headers.empty()) return Status::BadRequest("not an email message: no header found");
  std::stable_sort(headers.begin(), headers.end(),
                   [](const HeaderEntry& a, const HeaderEntry& b) { return a.offset < b.offset; });
  mail.headers.reserve(headers.size());
  for (auto& h : headers) mail.headers.emplace_back(std::move(h.name), std::move(h.value));

  mail.message_id = CleanId(View(g_mime_message_get_message_id(message.get())));
  GMimeObject* message_object = GMIME_OBJECT(message.get());
  GMimeHeaderList* list = g_mime_object_get_header_list(message_object);
  if (GMimeHeader* h = g_mime_header_list_get_header(list, "In-Reply-To")) {
    mail.in_reply_to = ParseIdList(parser_options.get(), g_mime_header_get_raw_value(h));
  }
  if (GMimeHeader* h = g_mime_header_list_get_header(list, "References")) {
    mail.references = ParseIdList(parser_options.get(), g_mime_header_get_raw_value(h));
  }

  std::vector<MailAddress> from;
  CollectMailboxes(g_mime_message_get_from(message.get()), &from);
  if (!from.empty()) mail.from = std::move(from.front());
  std::vector<MailAddress> reply_to;
  CollectMailboxes(g_mime_message_get_reply_to(message.get()), &reply_to);
  if (!reply_to.empty()) mail.reply_to = std::move(reply_to.front());
  CollectMailboxes(g_mime_message_get_to(message.get()), &mail.to);
  CollectMailboxes(g_mime_message_get_cc(message.get()), &mail.cc);

  ReadReturnPath(mail.Header("return-path"), &mail);
  mail.subject = std::string(Trim(OneLine(View(g_mime_message_get_subject(message.get())))));

  if (GDateTime* date = g_mime_message_get_date(message.get())) {
    mail.date =
        Timestamp{g_date_time_to_unix(date) * 1000 + g_date_time_get_microsecond(date) / 1000};
  } else if (!mail.Header("date").empty()) {
    defects.Add("unparseable Date header: " + Defects::Quote(mail.Header("date")));
  }

  Body body;
  Walker walker(options, parser_options.get(), &mail, &defects);
  walker.Walk(top, 1, &body);
  mail.text = std::move(body.text);
  mail.html = std::move(body.html);

  // Parts the HTML shows by cid: are inline whatever their Content-Disposition says.
  const std::unordered_set<std::string> shown = CidReferences(mail.html);
  for (auto& attachment : mail.attachments) {
    if (!attachment.content_id.empty() && shown.count(attachment.content_id) > 0) {
      attachment.is_inline = true;
    }
  }
  return mail;
}

}  // namespace steadfast::mail
