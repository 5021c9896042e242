#include <gtest/gtest.h>
#include <vips/vips.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "appeals/attachments/attachment_service.h"
#include "appeals/attachments/image_processing.h"
#include "appeals/attachments/routes.h"
#include "storage/migrations.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace lianxin::attachments {
namespace {

// ---------------------------------------------------------------------------------------
// Test images, made with libvips itself.

struct Unref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
using ImagePtr = std::unique_ptr<VipsImage, Unref>;

// A w×h sRGB image: the top-left quadrant red, the rest blue (so rotation is visible).
ImagePtr Quadrants(int width, int height, int bands = 3) {
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * bands);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &pixels[(static_cast<size_t>(y) * width + x) * bands];
      bool red = x < width / 2 && y < height / 2;
      p[0] = red ? 255 : 0;
      p[1] = 0;
      p[2] = red ? 0 : 255;
      if (bands == 4) p[3] = 255;
    }
  }
  VipsImage* raw = vips_image_new_from_memory_copy(pixels.data(), pixels.size(), width, height,
                                                   bands, VIPS_FORMAT_UCHAR);
  VipsImage* typed = nullptr;
  EXPECT_EQ(vips_copy(raw, &typed, "interpretation", VIPS_INTERPRETATION_sRGB, nullptr), 0);
  g_object_unref(raw);
  return ImagePtr(typed);
}

std::string Save(VipsImage* image, const char* format) {
  void* buffer = nullptr;
  size_t length = 0;
  int failed = 0;
  if (std::string_view(format) == "jpeg") {
    failed = vips_jpegsave_buffer(image, &buffer, &length, "Q", 90, nullptr);
  } else if (std::string_view(format) == "png") {
    failed = vips_pngsave_buffer(image, &buffer, &length, nullptr);
  } else {
    failed = vips_webpsave_buffer(image, &buffer, &length, nullptr);
  }
  EXPECT_EQ(failed, 0) << vips_error_buffer();
  std::string out(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return out;
}

// A phone photo: EXIF with GPS position, camera make and an orientation of 6 (stored sideways:
// turn 90° clockwise to view).
std::string PhotoWithGps(int width, int height) {
  ImagePtr image = Quadrants(width, height);
  vips_image_set_int(image.get(), "orientation", 6);
  vips_image_set_string(image.get(), "exif-ifd0-Make", "LianxinTestPhone");
  vips_image_set_string(image.get(), "exif-ifd3-GPSLatitudeRef", "N");
  vips_image_set_string(image.get(), "exif-ifd3-GPSLatitude", "29/1 33/1 3600/100");
  vips_image_set_string(image.get(), "exif-ifd3-GPSLongitudeRef", "E");
  vips_image_set_string(image.get(), "exif-ifd3-GPSLongitude", "106/1 33/1 0/1");
  return Save(image.get(), "jpeg");
}

bool HasField(std::string_view bytes, const char* prefix) {
  ImagePtr image(vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr));
  if (!image) return false;
  gchar** fields = vips_image_get_fields(image.get());
  bool found = false;
  for (gchar** f = fields; *f != nullptr; ++f) {
    if (std::string_view(*f).starts_with(prefix)) found = true;
  }
  g_strfreev(fields);
  return found;
}

// The pixel at (x, y) of a JPEG, as its first three bands.
std::vector<double> PixelAt(std::string_view jpeg, int x, int y) {
  ImagePtr image(vips_image_new_from_buffer(jpeg.data(), jpeg.size(), "", nullptr));
  double* values = nullptr;
  int n = 0;
  EXPECT_EQ(vips_getpoint(image.get(), &values, &n, x, y, nullptr), 0);
  std::vector<double> out(values, values + n);
  g_free(values);
  return out;
}

uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string BigEndian32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string PngChunk(std::string_view type, std::string_view data) {
  std::string body = std::string(type) + std::string(data);
  return BigEndian32(static_cast<uint32_t>(data.size())) + body + BigEndian32(Crc32(body));
}

// A PNG header claiming width × height RGB pixels, with a tiny (invalid) IDAT after it.
std::string PngBomb(uint32_t width, uint32_t height) {
  std::string ihdr =
      BigEndian32(width) + BigEndian32(height) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1A\n", 8) + PngChunk("IHDR", ihdr) +
         PngChunk("IDAT", std::string("\x78\x9C\x03\x00\x00\x00\x00\x01", 8)) +
         PngChunk("IEND", "");
}

class ImageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitImageLibrary()); }
};

// ---------------------------------------------------------------------------------------
// ReencodeAsJpeg.

TEST_F(ImageTest, SniffsByContentNotByName) {
  struct Case {
    std::string bytes;
    std::optional<ImageFormat> format;
  };
  std::vector<Case> cases = {
      {std::string("\xFF\xD8\xFF\xE0", 4), ImageFormat::kJpeg},
      {std::string("\x89PNG\r\n\x1A\n", 8), ImageFormat::kPng},
      {std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16), ImageFormat::kWebp},
      {std::string("\x00\x00\x00\x18"
                   "ftypheic\x00\x00\x00\x00mif1",
                   20),
       ImageFormat::kHeic},
      {std::string("\x00\x00\x00\x18"
                   "ftypisom\x00\x00\x00\x00mp41",
                   20),
       std::nullopt},
      {"GIF89a......", std::nullopt},
      {"<svg xmlns='http://www.w3.org/2000/svg'/>", std::nullopt},
      {"%PDF-1.7", std::nullopt},
      {"RIFF\x10\x00\x00\x00WAVEfmt ", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(SniffImageFormat(c.bytes), c.format) << c.bytes;
}

TEST_F(ImageTest, StripsExifAndGpsAndTurnsThePhotoUpright) {
  std::string photo = PhotoWithGps(400, 200);
  // The generator really wrote the metadata.
  ASSERT_TRUE(HasField(photo, "exif-ifd3-GPSLatitude"));
  ASSERT_NE(photo.find("Exif"), std::string::npos);
  ASSERT_NE(photo.find("LianxinTestPhone"), std::string::npos);

  auto out = ReencodeAsJpeg(photo);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  // Orientation 6: 400×200 stored is 200×400 upright; the stored top-left (red) quadrant is
  // now top-right.
  EXPECT_EQ(out->width, 200);
  EXPECT_EQ(out->height, 400);
  auto top_right = PixelAt(out->jpeg, 150, 50);
  auto top_left = PixelAt(out->jpeg, 50, 50);
  EXPECT_GT(top_right[0], 200);
  EXPECT_LT(top_right[2], 60);
  EXPECT_LT(top_left[0], 60);
  EXPECT_GT(top_left[2], 200);

  EXPECT_EQ(out->jpeg.find("Exif"), std::string::npos);
  EXPECT_EQ(out->jpeg.find("LianxinTestPhone"), std::string::npos);
  EXPECT_FALSE(HasField(out->jpeg, "exif-"));
  EXPECT_FALSE(HasField(out->jpeg, "icc-profile-data"));
  EXPECT_FALSE(HasField(out->jpeg, "xmp-data"));
  EXPECT_FALSE(HasField(out->jpeg, "orientation") &&
               PixelAt(out->jpeg, 0, 0).empty());  // orientation, if any, is the default
  ImagePtr decoded(vips_image_new_from_buffer(out->jpeg.data(), out->jpeg.size(), "", nullptr));
  int orientation = 1;
  if (vips_image_get_typeof(decoded.get(), "orientation") != 0) {
    vips_image_get_int(decoded.get(), "orientation", &orientation);
  }
  EXPECT_EQ(orientation, 1);
}

TEST_F(ImageTest, DownsizesToTheLongSideAndConvertsPngAndWebp) {
  ImagePtr big = Quadrants(3000, 1500, 4);  // with an alpha channel
  for (const char* format : {"png", "webp"}) {
    std::string input = Save(big.get(), format);
    auto out = ReencodeAsJpeg(input);
    ASSERT_TRUE(out.has_value()) << format << ": " << out.error().message;
    EXPECT_EQ(out->width, 2048) << format;
    EXPECT_EQ(out->height, 1024) << format;
    EXPECT_TRUE(out->jpeg.starts_with("\xFF\xD8\xFF")) << format;
    ImagePtr decoded(vips_image_new_from_buffer(out->jpeg.data(), out->jpeg.size(), "", nullptr));
    EXPECT_EQ(vips_image_get_bands(decoded.get()), 3) << format;
  }
  // A small image is not enlarged.
  ImagePtr small = Quadrants(64, 48);
  auto out = ReencodeAsJpeg(Save(small.get(), "png"));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->width, 64);
  EXPECT_EQ(out->height, 48);
}

