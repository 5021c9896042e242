#include "app/app.h"

#include <nlohmann/json.hpp>

#include "app/data_key.h"
#include "appeals/attachments/routes.h"
#include "appeals/extras/export_routes.h"
#include "appeals/routes.h"
#include "auth/routes.h"
#include "channels/open311/routes.h"
#include "channels/outbox/http_sender.h"
#include "channels/wechat/routes.h"
#include "channels/wechat/sender.h"
#include "core/text.h"
#include "org/routes.h"
#include "storage/migrations.h"

namespace lianxin::app {

// Tells the citizen their appeal was answered: over WeChat (customer-service message to the
// OpenID) when it came by WeChat, else by SMS when they left a mobile number; nothing
// otherwise (they track it with the number and code).
Status QueueReplyNotice(const outbox::Outbox& outbox, storage::Session& session,
                        const appeals::AppealService::ReplyNotice& notice) {
  constexpr size_t kExcerptBytes = 300;  // about a hundred characters of the reply
  std::string excerpt = notice.reply_text.substr(0, kExcerptBytes);
  while (!excerpt.empty() && !IsValidUtf8(excerpt)) excerpt.pop_back();
  if (excerpt.size() < notice.reply_text.size()) excerpt += "……";
  outbox::Message message;
  message.appeal_id = notice.id;
  if (notice.channel == appeals::Channel::kWechat && !notice.channel_ref.empty()) {
    message.channel = outbox::Channel::kWechatCs;
    message.recipient = notice.channel_ref;
    message.payload = wechat::CustomerServiceTextPayload(
        notice.channel_ref, "您的咨询（编号 " + notice.tracking_number + "）已答复：" + excerpt);
  } else if (notice.phone.size() == 11 && notice.phone[0] == '1' && LooksLikePhone(notice.phone)) {
    message.channel = outbox::Channel::kSms;
    message.recipient = notice.phone;
    message.payload = nlohmann::json{{"template", "appeal_replied"},
                                     {"tracking_number", notice.tracking_number},
                                     {"text", "您的诉求（编号 " + notice.tracking_number +
                                                  "）已答复，请凭编号和查询码查看并评价。"}}
                          .dump();
  } else {
    return {};
  }
  auto queued = outbox.Enqueue(session, message);
  if (!queued) return std::unexpected(queued.error());
  return {};
}

namespace {}  // namespace

Result<std::unique_ptr<App>> OpenApp(const Config& config, Migration migration) {
  auto app = std::make_unique<App>();
  app->config = config;
  auto database = storage::OpenDatabase(config.database);
  if (!database) {
    return MakeError(database.error().code, "cannot open the database " + config.database + ": " +
                                                database.error().message);
  }
  app->database = std::move(*database);
  if (migration == Migration::kApply) {
    auto report = storage::Migrate(*app->database);
    if (!report) return std::unexpected(report.error());
  }
  auto protector = LoadOrCreateDataKey(config.data_key_file);
  if (!protector) return std::unexpected(protector.error());
  app->protector = std::make_unique<DataProtector>(std::move(*protector));

  // Argon2id at 64 MiB and 2 passes: above the policy's floor (19 MiB, 2 passes) and about
  // a tenth of a second per sign-in on the reference machine.
  app->hasher = std::make_unique<auth::PasswordHasher>(2, 64u * 1024u * 1024u);
  app->audit = std::make_unique<auth::AuditLog>(*app->database, app->clock);
  app->policy = std::make_unique<auth::AccessPolicy>(app->audit.get());
  app->auth = std::make_unique<auth::AuthService>(
      *app->database, app->clock, *app->audit, *app->hasher, auth::AuthOptions::FromConfig(config));
  app->accounts = std::make_unique<auth::AccountService>(*app->database, app->clock, *app->policy,
                                                         *app->audit, *app->hasher);
  app->org = std::make_unique<org::OrgService>(*app->database, *app->protector, app->clock,
                                               *app->policy, *app->audit);
  app->appeals = std::make_unique<appeals::AppealService>(*app->database, *app->protector,
                                                          app->clock, *app->policy, *app->audit);
  app->appeal_metrics = std::make_unique<appeals::AppealMetrics>(*app->database, *app->policy);
  app->appeal_exporter = std::make_unique<appeals::AppealExporter>(*app->appeals, *app->database,
                                                                   *app->audit, app->clock);
  attachments::AttachmentOptions attachment_options;
  attachment_options.directory = config.attachments_dir;
  app->attachments = std::make_unique<attachments::AttachmentService>(
      *app->database, *app->protector, app->clock, attachment_options);
  app->appeals->SetPhotoLinker(
      [attachments = app->attachments.get()](storage::Session& session, appeals::AppealId appeal,
                                             const std::vector<int64_t>& ids) {
        return attachments->Attach(session, appeal, ids);
      });
  if (config.outbox_sender == "http") {
    outbox::HttpSenderOptions sender_options;
    sender_options.sms_url = config.outbox_sms_url;
    sender_options.wechat_cs_url = config.outbox_wechat_cs_url;
    sender_options.bearer_token = config.outbox_bearer_token;
    app->sender = std::make_unique<outbox::HttpSender>(sender_options);
  } else {
    app->sender = std::make_unique<outbox::RecordingSender>();
  }
  app->outbox =
      std::make_unique<outbox::Outbox>(*app->database, *app->protector, app->clock, *app->sender);
  app->appeals->SetReplyNotifier(
      [outbox = app->outbox.get()](storage::Session& session,
                                   const appeals::AppealService::ReplyNotice& notice) {
        return QueueReplyNotice(*outbox, session, notice);
      });
  app->wechat = std::make_unique<wechat::WechatService>(*app->database, *app->protector, app->clock,
                                                        *app->policy, *app->audit);
  app->wechat_handler =
      std::make_unique<wechat::WechatHandler>(*app->wechat, *app->appeals, app->clock);
  app->open311_clients = std::make_unique<open311::ClientKeyService>(*app->database, app->clock,
                                                                     *app->policy, *app->audit);
  app->open311 =
      std::make_unique<open311::Open311Service>(*app->appeals, *app->open311_clients, app->clock);
  app->authenticator = std::make_unique<auth::SessionAuthenticator>(*app->auth, *app->audit);
  RegisterRoutes(*app, app->router);
  return app;
}

void RegisterRoutes(App& app, http::Router& router) {
  org::RegisterPublicOrgRoutes(router, *app.org);
  auth::RegisterAuthRoutes(router, *app.auth, *app.accounts, *app.audit, *app.policy, app.config);
  org::RegisterOrgRoutes(router, *app.org);
  appeals::RegisterPublicAppealRoutes(router, *app.appeals);
  // A photo is visible to whoever may read its appeal: the appeals service's own check,
  // which also audits a denial. Staff upload photos when they handle appeals.
  attachments::AttachmentAccess photo_access;
  photo_access.can_read_appeal = [&app](const Actor& actor, int64_t appeal_id) -> Status {
    auto appeal = app.appeals->Get(actor, appeal_id);
    if (!appeal) return std::unexpected(appeal.error());
    return {};
  };
  photo_access.can_upload = [&app](const Actor& actor) {
    return app.policy->Check(actor, auth::Action::kAppealHandle, actor.unit_path, "attachment:new");
  };
  attachments::RegisterAttachmentRoutes(router, *app.attachments, photo_access);
  appeals::RegisterAppealExportRoutes(router, *app.appeal_exporter);
  appeals::RegisterAppealRoutes(router, *app.appeals, *app.appeal_metrics);
  wechat::RegisterWechatRoutes(router, *app.wechat_handler, *app.wechat);
  open311::RegisterOpen311Routes(router, *app.open311);
  open311::RegisterOpen311ClientRoutes(router, *app.open311_clients);
}

}  // namespace lianxin::app
