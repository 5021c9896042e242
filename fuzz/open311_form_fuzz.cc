// libFuzzer target for the Open311 form parser (src/channels/open311/form.cc). Also linked
// into open311_test, which runs it over a seed corpus of hostile inputs on every test run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "channels/open311/form.h"
#include "core/text.h"

namespace {

// Aborts (a crash libFuzzer reports) when an invariant does not hold.
void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  lianxin::open311::FormLimits limits;
  auto form = lianxin::open311::ParseForm(input, limits);
  if (!form) {
    Check(form.error().code == lianxin::ErrorCode::kMalformed ||
          form.error().code == lianxin::ErrorCode::kTooLarge);
    Check(!form.error().message.empty() && lianxin::IsValidUtf8(form.error().message));
    return 0;
  }
  Check(input.size() <= limits.max_bytes);
  Check(form->fields().size() <= limits.max_fields);
  std::set<std::string> names;
  for (const auto& [name, value] : form->fields()) {
    Check(!name.empty() && name.size() <= limits.max_name_bytes);
    Check(value.size() <= limits.max_value_bytes);
    Check(lianxin::IsValidUtf8(name) && lianxin::IsValidUtf8(value));
    Check(name.find('\0') == std::string::npos && value.find('\0') == std::string::npos);
    Check(names.insert(name).second || name.ends_with("[]"));
    Check(form->Get(name).has_value());
  }
  return 0;
}
