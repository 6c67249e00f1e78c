// multipart/form-data reading for POST Object: fields before the file, the file streamed up to
// its closing delimiter with reads of every size (delimiters split across reads), CRLF
// handling, bounds, and malformed bodies.
#include "gateway/post_form.h"

#include <string>

#include "common/error_reason.h"
#include "gtest/gtest.h"
#include "tests/gateway/sigv4_test_util.h"

namespace sb::gateway {
namespace {

using testing::ReadAll;
using testing::StringSource;

constexpr char kBoundary[] = "----sbBoundary7MA4YWxkTrZu0gW";

std::string Part(std::string_view name, std::string_view value) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" +
         std::string(name) + "\"\r\n\r\n" + std::string(value) + "\r\n";
}

std::string FilePart(std::string_view content, std::string_view filename = "photo.jpg") {
  return "--" + std::string(kBoundary) +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + std::string(filename) +
         "\"\r\nContent-Type: image/jpeg\r\n\r\n" + std::string(content) + "\r\n";
}

std::string Close() { return "--" + std::string(kBoundary) + "--\r\n"; }

TEST(MultipartBoundaryTest, ParsesQuotedAndPlain) {
  auto b = MultipartBoundary("multipart/form-data; boundary=abc123");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*b, "abc123");
  b = MultipartBoundary("Multipart/Form-Data; charset=utf-8; Boundary=\"a b;c\"");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*b, "a b;c");
}

TEST(MultipartBoundaryTest, RefusesOtherTypesAndBadBoundaries) {
  EXPECT_EQ(GetReason(MultipartBoundary("application/x-www-form-urlencoded").status()),
            ErrorReason::kMalformedPostRequest);
  EXPECT_EQ(GetReason(MultipartBoundary("multipart/form-data").status()),
            ErrorReason::kMalformedPostRequest);
  EXPECT_EQ(GetReason(MultipartBoundary("multipart/form-data; boundary=").status()),
            ErrorReason::kMalformedPostRequest);
  EXPECT_EQ(
      GetReason(
          MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')).status()),
      ErrorReason::kMalformedPostRequest);
}

// Every read size from 1 byte up: the fields and the file come out the same.
TEST(MultipartFormSourceTest, FieldsThenFileAtEveryReadSize) {
  const std::string content = "line one\r\nline two\r\n--not-the-boundary\r\n-";
  const std::string body = Part("Key", "uploads/${filename}") + Part("x-amz-meta-Note", "a\r\nb") +
                           FilePart(content) + Part("after", "ignored") + Close();
  for (size_t step : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{31}, size_t{64 * 1024}}) {
    SCOPED_TRACE(step);
    StringSource raw(body, step);
    MultipartFormSource src(&raw, kBoundary);
    auto form = src.ReadFields();
    ASSERT_TRUE(form.ok()) << form.status();
    ASSERT_EQ(form->fields.size(), 2u);
    EXPECT_EQ(form->fields[0].first, "key");  // names are lowercased
    EXPECT_EQ(form->fields[0].second, "uploads/${filename}");
    EXPECT_EQ(form->fields[1].first, "x-amz-meta-note");
    EXPECT_EQ(form->fields[1].second, "a\r\nb");  // inner CRLF kept, the part's last dropped
    EXPECT_EQ(form->filename, "photo.jpg");
    EXPECT_EQ(form->file_content_type, "image/jpeg");
    auto file = ReadAll(src, step == 1 ? 1 : 4096);
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_EQ(*file, content);
    EXPECT_EQ(src.file_bytes(), content.size());
    // The body after the file was drained.
    char c;
    auto rest = raw.Read(&c, 1);
    ASSERT_TRUE(rest.ok());
    EXPECT_EQ(*rest, 0u);
  }
}

TEST(MultipartFormSourceTest, EmptyFileAndPreamble) {
  const std::string body = "preamble text\r\n" + Part("key", "k") + FilePart("") + Close();
  StringSource raw(body, 5);
  MultipartFormSource src(&raw, kBoundary);
  auto form = src.ReadFields();
  ASSERT_TRUE(form.ok()) << form.status();
  auto file = ReadAll(src, 100);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(*file, "");
}

TEST(MultipartFormSourceTest, MissingFinalBoundaryIsAnError) {
  const std::string body = Part("key", "k") + "--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc";
  StringSource raw(body, 4);
  MultipartFormSource src(&raw, kBoundary);
  ASSERT_TRUE(src.ReadFields().ok());
  auto file = ReadAll(src, 16);
  EXPECT_EQ(GetReason(file.status()), ErrorReason::kMalformedPostRequest);
}

