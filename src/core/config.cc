#include "core/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <filesystem>

namespace lianxin {
namespace {

// One entry per key: how to read it from TOML and from an environment string.
struct Binding {
  const char* key;
  std::function<bool(const toml::node&)> from_toml;
  std::function<bool(const std::string&)> from_text;
};

template <class T>
bool ParseNumber(const std::string& text, T& out) {
  if constexpr (std::is_same_v<T, double>) {
    try {
      size_t used = 0;
      out = std::stod(text, &used);
      return used == text.size();
    } catch (...) {
      return false;
    }
  } else {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }
}

template <class T>
Binding Bind(const char* key, T& field) {
  Binding b{key, nullptr, nullptr};
  if constexpr (std::is_same_v<T, std::string>) {
    b.from_toml = [&field](const toml::node& n) {
      if (auto v = n.value<std::string>()) {
        field = *v;
        return true;
      }
      return false;
    };
    b.from_text = [&field](const std::string& s) {
      field = s;
      return true;
    };
  } else if constexpr (std::is_same_v<T, bool>) {
    b.from_toml = [&field](const toml::node& n) {
      if (auto v = n.value<bool>()) {
        field = *v;
        return true;
      }
      return false;
    };
    b.from_text = [&field](const std::string& s) {
      if (s == "1" || s == "true" || s == "yes") return field = true, true;
      if (s == "0" || s == "false" || s == "no") return field = false, true;
      return false;
    };
  } else {
    b.from_toml = [&field](const toml::node& n) {
      if constexpr (std::is_same_v<T, double>) {
        if (auto v = n.value<double>()) return field = *v, true;
      } else {
        if (auto v = n.value<int64_t>(); v && *v >= 0) return field = static_cast<T>(*v), true;
      }
      return false;
    };
    b.from_text = [&field](const std::string& s) { return ParseNumber(s, field); };
  }
  return b;
}

std::vector<Binding> Bindings(Config& c) {
  return {
      Bind("database", c.database),
      Bind("data_key_file", c.data_key_file),
      Bind("listen_address", c.listen_address),
      Bind("port", c.port),
      Bind("web_root", c.web_root),
      Bind("public_url", c.public_url),
      Bind("io_threads", c.io_threads),
      Bind("worker_threads", c.worker_threads),
      Bind("worker_queue", c.worker_queue),
      Bind("max_connections", c.max_connections),
      Bind("max_header_bytes", c.max_header_bytes),
      Bind("max_body_bytes", c.max_body_bytes),
      Bind("read_timeout_seconds", c.read_timeout_seconds),
      Bind("idle_timeout_seconds", c.idle_timeout_seconds),
      Bind("shutdown_grace_seconds", c.shutdown_grace_seconds),
      Bind("rate_limit_per_second", c.rate_limit_per_second),
      Bind("rate_limit_burst", c.rate_limit_burst),
      Bind("trust_forwarded_for", c.trust_forwarded_for),
      Bind("behind_tls", c.behind_tls),
      Bind("session_idle_minutes", c.session_idle_minutes),
      Bind("session_absolute_hours", c.session_absolute_hours),
      Bind("audit_retention_days", c.audit_retention_days),
      Bind("attachments_dir", c.attachments_dir),
      Bind("outbox_sender", c.outbox_sender),
      Bind("outbox_sms_url", c.outbox_sms_url),
      Bind("outbox_wechat_cs_url", c.outbox_wechat_cs_url),
      Bind("outbox_bearer_token", c.outbox_bearer_token),
      Bind("access_log", c.access_log),
      Bind("log_level", c.log_level),
  };
}

std::string EnvName(const char* key) {
  std::string name = "LIANXIN_";
  for (const char* p = key; *p; ++p) name.push_back(static_cast<char>(std::toupper(*p)));
  return name;
}

}  // namespace

Result<Config> LoadConfig(const std::optional<std::string>& file,
                          const std::function<const char*(const char*)>& getenv) {
  Config config;
  auto bindings = Bindings(config);
  std::string path = file.value_or("lianxin.toml");
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    toml::table table;
    try {
      table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      const auto& where = e.source().begin;
      return MakeError(ErrorCode::kInvalidArgument, path + ":" + std::to_string(where.line) + ":" +
                                                        std::to_string(where.column) + ": " +
                                                        std::string(e.description()));
    }
    for (auto&& [key, node] : table) {
      bool known = false;
      for (auto& b : bindings) {
        if (key.str() == b.key) {
          known = true;
          if (!b.from_toml(node)) {
            return MakeError(ErrorCode::kInvalidArgument,
                             path + ": wrong type of value for '" + std::string(key.str()) + "'");
          }
        }
      }
      if (!known) {
        return MakeError(ErrorCode::kInvalidArgument,
                         path + ": unknown key '" + std::string(key.str()) + "'");
      }
    }
  } else if (file) {
    return MakeError(ErrorCode::kNotFound, "config file not found: " + path);
  }
  for (auto& b : bindings) {
    std::string name = EnvName(b.key);
    if (const char* value = getenv(name.c_str())) {
      if (!b.from_text(value)) {
        return MakeError(ErrorCode::kInvalidArgument, "invalid value for " + name);
      }
    }
  }
  if (config.port < 0 || config.port > 65535) {
    return MakeError(ErrorCode::kInvalidArgument, "port must be 0..65535");
  }
  if (config.outbox_sender != "recording" && config.outbox_sender != "http") {
    return MakeError(ErrorCode::kInvalidArgument, "outbox_sender must be recording or http");
  }
  if (config.worker_threads < 1 || config.io_threads < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "worker_threads and io_threads must be >= 1");
  }
  return config;
}

}  // namespace lianxin
