// The one place where Lianxin's objects are constructed and wired together.
#pragma once

#include <memory>
#include <optional>

#include "appeals/appeal_service.h"
#include "appeals/attachments/attachment_service.h"
#include "appeals/extras/export_xlsx.h"
#include "appeals/metrics.h"
#include "auth/access_policy.h"
#include "auth/account_service.h"
#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "auth/passwords.h"
#include "auth/session_authenticator.h"
#include "channels/open311/clients.h"
#include "channels/open311/open311.h"
#include "channels/outbox/message_sender.h"
#include "channels/outbox/outbox.h"
#include "channels/wechat/handler.h"
#include "channels/wechat/wechat_service.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "http/api.h"
#include "org/org_service.h"
#include "storage/database.h"

namespace lianxin::app {

enum class Migration { kApply, kSkip };

// Everything a command needs. Members are declared in construction order; destruction runs
// in reverse, so services go before the database they use.
struct App {
  Config config;
  SystemClock clock;
  std::unique_ptr<storage::Database> database;
  std::unique_ptr<DataProtector> protector;
  std::unique_ptr<auth::PasswordHasher> hasher;
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<auth::AccessPolicy> policy;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<auth::AccountService> accounts;
  std::unique_ptr<org::OrgService> org;
  std::unique_ptr<appeals::AppealService> appeals;
  std::unique_ptr<appeals::AppealMetrics> appeal_metrics;
  std::unique_ptr<appeals::AppealExporter> appeal_exporter;
  std::unique_ptr<attachments::AttachmentService> attachments;
  std::unique_ptr<outbox::MessageSender> sender;
  std::unique_ptr<outbox::Outbox> outbox;
  std::unique_ptr<wechat::WechatService> wechat;
  std::unique_ptr<wechat::WechatHandler> wechat_handler;
  std::unique_ptr<open311::ClientKeyService> open311_clients;
  std::unique_ptr<open311::Open311Service> open311;
  std::unique_ptr<auth::SessionAuthenticator> authenticator;
  http::Router router;
};

// Opens the database, applies migrations when asked, loads the data key and builds every
// service and the route table. Errors name what failed (database, migration, key file).
[[nodiscard]] Result<std::unique_ptr<App>> OpenApp(const Config& config, Migration migration);

// Queues the message that tells a citizen their appeal was answered, inside the reply's
// transaction: a WeChat customer-service message to the OpenID for appeals that came by
// WeChat, else an SMS when the citizen left a mobile number, else nothing.
[[nodiscard]] Status QueueReplyNotice(const outbox::Outbox& outbox, storage::Session& session,
                                      const appeals::AppealService::ReplyNotice& notice);

// Registers every route on `router`. Handlers keep references into `app`.
void RegisterRoutes(App& app, http::Router& router);

}  // namespace lianxin::app
