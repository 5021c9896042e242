// Untrusted image uploads made safe to store and serve: recognised by content, decoded by
// libvips within limits, turned upright, downsized and re-encoded as a plain JPEG without any
// metadata. libvips is used only in this folder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace lianxin::attachments {

enum class ImageFormat { kJpeg, kPng, kWebp, kHeic };
// "jpeg" / "png" / "webp" / "heic".
std::string_view ImageFormatName(ImageFormat format);

// The format `bytes` start like (magic bytes), or nullopt. HEIC means an ISO-BMFF "ftyp" box
// with a HEIF brand (heic, heix, heim, heis, hevc, hevx, mif1, msf1).
std::optional<ImageFormat> SniffImageFormat(std::string_view bytes);

// Starts libvips once per process (thread-safe; later calls return the first result) with
// the operation cache off and the loaders libvips marks untrusted blocked. False when it
// cannot start.
bool InitImageLibrary();
// True when this libvips build decodes HEIC (the heif module with an HEVC decoder).
bool HeicSupported();

struct ImageLimits {
  size_t max_input_bytes = 5 * 1024 * 1024;
  int64_t max_pixels = 40'000'000;  // width × height of the decoded input
  int max_side = 2048;              // the output's long side at most
  int jpeg_quality = 85;
};

struct EncodedImage {
  std::string jpeg;  // baseline JPEG, sRGB, 8-bit, no EXIF/GPS/XMP/IPTC/ICC
  int width = 0;
  int height = 0;
};

// Re-encodes an uploaded image. Errors: kInvalidArgument for an empty input, kTooLarge for
// more than max_input_bytes, kUnsupportedMedia when the content is not JPEG, PNG, WebP (or
// HEIC where supported), kInvalidArgument with field "file" when it is larger than
// max_pixels (decided from the header, before decoding) or cannot be decoded completely
// (truncated or corrupt: libvips fail_on=error). Thread-safe.
Result<EncodedImage> ReencodeAsJpeg(std::string_view input, const ImageLimits& limits = {});

}  // namespace lianxin::attachments