TEST_F(ImageTest, RejectsWhatIsNotAWholeImage) {
  // A text file named .jpg.
  auto text = ReencodeAsJpeg("Hello, this is not a photo.\n");
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().code, ErrorCode::kUnsupportedMedia);

  // A JPEG cut in half.
  ImagePtr image = Quadrants(600, 400);
  std::string jpeg = Save(image.get(), "jpeg");
  auto truncated = ReencodeAsJpeg(std::string_view(jpeg).substr(0, jpeg.size() / 2));
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(truncated.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(truncated.error().fields.size(), 1u);
  EXPECT_EQ(truncated.error().fields[0].field, "file");

  // JPEG magic bytes followed by garbage.
  auto garbage = ReencodeAsJpeg(std::string("\xFF\xD8\xFF\xE0", 4) + std::string(500, 'x'));
  ASSERT_FALSE(garbage.has_value());
  EXPECT_EQ(garbage.error().code, ErrorCode::kInvalidArgument);

  auto empty = ReencodeAsJpeg("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ImageTest, RefusesADecompressionBombFromItsHeader) {
  std::string bomb = PngBomb(100000, 100000);
  ASSERT_LT(bomb.size(), 100u);
  auto start = std::chrono::steady_clock::now();
  auto out = ReencodeAsJpeg(bomb);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(out.error().message.find("megapixels"), std::string::npos) << out.error().message;
  EXPECT_LT(took, std::chrono::seconds(2));

  // Just above the 40-megapixel limit is refused the same way; below it is decoded (and
  // found broken, as the pixel data is missing).
  auto above = ReencodeAsJpeg(PngBomb(8000, 5001));
  ASSERT_FALSE(above.has_value());
  EXPECT_NE(above.error().message.find("megapixels"), std::string::npos);
  auto below = ReencodeAsJpeg(PngBomb(100, 100));
  ASSERT_FALSE(below.has_value());
  EXPECT_EQ(below.error().message.find("megapixels"), std::string::npos);
}

TEST_F(ImageTest, RefusesAnOversizedBody) {
  ImageLimits limits;
  std::string body = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(limits.max_input_bytes, 'x');
  auto out = ReencodeAsJpeg(body, limits);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kTooLarge);
}

TEST_F(ImageTest, FuzzEntryPointSurvivesTheSeeds) {
  ImagePtr image = Quadrants(120, 80);
  std::string jpeg = Save(image.get(), "jpeg");
  std::string png = Save(image.get(), "png");
  std::vector<std::string> seeds = {
      "",
      "x",
      jpeg,
      png,
      Save(image.get(), "webp"),
      PhotoWithGps(90, 60),
      jpeg.substr(0, jpeg.size() / 3),
      png.substr(0, png.size() - 20),
      PngBomb(100000, 100000),
      PngBomb(1, 1),
      PngBomb(0, 0),
      std::string("\xFF\xD8\xFF", 3),
      std::string("\x89PNG\r\n\x1A\n", 8),
      std::string("RIFF\x00\x00\x00\x00WEBPVP8X", 16) + std::string(64, '\0'),
      std::string("\x00\x00\x00\x18"
                  "ftypheic\x00\x00\x00\x00mif1",
                  20) +
          std::string(64, 'A'),
  };
  // Bit flips through the header of the JPEG and the PNG.
  for (size_t i = 0; i < 64; i += 3) {
    std::string flipped = jpeg;
    flipped[i % flipped.size()] ^= 0x5A;
    seeds.push_back(flipped);
    flipped = png;
    flipped[i % flipped.size()] ^= 0x5A;
    seeds.push_back(flipped);
  }
  for (const auto& seed : seeds) {
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(seed.data()), seed.size()),
              0);
  }
}

// ---------------------------------------------------------------------------------------
// AttachmentService and routes, on SQLite (and PostgreSQL with LIANXIN_TEST_POSTGRES_URL).

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const DataProtector& TestProtector() {
  static const DataProtector protector =
      *DataProtector::Create(std::string(DataProtector::kKeyBytes, 'k'));
  return protector;
}

class AttachmentServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitImageLibrary());
    dir_ = std::filesystem::temp_directory_path() / ("lianxin-attachments-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    std::string location = (dir_ / "test.db").string();
    if (GetParam() == "postgres") {
      const char* url = std::getenv("LIANXIN_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') GTEST_SKIP() << "LIANXIN_TEST_POSTGRES_URL is not set";
      base_url_ = url;
      schema_ = "attachments_" + RandomHex(6);
      auto admin = storage::OpenDatabase(base_url_, {.reader_connections = 0});
      ASSERT_TRUE(admin.has_value()) << admin.error().message;
      ASSERT_TRUE((*admin)->Write<void>(
          [&](storage::Session& s) { return s.ExecuteScript("CREATE SCHEMA " + schema_); }));
      std::string sep = base_url_.find('?') == std::string::npos ? "?" : "&";
      location = base_url_ + sep + "options=-c%20search_path%3D" + schema_;
    }
    auto db = storage::OpenDatabase(location);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = std::move(*db);
    auto migrated = storage::Migrate(*db_);
    ASSERT_TRUE(migrated.has_value()) << migrated.error().message;
    service_ = std::make_unique<AttachmentService>(*db_, TestProtector(), clock_,
                                                   AttachmentOptions{.directory = dir_ / "files"});
  }

  void TearDown() override {
    service_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
    if (!schema_.empty()) {
      auto admin = storage::OpenDatabase(base_url_, {.reader_connections = 0});
      if (admin) {
        (void)(*admin)->Write<void>([&](storage::Session& s) {
          return s.ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
        });
      }
    }
  }

  std::string SmallPng() {
    ImagePtr image = Quadrants(64, 48);
    return Save(image.get(), "png");
  }

  std::filesystem::path dir_;
  std::string base_url_;
  std::string schema_;
  std::unique_ptr<storage::Database> db_;
  FakeClock clock_;
  std::unique_ptr<AttachmentService> service_;
};

TEST_P(AttachmentServiceTest, StoresOnDiskAndLoadsTheSameJpeg) {
  auto info = service_->Store(PhotoWithGps(400, 200), Owner{});
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->width, 200);
  EXPECT_EQ(info->height, 400);
  EXPECT_EQ(info->created_at, clock_.NowMillis());
  auto file = dir_ / "files" / info->sha256.substr(0, 2) / info->sha256.substr(2, 2) /
              (info->sha256 + ".jpg");
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_EQ(std::filesystem::file_size(file), static_cast<uintmax_t>(info->bytes));

  auto loaded = service_->Load(info->id);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(loaded->jpeg, ReadFile(file));
  EXPECT_EQ(loaded->jpeg.find("Exif"), std::string::npos);
  EXPECT_EQ(Sha256Hex(loaded->jpeg), info->sha256);

  // A file changed on disk is not served.
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "tampered";
  }
  EXPECT_EQ(service_->Load(info->id).error().code, ErrorCode::kInternal);
  EXPECT_EQ(service_->Load(info->id + 1000).error().code, ErrorCode::kNotFound);
}

TEST_P(AttachmentServiceTest, AttachesAtMostFivePerAppeal) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    auto info = service_->Store(SmallPng(), Owner{});
    ASSERT_TRUE(info.has_value()) << info.error().message;
    ids.push_back(info->id);
  }
  auto attach = [&](int64_t appeal, std::vector<int64_t> which) {
    return db_->Write<void>(
        [&](storage::Session& s) { return service_->Attach(s, appeal, which); });
  };
  auto six = attach(9, ids);
  ASSERT_FALSE(six.has_value());
  EXPECT_EQ(six.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(six.error().fields.at(0).field, "attachments");

  ASSERT_TRUE(attach(9, {ids[0], ids[1], ids[2]}).has_value());
  EXPECT_FALSE(attach(10, {ids[0]}).has_value());  // already used
  EXPECT_FALSE(attach(9, {ids[3], ids[3]}).has_value());
  EXPECT_FALSE(attach(9, {987654}).has_value());
  ASSERT_TRUE(attach(9, {ids[3], ids[4]}).has_value());
  EXPECT_FALSE(attach(9, {ids[5]}).has_value());

  auto count = db_->Read<int64_t>([&](storage::Session& s) { return service_->CountFor(s, 9); });
  EXPECT_EQ(*count, 5);
  // Storing straight onto a full appeal is refused too.
  auto sixth = service_->Store(SmallPng(), Owner{OwnerKind::kAppeal, 9, 0});
  ASSERT_FALSE(sixth.has_value());
  EXPECT_EQ(sixth.error().code, ErrorCode::kConflict);
  // Verification photos are not counted against the citizen's five.
  EXPECT_TRUE(service_->Store(SmallPng(), Owner{OwnerKind::kVerification, 9, 3}).has_value());
  auto listed = db_->Read<std::vector<AttachmentInfo>>(
      [&](storage::Session& s) { return service_->ListFor(s, 9); });
  EXPECT_EQ(listed->size(), 6u);
}

