// XmlBuilder: appends an XML document straight into a std::string (no DOM), escaping all
// text, for the S3 response writers in gateway/xml/. Also the S3 timestamp format.
// Not thread-safe; one builder per document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sb::gateway::xml {

// The namespace S3 puts on the root element of every success response.
inline constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

// Appends `text` escaped for element content or a double-quoted attribute: the five XML
// special characters become entities; CR and the C0 controls XML 1.0 cannot carry
// literally become character references (so a key with "\r" survives EOL normalization).
void AppendEscaped(std::string* out, std::string_view text);

// ISO 8601 UTC with milliseconds, as S3 writes LastModified: "2009-10-12T17:50:30.000Z".
// Sub-millisecond digits are truncated (floored). Years outside 0000..9999 are clamped.
std::string FormatS3Time(int64_t unix_nanos);
void AppendS3Time(std::string* out, int64_t unix_nanos);

class XmlBuilder {
 public:
  explicit XmlBuilder(size_t reserve_bytes = 512);

  // `<?xml version="1.0" encoding="UTF-8"?>` and a newline; call first.
  void Declaration();
  // `<name>`, or `<name xmlns="...S3...">` for a root element.
  void Open(std::string_view name);
  void OpenRoot(std::string_view name);
  void OpenRoot(std::string_view name, std::string_view xml_namespace);
  void Close(std::string_view name);
  // `<name>escaped text</name>` (an empty text gives `<name></name>`, as S3 writes it).
  void Element(std::string_view name, std::string_view text);
  void Element(std::string_view name, uint64_t value);
  void Element(std::string_view name, int64_t value);
  void Element(std::string_view name, int value) { Element(name, static_cast<int64_t>(value)); }
  void Element(std::string_view name, uint32_t value) {
    Element(name, static_cast<uint64_t>(value));
  }
  void Element(std::string_view name, bool value);
  // Disambiguates string literals from the bool overload.
  void Element(std::string_view name, const char* text) { Element(name, std::string_view(text)); }
  // Element(name, S3UrlEncode(value)) if `url_encode` (encoding-type=url), else
  // Element(name, value).
  void KeyElement(std::string_view name, std::string_view value, bool url_encode);
  // `<name>` + FormatS3Time(unix_nanos) + `</name>`.
  void TimeElement(std::string_view name, int64_t unix_nanos);
  // `<name>&quot;etag&quot;</name>`; adds the quotes unless `etag` already has them.
  void ETagElement(std::string_view name, std::string_view etag);
  // `<Owner><ID>id</ID><DisplayName>id</DisplayName></Owner>` (also used for Initiator).
  void OwnerElement(std::string_view name, std::string_view id);

  // The document so far; the builder is left empty.
  std::string Finish() { return std::move(out_); }

 private:
  void AppendOpenTag(std::string_view name);
  void AppendCloseTag(std::string_view name);

  std::string out_;
};

}  // namespace sb::gateway::xml
