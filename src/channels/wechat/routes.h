// The HTTP routes of the WeChat channel: WeChat's callback and the staff configuration API.
#pragma once

#include "channels/wechat/handler.h"
#include "channels/wechat/wechat_service.h"
#include "http/api.h"

namespace lianxin::wechat {

// The largest callback body WeChat may send us.
inline constexpr size_t kMaxCallbackBodyBytes = 64 * 1024;

// Registers
//   GET  /channels/wechat/{account}   URL verification            (public, CSRF-exempt)
//   POST /channels/wechat/{account}   inbound messages            (public, CSRF-exempt,
//        body <= 64 KiB, Content-Type text/xml or application/xml, else 415)
//   GET/POST        /api/v1/wechat-accounts                         (signed in)
//   GET/PATCH       /api/v1/wechat-accounts/{id}                    (signed in)
//   GET/POST        /api/v1/wechat-accounts/{id}/faq-rules          (signed in)
//   PATCH/DELETE    /api/v1/wechat-accounts/{id}/faq-rules/{rule_id} (signed in)
// Access decisions for the staff routes are the service's (AccessPolicy: kOrgRead to read,
// kChannelWrite to change, on the channel account's unit). `handler` and `service` must
// outlive `router`.
void RegisterWechatRoutes(http::Router& router, WechatHandler& handler, WechatService& service);

}  // namespace lianxin::wechat
