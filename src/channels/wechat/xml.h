// A strict, minimal XML reader and writer for WeChat messages. WeChat sends one <xml> root
// with flat child elements whose content is text or one CDATA section; anything richer is
// refused, so that no DTD, entity, external reference or deep nesting ever reaches us.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace lianxin::wechat {

struct XmlLimits {
  size_t max_bytes = 64 * 1024;  // the whole input
  size_t max_elements = 64;      // the root included
};

// The children of the <xml> root, in document order, each name at most once.
class XmlDocument {
 public:
  // The value of child `name`, or nullptr when there is none.
  const std::string* Find(std::string_view name) const;
  // The value of child `name`, or "" when there is none.
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  // Appends a child (used by the parser); false when `name` is already present.
  bool Add(std::string name, std::string value);

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Parses a WeChat message. Accepts an optional UTF-8 byte order mark, an optional leading
// <?xml ...?> declaration, whitespace, and exactly one root element named "xml" without
// attributes whose children are elements without attributes (no deeper nesting) holding
// either character data or a single CDATA section (optionally surrounded by whitespace), or
// nothing (<Name/> or <Name></Name>). Character data may use the five predefined entities
// and numeric character references. Everything else is an error: DOCTYPE, ENTITY,
// comments, other processing instructions, other entity references, attributes, mixed
// content, duplicate child names, invalid UTF-8 or XML characters, truncated input. Returns
// kTooLarge when the input exceeds limits.max_bytes or has more than limits.max_elements
// elements, kMalformed for anything else; never crashes or allocates beyond the input size.
Result<XmlDocument> ParseXml(std::string_view input, const XmlLimits& limits = {});

// Builds a reply: "<xml>" + children + "</xml>". Text goes in CDATA sections; a "]]>" inside
// a value is split across two sections, C0 control characters other than tab, LF and CR
// become spaces, and a value that is not UTF-8 is written empty.
class XmlWriter {
 public:
  XmlWriter& Text(std::string_view name, std::string_view value);
  XmlWriter& Number(std::string_view name, int64_t value);
  std::string Finish() const { return out_ + "</xml>"; }

 private:
  std::string out_ = "<xml>";
};

// `value` as the body of CDATA sections: "<![CDATA[" + ... + "]]>", split at every "]]>".
std::string CData(std::string_view value);

}  // namespace lianxin::wechat
