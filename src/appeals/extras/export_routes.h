// GET /api/v1/appeals/export: the inbox's filtered list as an .xlsx download.
#pragma once

#include "appeals/appeal_service.h"
#include "appeals/extras/export_xlsx.h"
#include "appeals/routes.h"  // ParseAppealFilterQuery, shared with the inbox
#include "http/api.h"

namespace lianxin::appeals {

// Registers GET /api/v1/appeals/export (signed in; kAppealRead on the filtered subtree, 403
// otherwise; audited as "appeal.export"). 200 with Content-Type
// application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, Content-Disposition
// attachment; filename="appeals-YYYYMMDD.xlsx"; filename*=UTF-8''诉求导出-YYYYMMDD.xlsx
// (percent-encoded), Cache-Control: no-store and X-Export-Rows / X-Export-Total /
// X-Export-Truncated headers. `exporter` must outlive `router`. The literal "export" segment
// wins over /api/v1/appeals/{id}.
void RegisterAppealExportRoutes(http::Router& router, AppealExporter& exporter);

}  // namespace lianxin::appeals