TEST_P(AttachmentServiceTest, PurgesUnattachedUploadsButKeepsSharedFiles) {
  std::string png = SmallPng();
  auto kept = service_->Store(png, Owner{});
  auto stale = service_->Store(png, Owner{});  // the same content: one file
  auto alone = service_->Store(PhotoWithGps(100, 80), Owner{});
  ASSERT_TRUE(kept && stale && alone);
  ASSERT_TRUE(
      db_->Write<void>([&](storage::Session& s) { return service_->Attach(s, 1, {kept->id}); }));
  clock_.Advance(std::chrono::hours(25));
  auto purged = service_->PurgeUnattached(clock_.NowMillis() - 24 * 3600 * 1000);
  ASSERT_TRUE(purged.has_value()) << purged.error().message;
  EXPECT_EQ(*purged, 2);
  EXPECT_TRUE(service_->Load(kept->id).has_value());
  EXPECT_EQ(service_->Info(stale->id).error().code, ErrorCode::kNotFound);
  auto alone_file = dir_ / "files" / alone->sha256.substr(0, 2) / alone->sha256.substr(2, 2) /
                    (alone->sha256 + ".jpg");
  EXPECT_FALSE(std::filesystem::exists(alone_file));
}

TEST_P(AttachmentServiceTest, TokensAreBoundToTheId) {
  std::string token = service_->TokenFor(7);
  EXPECT_EQ(token.size(), 32u);
  EXPECT_TRUE(service_->CheckToken(7, token));
  EXPECT_FALSE(service_->CheckToken(8, token));
  EXPECT_FALSE(service_->CheckToken(7, token.substr(0, 31)));
  EXPECT_FALSE(service_->CheckToken(7, ""));
}

// The routes, called through the router as the server would after its own checks.
class AttachmentRoutesTest : public AttachmentServiceTest {
 protected:
  void SetUp() override {
    AttachmentServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // Account 12 handles appeals and may read appeal 1; nobody may read appeal 2.
    AttachmentAccess access;
    access.can_read_appeal = [](const Actor& actor, int64_t appeal_id) -> Status {
      if (actor.account_id == 12 && appeal_id == 1) return {};
      return MakeError(ErrorCode::kPermissionDenied, "not allowed on that appeal");
    };
    access.can_upload = [](const Actor& actor) -> Status {
      if (actor.account_id == 12) return {};
      return MakeError(ErrorCode::kPermissionDenied, "cannot upload");
    };
    RegisterAttachmentRoutes(router_, *service_, access);
  }

  http::Response Call(http::Method method, const std::string& target, std::string body = "",
                      std::string content_type = "", bool signed_in = false) {
    http::Request request;
    request.method = method;
    auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    request.body = std::move(body);
    if (!content_type.empty()) request.headers.emplace_back("content-type", content_type);
    if (signed_in) {
      Actor actor;
      actor.account_id = 12;
      request.actor = actor;
    }
    auto match = router_.Find(method, request.path);
    if (match.route == nullptr) return http::Response{.status = 404};
    // The server enforces these before the handler runs.
    if (match.route->options.access == http::Access::kSignedIn && !signed_in) {
      return http::Response{.status = 401};
    }
    if (match.route->options.max_body_bytes > 0 &&
        request.body.size() > match.route->options.max_body_bytes) {
      return http::Response{.status = 413};
    }
    request.path_params = match.params;
    return match.route->handler(request);
  }

  http::Router router_;
};

