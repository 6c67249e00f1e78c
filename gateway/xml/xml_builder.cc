#include "gateway/xml/xml_builder.h"

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

void AppendS3Time(std::string* out, int64_t unix_nanos) {
  // Pure arithmetic (days-from-civil inverse, H. Hinnant's algorithm): listings format one
  // timestamp per entry, and going through a time zone costs microseconds each.
  constexpr int64_t kNanosPerSecond = 1'000'000'000;
  constexpr int64_t kSecondsPerDay = 86'400;
  int64_t seconds = unix_nanos / kNanosPerSecond;
  int64_t nanos = unix_nanos % kNanosPerSecond;
  if (nanos < 0) {  // floor, so times before the epoch format correctly
    nanos += kNanosPerSecond;
    --seconds;
  }
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  days += 719'468;  // shift the epoch to 0000-03-01
  const int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const int64_t day_of_era = days - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  char buf[24];  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
  auto put = [&buf](int pos, int width, int64_t value) {
    for (int i = width - 1; i >= 0; --i) {
      buf[pos + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  if (year < 0 || year > 9999) {
    // Not representable in four digits; no S3 timestamp is. Keep the output well-formed.
    out->append(year < 0 ? "0000-01-01T00:00:00.000Z" : "9999-12-31T23:59:59.999Z");
    return;
  }
  put(0, 4, year);
  buf[4] = '-';
  put(5, 2, month);
  buf[7] = '-';
  put(8, 2, day);
  buf[10] = 'T';
  put(11, 2, second_of_day / 3600);
  buf[13] = ':';
  put(14, 2, second_of_day / 60 % 60);
  buf[16] = ':';
  put(17, 2, second_of_day % 60);
  buf[19] = '.';
  put(20, 3, nanos / 1'000'000);
  buf[23] = 'Z';
  out->append(buf, sizeof(buf));
}

std::string FormatS3Time(int64_t unix_nanos) {
  std::string out;
  AppendS3Time(&out, unix_nanos);
  return out;
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

void XmlBuilder::OpenRoot(std::string_view name) { OpenRoot(name, kS3Namespace); }

void XmlBuilder::OpenRoot(std::string_view name, std::string_view xml_namespace) {
  out_.push_back('<');
  out_.append(name);
  out_.append(" xmlns=\"");
  out_.append(xml_namespace);
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
  AppendS3Time(&out_, unix_nanos);
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
