#include "channels/wechat/xml.h"

#include <optional>

#include "core/text.h"

namespace lianxin::wechat {
namespace {

constexpr size_t kMaxNameBytes = 64;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::unexpected<Error> Malformed(std::string message) {
  return MakeError(ErrorCode::kMalformed, "Invalid WeChat XML: " + std::move(message));
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// XML 1.0 Char for a code point.
bool IsXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// True when the (valid UTF-8) text contains no character XML forbids: C0 controls other
// than tab, LF and CR, and U+FFFE/U+FFFF. Surrogates cannot occur in valid UTF-8.
bool AllXmlChars(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    // U+FFFE and U+FFFF are EF BF BE / EF BF BF.
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(text[i + 2]) == 0xBE ||
         static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      return false;
    }
  }
  return true;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes character data: the five predefined entities and numeric references; nullopt for
// any other '&' or a '<'.
std::optional<std::string> DecodeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '<') return std::nullopt;
    if (c != '&') {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) return std::nullopt;
    std::string_view ref = text.substr(i + 1, semi - i - 1);
    i = semi + 1;
    if (ref == "lt") {
      out.push_back('<');
    } else if (ref == "gt") {
      out.push_back('>');
    } else if (ref == "amp") {
      out.push_back('&');
    } else if (ref == "apos") {
      out.push_back('\'');
    } else if (ref == "quot") {
      out.push_back('"');
    } else if (ref.size() >= 2 && ref[0] == '#') {
      bool hex = ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty() || digits.size() > 8) return std::nullopt;
      uint32_t cp = 0;
      for (char d : digits) {
        uint32_t v;
        if (d >= '0' && d <= '9') {
          v = static_cast<uint32_t>(d - '0');
        } else if (hex && d >= 'a' && d <= 'f') {
          v = static_cast<uint32_t>(d - 'a' + 10);
        } else if (hex && d >= 'A' && d <= 'F') {
          v = static_cast<uint32_t>(d - 'A' + 10);
        } else {
          return std::nullopt;
        }
        cp = cp * (hex ? 16 : 10) + v;
        if (cp > 0x10FFFF) return std::nullopt;
      }
      if (!IsXmlChar(cp)) return std::nullopt;
      AppendUtf8(out, cp);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view input, const XmlLimits& limits) : in_(input), limits_(limits) {}

  Result<XmlDocument> Run() {
    if (in_.starts_with(kBom)) pos_ = kBom.size();
    if (Rest().starts_with("<?xml")) {
      size_t end = in_.find("?>", pos_);
      if (end == std::string_view::npos) return Malformed("unterminated XML declaration");
      std::string_view decl = in_.substr(pos_ + 5, end - pos_ - 5);
      if (!decl.empty() && !IsSpace(decl[0])) return Malformed("bad XML declaration");
      if (decl.find('<') != std::string_view::npos || decl.find('>') != std::string_view::npos) {
        return Malformed("bad XML declaration");
      }
      pos_ = end + 2;
    }
    SkipSpace();
    auto root = OpenTag();
    if (!root) return std::unexpected(root.error());
    if (root->name != "xml") return Malformed("the root element must be <xml>");
    if (root->empty) return Malformed("empty root element");
    ++elements_;

    XmlDocument doc;
    for (;;) {
      SkipSpace();
      if (AtEnd()) return Malformed("truncated input");
      if (Rest().starts_with("</")) break;
      if (in_[pos_] != '<') return Malformed("text directly inside <xml>");
      auto child = OpenTag();
      if (!child) return std::unexpected(child.error());
      if (++elements_ > limits_.max_elements) {
        return MakeError(ErrorCode::kTooLarge, "Too many XML elements.");
      }
      std::string value;
      if (!child->empty) {
        auto content = Content();
        if (!content) return std::unexpected(content.error());
        value = std::move(*content);
        if (auto closed = CloseTag(child->name); !closed) return std::unexpected(closed.error());
      }
      if (!doc.Add(std::move(child->name), std::move(value))) {
        return Malformed("duplicate element");
      }
    }
    if (auto closed = CloseTag("xml"); !closed) return std::unexpected(closed.error());
    SkipSpace();
    if (!AtEnd()) return Malformed("content after the root element");
    return doc;
  }

 private:
  struct Tag {
    std::string name;
    bool empty = false;  // <Name/>
  };

  std::string_view Rest() const { return in_.substr(pos_); }
  bool AtEnd() const { return pos_ >= in_.size(); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(in_[pos_])) ++pos_;
  }

  Result<std::string> Name() {
    size_t start = pos_;
    if (AtEnd()) return Malformed("truncated input");
    if (!IsNameStart(in_[pos_])) return Malformed("bad element name");
    while (!AtEnd() && IsNameChar(in_[pos_])) ++pos_;
    if (pos_ - start > kMaxNameBytes) return Malformed("element name too long");
    return std::string(in_.substr(start, pos_ - start));
  }

  // At '<': a start tag "<Name>", "<Name >" or "<Name/>".
  Result<Tag> OpenTag() {
    if (AtEnd()) return Malformed("truncated input");
    if (in_[pos_] != '<') return Malformed("expected an element");
    ++pos_;
    if (AtEnd()) return Malformed("truncated input");
    if (in_[pos_] == '!') {
      return Malformed(Rest().starts_with("!DOCTYPE") ? "DTDs are not accepted"
                                                      : "declarations and comments are not "
                                                        "accepted");
    }
    if (in_[pos_] == '?') return Malformed("processing instructions are not accepted");
    auto name = Name();
    if (!name) return std::unexpected(name.error());
    SkipSpace();
    if (AtEnd()) return Malformed("truncated input");
    Tag tag{std::move(*name), false};
    if (in_[pos_] == '/') {
      ++pos_;
      if (AtEnd()) return Malformed("truncated input");
      tag.empty = true;
    }
    if (in_[pos_] != '>') return Malformed("attributes are not accepted");
    ++pos_;
    return tag;
  }

  // At "</": the end tag of `name`.
  Status CloseTag(std::string_view name) {
    if (!Rest().starts_with("</")) return Malformed("truncated input");
    pos_ += 2;
    auto got = Name();
    if (!got) return std::unexpected(got.error());
    if (*got != name) return Malformed("mismatched end tag");
    SkipSpace();
    if (AtEnd()) return Malformed("truncated input");
    if (in_[pos_] != '>') return Malformed("bad end tag");
    ++pos_;
    return {};
  }

  // The content of a child element, up to (not including) its end tag.
  Result<std::string> Content() {
    size_t start = pos_;
    size_t lt = in_.find('<', pos_);
    if (lt == std::string_view::npos) return Malformed("truncated input");
    std::string_view before = in_.substr(start, lt - start);
    pos_ = lt;
    if (Rest().starts_with("<![CDATA[")) {
      for (char c : before) {
        if (!IsSpace(c)) return Malformed("text mixed with CDATA");
      }
      size_t body = pos_ + 9;
      size_t end = in_.find("]]>", body);
      if (end == std::string_view::npos) return Malformed("unterminated CDATA section");
      std::string value(in_.substr(body, end - body));
      pos_ = end + 3;
      SkipSpace();
      if (AtEnd()) return Malformed("truncated input");
      if (!Rest().starts_with("</")) {
        return Rest().starts_with("<![CDATA[") ? Malformed("more than one CDATA section")
                                               : Malformed("mixed content");
      }
      return value;
    }
    if (Rest().starts_with("</")) {
      if (before.find("]]>") != std::string_view::npos) return Malformed("']]>' in text");
      auto text = DecodeText(before);
      if (!text) return Malformed("entity references are not accepted");
      return std::move(*text);
    }
    if (Rest().starts_with("<!")) return Malformed("declarations are not accepted");
    if (Rest().starts_with("<?")) return Malformed("processing instructions are not accepted");
    return Malformed("nested elements are not accepted");
  }

  std::string_view in_;
  const XmlLimits& limits_;
  size_t pos_ = 0;
  size_t elements_ = 0;
};

}  // namespace

