#include "gateway/xml/xml_builder.h"

#include <cstdio>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gateway/xml/url_encode.h"

namespace sb::gateway::xml {
namespace {

// The replacement for byte `c` in XML text, or an empty view if it is copied as is.
std::string_view Replacement(unsigned char c) {
  // Character references for the C0 controls; index = byte value. Tab and LF are legal
  // XML characters and stay literal.
  static constexpr std::string_view kControls[32] = {
      "&#x0;",  "&#x1;",  "&#x2;",  "&#x3;",  "&#x4;",  "&#x5;",  "&#x6;",  "&#x7;",
      "&#x8;",  "",       "",       "&#xB;",  "&#xC;",  "&#xD;",  "&#xE;",  "&#xF;",
      "&#x10;", "&#x11;", "&#x12;", "&#x13;", "&#x14;", "&#x15;", "&#x16;", "&#x17;",
      "&#x18;", "&#x19;", "&#x1A;", "&#x1B;", "&#x1C;", "&#x1D;", "&#x1E;", "&#x1F;"};
  if (c < 32) return kControls[c];
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&apos;";
    default:
      return {};
  }
}

void AppendUnsigned(std::string* out, uint64_t value) {
  char buf[20];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out->push_back(buf[--n]);
}

}  // namespace

void AppendEscaped(std::string* out, std::string_view text) {
  // Copy runs of safe bytes in one append; most keys have no special characters at all.
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view rep = Replacement(static_cast<unsigned char>(text[i]));
    if (rep.empty()) continue;
    out->append(text.data() + run_start, i - run_start);
    out->append(rep);
    run_start = i + 1;
  }
  out->append(text.data() + run_start, text.size() - run_start);
}

std::string FormatS3Time(int64_t unix_nanos) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time t = absl::FromUnixNanos(unix_nanos);
  const absl::CivilSecond cs = absl::ToCivilSecond(t, utc);
  // Floor to whole milliseconds (also right for times before the epoch).
  const int64_t millis = absl::ToInt64Milliseconds(t - absl::FromCivil(cs, utc));
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02d.%03lldZ",
                static_cast<long long>(cs.year()), cs.month(), cs.day(), cs.hour(), cs.minute(),
                cs.second(), static_cast<long long>(millis));
  return buf;
}

XmlBuilder::XmlBuilder(size_t reserve_bytes) { out_.reserve(reserve_bytes); }

void XmlBuilder::Declaration() { out_.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"); }

void XmlBuilder::AppendOpenTag(std::string_view name) {
  out_.push_back('<');
  out_.append(name);
  out_.push_back('>');
}

void XmlBuilder::AppendCloseTag(std::string_view name) {
  out_.append("</");
  out_.append(name);
  out_.push_back('>');
}

void XmlBuilder::Open(std::string_view name) { AppendOpenTag(name); }

void XmlBuilder::OpenRoot(std::string_view name) {
  out_.push_back('<');
  out_.append(name);
  out_.append(" xmlns=\"");
  out_.append(kS3Namespace);
  out_.append("\">");
}

void XmlBuilder::Close(std::string_view name) { AppendCloseTag(name); }

void XmlBuilder::Element(std::string_view name, std::string_view text) {
  AppendOpenTag(name);
  AppendEscaped(&out_, text);
  AppendCloseTag(name);
}

void XmlBuilder::Element(std::string_view name, uint64_t value) {
  AppendOpenTag(name);
  AppendUnsigned(&out_, value);
  AppendCloseTag(name);
}

void XmlBuilder::Element(std::string_view name, int64_t value) {
  AppendOpenTag(name);
  if (value < 0) {
    out_.push_back('-');
    // Negate in unsigned arithmetic so INT64_MIN does not overflow.
    AppendUnsigned(&out_, ~static_cast<uint64_t>(value) + 1);
  } else {
    AppendUnsigned(&out_, static_cast<uint64_t>(value));
  }
  AppendCloseTag(name);
}

void XmlBuilder::Element(std::string_view name, bool value) {
  AppendOpenTag(name);
  out_.append(value ? "true" : "false");
  AppendCloseTag(name);
}

void XmlBuilder::KeyElement(std::string_view name, std::string_view value, bool url_encode) {
  if (url_encode) {
    Element(name, S3UrlEncode(value));
  } else {
    Element(name, value);
  }
}

void XmlBuilder::TimeElement(std::string_view name, int64_t unix_nanos) {
  AppendOpenTag(name);
  out_.append(FormatS3Time(unix_nanos));
  AppendCloseTag(name);
}

void XmlBuilder::ETagElement(std::string_view name, std::string_view etag) {
  AppendOpenTag(name);
  const bool quoted = etag.size() >= 2 && etag.front() == '"' && etag.back() == '"';
  if (!quoted) out_.append("&quot;");
  AppendEscaped(&out_, etag);
  if (!quoted) out_.append("&quot;");
  AppendCloseTag(name);
}

void XmlBuilder::OwnerElement(std::string_view name, std::string_view id) {
  AppendOpenTag(name);
  Element("ID", id);
  Element("DisplayName", id);
  AppendCloseTag(name);
}

}  // namespace sb::gateway::xml
