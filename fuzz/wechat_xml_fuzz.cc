// libFuzzer target for the WeChat XML reader (src/channels/wechat/xml.cc). Also linked into
// wechat_test, which runs it over the hostile seed corpus in
// src/channels/wechat/testdata/xml_corpus on every test run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "channels/wechat/xml.h"
#include "core/text.h"

namespace {

// Aborts (a crash libFuzzer reports) when an invariant does not hold.
void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  lianxin::wechat::XmlLimits limits;
  limits.max_bytes = 16 * 1024;
  limits.max_elements = 16;
  auto doc = lianxin::wechat::ParseXml(input, limits);
  if (!doc) {
    Check(doc.error().code == lianxin::ErrorCode::kMalformed ||
          doc.error().code == lianxin::ErrorCode::kTooLarge);
    return 0;
  }
  Check(input.size() <= limits.max_bytes);
  Check(doc->fields().size() < limits.max_elements);
  size_t total = 0;
  for (const auto& [name, value] : doc->fields()) {
    Check(!name.empty() && name.size() <= 64);
    Check(lianxin::IsValidUtf8(value));
    total += value.size();
  }
  // Decoding only shrinks: no entity expands beyond its reference.
  Check(total <= input.size());
  // What we write we can read back when no value needs a split CDATA section.
  lianxin::wechat::XmlWriter writer;
  bool splittable = false;
  for (const auto& [name, value] : doc->fields()) {
    writer.Text(name, value);
    if (value.find("]]>") != std::string_view::npos) splittable = true;
  }
  auto again = lianxin::wechat::ParseXml(writer.Finish(), {.max_bytes = 1 << 20});
  if (!splittable) {
    Check(again.has_value());
    Check(again->fields().size() == doc->fields().size());
    for (size_t i = 0; i < doc->fields().size(); ++i) {
      // CR characters are kept verbatim in CDATA, so values round-trip exactly.
      Check(again->fields()[i] == doc->fields()[i]);
    }
  }
  return 0;
}