const std::string* XmlDocument::Find(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string XmlDocument::Get(std::string_view name) const {
  const std::string* value = Find(name);
  return value ? *value : std::string();
}

bool XmlDocument::Add(std::string name, std::string value) {
  if (Find(name)) return false;
  fields_.emplace_back(std::move(name), std::move(value));
  return true;
}

Result<XmlDocument> ParseXml(std::string_view input, const XmlLimits& limits) {
  if (input.size() > limits.max_bytes) {
    return MakeError(ErrorCode::kTooLarge, "The XML body is too large.");
  }
  if (!IsValidUtf8(input)) return Malformed("not UTF-8");
  if (!AllXmlChars(input)) return Malformed("forbidden character");
  Parser parser(input, limits);
  return parser.Run();
}

std::string CData(std::string_view value) {
  std::string out = "<![CDATA[";
  for (size_t i = 0; i < value.size(); ++i) {
    if (value.substr(i).starts_with("]]>")) {
      // End the section after "]]" and start a new one with ">".
      out += "]]]]><![CDATA[>";
      i += 2;
      continue;
    }
    auto c = static_cast<unsigned char>(value[i]);
    out.push_back(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : value[i]);
  }
  out += "]]>";
  return out;
}

XmlWriter& XmlWriter::Text(std::string_view name, std::string_view value) {
  std::string safe(value);
  if (!IsValidUtf8(safe)) safe = "";  // never emit invalid UTF-8
  out_ += "<";
  out_ += name;
  out_ += ">";
  out_ += CData(safe);
  out_ += "</";
  out_ += name;
  out_ += ">";
  return *this;
}

XmlWriter& XmlWriter::Number(std::string_view name, int64_t value) {
  out_ += "<";
  out_ += name;
  out_ += ">";
  out_ += std::to_string(value);
  out_ += "</";
  out_ += name;
  out_ += ">";
  return *this;
}

}  // namespace lianxin::wechat
