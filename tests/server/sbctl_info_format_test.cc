#include <boost/json.hpp>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "server/sbctl/info_cmd.h"
#include "server/sbctl/table.h"

namespace sb::sbctl {
namespace {

std::string Render(const char* json) {
  std::ostringstream out;
  PrintInfo(boost::json::parse(json).as_object(), "local", "http://h:9000", out);
  return out.str();
}

TEST(InfoFormatTest, FullDocument) {
  EXPECT_EQ(Render(R"({"version":"0.1.0","uptime_seconds":90061,"deployment_id":"dep-1",
                       "drives":[{"path":"/d1","state":"ok"},{"path":"/data/d2","state":"faulty"}],
                       "data_shards":4,"parity_shards":1,"buckets":3,"objects":10})"),
            "Server:          local (http://h:9000)\n"
            "Version:         0.1.0\n"
            "Uptime:          1d 1h 1m 1s\n"
            "Deployment ID:   dep-1\n"
            "Erasure coding:  4 data + 1 parity shards (tolerates 1 lost drive)\n"
            "Buckets:         3\n"
            "Objects:         10\n"
            "\n"
            "Drives: 2 (1 faulty, 1 ok)\n"
            "  PATH      STATE\n"
            "  /d1       ok\n"
            "  /data/d2  faulty\n");
}

TEST(InfoFormatTest, MissingFieldsAreSkipped) {
  EXPECT_EQ(Render(R"({"version":"0.2.0"})"),
            "Server:   local (http://h:9000)\n"
            "Version:  0.2.0\n");
  EXPECT_EQ(Render(R"({})"), "Server:  local (http://h:9000)\n");
  EXPECT_EQ(Render(R"({"data_shards":2})"),
            "Server:       local (http://h:9000)\n"
            "Data shards:  2\n");
}

TEST(InfoFormatTest, ExtraAndMistypedFieldsAreShownNotFatal) {
  const std::string out =
      Render(R"({"version":1.5,"uptime_seconds":"forever","region":"eu-1","pools":[1,2],
                 "objects":null,"drives":[{"path":"/d1","state":"ok","free_bytes":1024},"weird"],
                 "healing":true})");
  EXPECT_NE(out.find("Version:  1.5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Uptime:   forever\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Objects:  -\n"), std::string::npos) << out;
  EXPECT_NE(out.find("region:   eu-1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("pools:    [1,2]\n"), std::string::npos) << out;
  EXPECT_NE(out.find("healing:  true\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  PATH   STATE  FREE_BYTES\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  /d1    ok     1024\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  weird\n"), std::string::npos) << out;
  // A "drives" that is not a list is shown as a plain field.
  EXPECT_NE(Render(R"({"drives":"n/a"})").find("drives:  n/a\n"), std::string::npos);
}

TEST(InfoFormatTest, ServerTextCannotBreakLines) {
  const std::string out = Render(R"({"version":"1\n2\u001b[2J","deployment_id":"a\r\nb"})");
  EXPECT_NE(out.find("Version:        1 2 [2J\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Deployment ID:  a b\n"), std::string::npos) << out;
}

TEST(InfoFormatTest, FormatDuration) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(59), "59s");
  EXPECT_EQ(FormatDuration(60), "1m");
  EXPECT_EQ(FormatDuration(123), "2m 3s");
  EXPECT_EQ(FormatDuration(3600 * 24 * 3 + 7), "3d 7s");
}

TEST(TableTest, AlignsColumnsAndPadsMissingCells) {
  Table t({"A", "LONG HEADER", "C"});
  t.AddRow({"wide value", "x", "last"});
  t.AddRow({"y"});
  std::ostringstream out;
  t.Print(out, 1);
  EXPECT_EQ(out.str(),
            " A           LONG HEADER  C\n"
            " wide value  x            last\n"
            " y\n");
}

}  // namespace
}  // namespace sb::sbctl