TEST_P(AttachmentRoutesTest, PublicUploadAndTokenDownload) {
  auto created =
      Call(http::Method::kPost, "/api/v1/public/attachments", PhotoWithGps(400, 200), "image/jpeg");
  ASSERT_EQ(created.status, 201) << created.body;
  auto body = nlohmann::json::parse(created.body);
  int64_t id = body.at("id");
  EXPECT_EQ(body.at("width"), 200);
  EXPECT_EQ(body.at("height"), 400);
  std::string url = body.at("url");
  EXPECT_EQ(url, "/api/v1/public/attachments/" + std::to_string(id) +
                     "?token=" + body.at("token").get<std::string>());

  auto image = Call(http::Method::kGet, url);
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.Header("content-type"), "image/jpeg");
  EXPECT_EQ(image.Header("content-disposition"),
            "inline; filename=\"" + std::to_string(id) + ".jpg\"");
  EXPECT_EQ(image.Header("x-content-type-options"), "nosniff");
  EXPECT_TRUE(image.body.starts_with("\xFF\xD8\xFF"));
  EXPECT_EQ(image.body.find("Exif"), std::string::npos);

  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/public/attachments/" + std::to_string(id)).status,
            404);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/public/attachments/" + std::to_string(id) +
                                         "?token=" + std::string(32, '0'))
                .status,
            404);
  // The staff route needs a session, and a right to the appeal the photo belongs to; a
  // citizen's upload not yet attached to an appeal is nobody's on the staff side.
  std::string staff_url = "/api/v1/attachments/" + std::to_string(id);
  EXPECT_EQ(Call(http::Method::kGet, staff_url).status, 401);
  EXPECT_EQ(Call(http::Method::kGet, staff_url, "", "", /*signed_in=*/true).status, 404);
  ASSERT_TRUE(db_->Write<void>([&](storage::Session& s) { return service_->Attach(s, 2, {id}); }));
  EXPECT_EQ(Call(http::Method::kGet, staff_url, "", "", true).status, 403);
  auto other = Call(http::Method::kPost, "/api/v1/public/attachments", SmallPng(), "image/png");
  int64_t other_id = nlohmann::json::parse(other.body).at("id");
  ASSERT_TRUE(
      db_->Write<void>([&](storage::Session& s) { return service_->Attach(s, 1, {other_id}); }));
  auto staff = Call(http::Method::kGet, "/api/v1/attachments/" + std::to_string(other_id), "", "",
                    /*signed_in=*/true);
  ASSERT_EQ(staff.status, 200);
  EXPECT_TRUE(staff.body.starts_with("\xFF\xD8\xFF"));
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/attachments/abc", "", "", true).status, 404);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/attachments/99999", "", "", true).status, 404);
}

TEST_P(AttachmentRoutesTest, UploadErrors) {
  struct Case {
    std::string body;
    std::string content_type;
    int status;
  };
  ImageLimits limits;
  std::vector<Case> cases = {
      {SmallPng(), "application/octet-stream", 415},
      {SmallPng(), "", 415},
      {"just text", "image/jpeg", 415},
      {PngBomb(100000, 100000), "image/png", 422},
      {std::string("\xFF\xD8\xFF\xE0", 4) + std::string(limits.max_input_bytes, 'x'), "image/jpeg",
       413},
      {std::string(kUploadBodyLimit + 1, 'x'), "image/jpeg", 413},
  };
  for (const auto& c : cases) {
    auto response = Call(http::Method::kPost, "/api/v1/public/attachments", c.body, c.content_type);
    EXPECT_EQ(response.status, c.status) << c.content_type << " " << response.body;
  }
  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/attachments", SmallPng(), "image/png").status, 401);
  auto staff = Call(http::Method::kPost, "/api/v1/attachments?kind=verification", SmallPng(),
                    "image/png", true);
  ASSERT_EQ(staff.status, 201) << staff.body;
  auto info = service_->Info(nlohmann::json::parse(staff.body).at("id"));
  EXPECT_EQ(info->kind, OwnerKind::kVerification);
  EXPECT_EQ(info->created_by, 12);
  EXPECT_EQ(
      Call(http::Method::kPost, "/api/v1/attachments?kind=selfie", SmallPng(), "image/png", true)
          .status,
      422);
}

INSTANTIATE_TEST_SUITE_P(Backends, AttachmentServiceTest, ::testing::Values("sqlite", "postgres"));
INSTANTIATE_TEST_SUITE_P(Backends, AttachmentRoutesTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace lianxin::attachments
