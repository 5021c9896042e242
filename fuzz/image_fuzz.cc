// libFuzzer target for the image upload pipeline (ReencodeAsJpeg: magic bytes, libvips
// decoding within limits, re-encoding). Also linked into attachments_test, which runs it over
// a seed corpus of hostile inputs on every test run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "appeals/attachments/image_processing.h"

namespace {

// Aborts (a crash libFuzzer reports) when an invariant does not hold.
void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  lianxin::attachments::ImageLimits limits;
  limits.max_pixels = 4'000'000;  // keep each run fast
  limits.max_side = 256;
  auto image = lianxin::attachments::ReencodeAsJpeg(input, limits);
  if (!image) {
    auto code = image.error().code;
    Check(code == lianxin::ErrorCode::kInvalidArgument ||
          code == lianxin::ErrorCode::kUnsupportedMedia || code == lianxin::ErrorCode::kTooLarge);
    return 0;
  }
  const std::string& jpeg = image->jpeg;
  Check(jpeg.size() >= 4 && jpeg.starts_with("\xFF\xD8\xFF") && jpeg.ends_with("\xFF\xD9"));
  Check(image->width >= 1 && image->height >= 1);
  Check(image->width <= limits.max_side && image->height <= limits.max_side);
  // No metadata survives: no APP1 (EXIF/XMP) or APP2 (ICC) segment.
  Check(jpeg.find("Exif") == std::string::npos);
  Check(jpeg.find("http://ns.adobe.com/xap") == std::string::npos);
  Check(jpeg.find("ICC_PROFILE") == std::string::npos);
  return 0;
}