TEST(MultipartFormSourceTest, BodyEndingInsideTheFieldsIsAnError) {
  StringSource raw(Part("key", "k") + "--" + kBoundary + "\r\nContent-Disposition: form-da", 3);
  MultipartFormSource src(&raw, kBoundary);
  EXPECT_EQ(GetReason(src.ReadFields().status()), ErrorReason::kMalformedPostRequest);
  StringSource raw2(Part("key", "k") + "--" + kBoundary +
                    "\r\nContent-Disposition: form-data; "
                    "name=\"acl\"\r\n\r\nprivate");
  MultipartFormSource src2(&raw2, kBoundary);
  EXPECT_EQ(GetReason(src2.ReadFields().status()), ErrorReason::kMalformedPostRequest);
}

TEST(MultipartFormSourceTest, NoFilePart) {
  StringSource raw(Part("key", "k") + Close());
  MultipartFormSource src(&raw, kBoundary);
  EXPECT_EQ(GetReason(src.ReadFields().status()), ErrorReason::kInvalidArgument);
}

TEST(MultipartFormSourceTest, RefusesMalformedParts) {
  // A delimiter followed by neither CRLF nor "--".
  StringSource a("--" + std::string(kBoundary) + "xx\r\n");
  MultipartFormSource sa(&a, kBoundary);
  EXPECT_EQ(GetReason(sa.ReadFields().status()), ErrorReason::kMalformedPostRequest);
  // A part without a name.
  StringSource b("--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data\r\n\r\nv\r\n" +
                 Close());
  MultipartFormSource sb(&b, kBoundary);
  EXPECT_EQ(GetReason(sb.ReadFields().status()), ErrorReason::kMalformedPostRequest);
  // A header line without a colon.
  StringSource c("--" + std::string(kBoundary) + "\r\nnonsense\r\n\r\nv\r\n" + Close());
  MultipartFormSource sc(&c, kBoundary);
  EXPECT_EQ(GetReason(sc.ReadFields().status()), ErrorReason::kMalformedPostRequest);
  // No delimiter at all.
  StringSource d("just some bytes");
  MultipartFormSource sd(&d, kBoundary);
  EXPECT_EQ(GetReason(sd.ReadFields().status()), ErrorReason::kMalformedPostRequest);
}

TEST(MultipartFormSourceTest, FieldsAreBounded) {
  const std::string big(300, 'v');
  std::string body;
  for (int i = 0; i < 10; ++i) body += Part("x-amz-meta-f" + std::to_string(i), big);
  body += FilePart("data") + Close();
  StringSource ok_raw(body, 100);
  MultipartFormSource ok_src(&ok_raw, kBoundary, 4096);
  EXPECT_TRUE(ok_src.ReadFields().ok());
  StringSource raw(body, 100);
  MultipartFormSource src(&raw, kBoundary, 2048);
  EXPECT_EQ(GetReason(src.ReadFields().status()), ErrorReason::kMaxPostPreDataLengthExceeded);
  // One endless header line is bounded too.
  StringSource line("--" + std::string(kBoundary) + "\r\nX-Long: " + std::string(5000, 'h'), 64);
  MultipartFormSource lsrc(&line, kBoundary, 1024);
  EXPECT_EQ(GetReason(lsrc.ReadFields().status()), ErrorReason::kMaxPostPreDataLengthExceeded);
}

TEST(MultipartFormSourceTest, WhatFollowsTheFileIsBounded) {
  const std::string head = Part("key", "k") + FilePart("abc");
  StringSource ok_raw(head + Part("after", std::string(1000, 'a')) + Close(), 4096);
  MultipartFormSource ok_src(&ok_raw, kBoundary);
  ASSERT_TRUE(ok_src.ReadFields().ok());
  auto file = ReadAll(ok_src, 4096);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(*file, "abc");
  StringSource raw(head + Part("after", std::string(kMaxPostBytesAfterFile + 1, 'a')) + Close(),
                   64 * 1024);
  MultipartFormSource src(&raw, kBoundary);
  ASSERT_TRUE(src.ReadFields().ok());
  EXPECT_EQ(GetReason(ReadAll(src, 4096).status()), ErrorReason::kMalformedPostRequest);
}

TEST(MultipartFormSourceTest, ReadBeforeFieldsFails) {
  StringSource raw(Part("key", "k") + FilePart("x") + Close());
  MultipartFormSource src(&raw, kBoundary);
  char buf[4];
  EXPECT_FALSE(src.Read(buf, sizeof(buf)).ok());
}

TEST(MultipartFormSourceTest, BodyErrorsPassThrough) {
  StringSource raw(Part("key", "k") + FilePart("abc"));
  raw.FailAtEnd(MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kIncompleteBody, "x"));
  MultipartFormSource src(&raw, kBoundary);
  ASSERT_TRUE(src.ReadFields().ok());
  // The body fails before the file's delimiter: its own error, not a parse error.
  EXPECT_EQ(GetReason(ReadAll(src, 64).status()), ErrorReason::kIncompleteBody);
}

}  // namespace
}  // namespace sb::gateway
