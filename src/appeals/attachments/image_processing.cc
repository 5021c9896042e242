#include "appeals/attachments/image_processing.h"

#include <vips/vips.h>

#include <array>
#include <memory>
#include <mutex>

namespace lianxin::attachments {
namespace {

struct ObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
using ImagePtr = std::unique_ptr<VipsImage, ObjectUnref>;

std::unexpected<Error> FileError(std::string message) {
  vips_error_clear();
  return std::unexpected(
      Error{ErrorCode::kInvalidArgument, message, {FieldError{"file", message}}});
}

std::unexpected<Error> Undecodable() {
  return FileError("The image could not be decoded; it may be damaged or incomplete.");
}

bool HasBrand(std::string_view bytes) {
  // ISO-BMFF: size(4) "ftyp" major_brand(4) minor_version(4) compatible_brands(4 each).
  if (bytes.size() < 16 || bytes.substr(4, 4) != "ftyp") return false;
  static constexpr std::array<std::string_view, 8> kBrands = {"heic", "heix", "heim", "heis",
                                                              "hevc", "hevx", "mif1", "msf1"};
  uint32_t box = (static_cast<uint8_t>(bytes[0]) << 24) | (static_cast<uint8_t>(bytes[1]) << 16) |
                 (static_cast<uint8_t>(bytes[2]) << 8) | static_cast<uint8_t>(bytes[3]);
  size_t end = std::min<size_t>(bytes.size(), box < 16 ? 16 : box);
  for (size_t at = 8; at + 4 <= end; at += 4) {
    if (at == 12) continue;  // minor_version
    for (auto brand : kBrands) {
      if (bytes.substr(at, 4) == brand) return true;
    }
  }
  return false;
}

// The loader libvips would pick (its class name, "VipsForeignLoadJpegBuffer") must be the one
// the magic bytes named.
bool LoaderMatches(std::string_view input, ImageFormat format) {
  const char* loader = vips_foreign_find_load_buffer(input.data(), input.size());
  if (loader == nullptr) return false;
  std::string_view name(loader);
  switch (format) {
    case ImageFormat::kJpeg:
      return name.starts_with("VipsForeignLoadJpeg");
    case ImageFormat::kPng:
      return name.starts_with("VipsForeignLoadPng");
    case ImageFormat::kWebp:
      return name.starts_with("VipsForeignLoadWebp");
    case ImageFormat::kHeic:
      return name.starts_with("VipsForeignLoadHeif");
  }
  return false;
}

// Each step replaces `image` with its output, or returns false.
bool ToSrgb8(ImagePtr& image) {
  VipsImage* out = nullptr;
  if (vips_image_get_typeof(image.get(), VIPS_META_ICC_NAME) != 0) {
    if (vips_icc_transform(image.get(), &out, "srgb", "embedded", TRUE, "intent",
                           VIPS_INTENT_PERCEPTUAL, nullptr) == 0) {
      image.reset(out);
    } else {
      vips_error_clear();  // a broken profile: fall back to the plain conversion below
    }
  }
  if (vips_image_get_interpretation(image.get()) != VIPS_INTERPRETATION_sRGB ||
      vips_image_get_format(image.get()) != VIPS_FORMAT_UCHAR) {
    if (vips_colourspace(image.get(), &out, VIPS_INTERPRETATION_sRGB, nullptr) != 0) return false;
    image.reset(out);
  }
  if (vips_image_hasalpha(image.get())) {
    VipsArrayDouble* white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
    int failed = vips_flatten(image.get(), &out, "background", white, nullptr);
    vips_area_unref(VIPS_AREA(white));
    if (failed != 0) return false;
    image.reset(out);
  }
  if (vips_image_get_format(image.get()) != VIPS_FORMAT_UCHAR) {
    if (vips_cast_uchar(image.get(), &out, nullptr) != 0) return false;
    image.reset(out);
  }
  return true;
}

// libvips reports every defect of an upload as a GLib warning on stderr as well as through
// the failed call; the failure is what counts (and is answered), so the noise is dropped.
void DropWarning(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

}  // namespace

std::string_view ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kHeic:
      return "heic";
  }
  return "jpeg";
}

std::optional<ImageFormat> SniffImageFormat(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF") return ImageFormat::kJpeg;
  if (bytes.size() >= 8 && bytes.substr(0, 8) == "\x89PNG\r\n\x1A\n") return ImageFormat::kPng;
  if (bytes.size() >= 16 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP" &&
      bytes.substr(12, 3) == "VP8") {
    return ImageFormat::kWebp;
  }
  if (HasBrand(bytes)) return ImageFormat::kHeic;
  return std::nullopt;
}

bool InitImageLibrary() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    if (VIPS_INIT("lianxin") != 0) return;
    vips_cache_set_max(0);  // uploads are personal data: keep no decoded copies around
    vips_block_untrusted_set(TRUE);
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, &DropWarning, nullptr);
    ok = true;
  });
  return ok;
}

bool HeicSupported() {
  return InitImageLibrary() && vips_type_find("VipsOperation", "heifload_buffer") != 0;
}

Result<EncodedImage> ReencodeAsJpeg(std::string_view input, const ImageLimits& limits) {
  if (input.empty()) return FileError("The file is empty.");
  if (input.size() > limits.max_input_bytes) {
    return MakeError(
        ErrorCode::kTooLarge,
        "An image may be at most " + std::to_string(limits.max_input_bytes / 1048576) + " MB.");
  }
  auto format = SniffImageFormat(input);
  if (!format || (*format == ImageFormat::kHeic && !HeicSupported())) {
    return MakeError(ErrorCode::kUnsupportedMedia, HeicSupported()
                                                       ? "Upload a JPEG, PNG, WebP or HEIC image."
                                                       : "Upload a JPEG, PNG or WebP image.");
  }
  if (!InitImageLibrary()) return MakeError(ErrorCode::kInternal, "libvips did not start");
  if (!LoaderMatches(input, *format)) return Undecodable();

  // The header alone (lazy, sequential): refuse decompression bombs before decoding.
  ImagePtr header(vips_image_new_from_buffer(input.data(), input.size(), "", "access",
                                             VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR,
                                             nullptr));
  if (!header) return Undecodable();
  int64_t width = vips_image_get_width(header.get());
  int64_t height = vips_image_get_height(header.get());
  if (width <= 0 || height <= 0) return Undecodable();
  if (width * height > limits.max_pixels) {
    return FileError("The image has more than " + std::to_string(limits.max_pixels / 1'000'000) +
                     " megapixels.");
  }
  header.reset();

  // Shrink-on-load where the format allows it; turned upright by the EXIF orientation.
  VipsImage* raw = nullptr;
  if (vips_thumbnail_buffer(const_cast<char*>(input.data()), input.size(), &raw, limits.max_side,
                            "height", limits.max_side, "size", VIPS_SIZE_DOWN, "option_string",
                            "fail_on=error", nullptr) != 0) {
    return Undecodable();
  }
  ImagePtr image(raw);
  if (!ToSrgb8(image)) return Undecodable();

  void* buffer = nullptr;
  size_t length = 0;
  if (vips_jpegsave_buffer(image.get(), &buffer, &length, "Q", limits.jpeg_quality, "strip", TRUE,
                           "optimize_coding", TRUE, nullptr) != 0) {
    return Undecodable();
  }
  EncodedImage out;
  out.jpeg.assign(static_cast<const char*>(buffer), length);
  g_free(buffer);
  out.width = vips_image_get_width(image.get());
  out.height = vips_image_get_height(image.get());
  return out;
}

}  // namespace lianxin::attachments
