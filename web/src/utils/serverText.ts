// The server words its problems in English; people using the console in Chinese get them in
// Chinese. Known sentences and patterns are translated here; anything unknown is shown as sent.

type Pattern = [RegExp, (m: RegExpMatchArray) => string];

/** Field and CSV column names as the forms label them. */
const ZH_FIELDS: Record<string, string> = {
  name: '名称',
  kind: '类型',
  code: '编码',
  parent: '上级单位',
  parent_id: '上级单位',
  public_phone: '对外电话',
  address: '地址',
  communities: '服务社区',
  beat_officer_id: '社区民警',
  badge_no: '警号',
  title: '职务',
  phone: '手机',
  unit: '单位',
  unit_id: '单位',
  platform: '平台',
  handle: '账号 ID',
  url: '网址',
  followers: '粉丝数',
  verified: '认证',
  operator_officer_id: '运营民警',
  username: '用户名',
  display_name: '显示名',
  roles: '角色',
  officer_id: '关联民警',
  password: '密码',
  current_password: '当前密码',
  new_password: '新密码',
  version: '版本',
  active: '状态',
  from: '开始时间',
  to: '结束时间',
  result: '结果',
  page: '页码',
  page_size: '每页条数',
  depth: '层级',
  category: '分类',
  text: '内容',
  citizen_name: '姓名',
  citizen_phone: '手机号码',
  caller_number: '来电号码',
  'location.district_code': '所在区县',
  'location.address': '详细地址',
  'location.latitude': '位置',
  'location.longitude': '位置',
  source_url: '来源链接',
  tracking_number: '诉求编号',
  access_code: '查询码',
  rating: '评价',
  comment: '评价意见',
  reason: '理由',
  note: '备注',
  notes: '核查情况',
  photo_ids: '照片',
  attachment_ids: '照片',
  task: '整改任务',
  deadline: '整改期限',
  visited_at: '回访时间',
  visited_by: '回访人',
  citizen_view: '群众意见',
  original_tracking_number: '合并到的诉求编号',
  filter: '筛选条件',
  sort_order: '排序',
  description: '说明',
};

/** Appeal states and workflow actions as the server names them in 409 messages. */
const ZH_STATES: Record<string, string> = {
  submitted: '待受理',
  acknowledged: '已受理',
  assigned: '已分派',
  verifying: '核查中',
  replied: '已答复',
  rectifying: '整改中',
  follow_up: '待回访',
  closed: '已办结',
  merged: '已合并',
};
const ZH_ACTIONS: Record<string, string> = {
  acknowledge: '受理',
  assign: '分派',
  transfer: '转派',
  verify: '核查',
  reply: '答复',
  rate: '评价',
  rate_unsatisfied: '评价',
  auto_close: '自动办结',
  set_rectification: '下达整改',
  complete_rectification: '完成整改',
  record_follow_up: '记录回访',
  reopen: '重新办理',
  merge: '合并',
  add_note: '添加备注',
  citizen_message: '补充留言',
};

/** Whole sentences, compared without case and without a final full stop. */
const ZH_EXACT: Record<string, string> = {
  'is required': '必填',
  'this field is required': '必填',
  'must not be empty': '不能为空',
  'must be a string': '应为文字',
  'must be plain text': '不能包含控制字符',
  'must be an integer': '应为整数',
  'must be a positive integer': '应为正整数',
  'must be true or false': '应为“是”或“否”',
  'must be an array of strings': '应为文字列表',
  'must be a list of role names': '应为角色列表',
  'is not a unit kind': '不是有效的单位类型（市局、分局、警种、派出所、警务室）',
  'is not a platform': '不是有效的平台',
  'is not a phone number': '电话号码格式不正确',
  'no such unit': '找不到这个单位',
  'must be at most 32 letters or digits': '最多 32 个字母或数字',
  'must be 4 to 20 letters or digits': '应为 4 到 20 个字母或数字',
  'must be an http(s) address': '请输入以 http:// 或 https:// 开头的网址',
  'must be an iso 8601 date or time': '日期格式不正确',
  'must be ok, denied or failed': '应为成功、拒绝或失败',
  'too long': '太长',
  'too long or not valid text': '太长或包含无效字符',
  'a district bureau needs its 6-digit gb/t 2260 code': '区县分局需要 6 位行政区划代码',
  'a unit cannot move into its own subtree': '不能移动到自己的下级单位下',
  'another account on this platform has this handle': '该平台已有相同账号 ID',
  'another active district bureau has this code': '已有启用的分局使用这个编码',
  'another officer has this badge number': '警号已被其他民警使用',
  'the parent already has a unit of this name': '上级单位下已有同名单位',
  'the new parent already has a unit of this name': '新的上级单位下已有同名单位',
  'the new parent is inactive': '新的上级单位已停用',
  'the new parent is outside your subtree': '新的上级单位不在您的管辖范围内',
  'the parent unit is inactive': '上级单位已停用',
  'the parent unit is outside your subtree': '上级单位不在您的管辖范围内',
  'the unit is inactive': '该单位已停用',
  'the unit is outside your subtree': '该单位不在您的管辖范围内',
  'the header row is missing': '缺少表头行',
  'the root unit cannot move': '根单位不能移动',
  'the unit has active child units; deactivate or move them first': '该单位下还有启用的下级单位，请先停用或移走它们',
  'the organisation already has units': '组织机构已有数据',
  'the unit was changed by someone else': '该单位已被他人修改，请刷新后重试',
  'the officer was changed by someone else': '该民警信息已被他人修改，请刷新后重试',
  'the account was changed by someone else': '该账号已被他人修改，请刷新后重试',
  'the file is larger than the import limit': '文件超过导入大小限制',
  'no such account': '找不到这个账号',
  'no such session': '找不到这个会话',
  'no such resource': '要找的内容不存在',
  'not found': '要找的内容不存在',
  'not signed in': '尚未登录或登录已失效',
  'sign in to continue': '请先登录',
  'wrong username or password': '用户名或密码错误',
  'too many failed sign-ins; the account is locked for a while': '登录失败次数过多，账号已暂时锁定',
  'too many failed sign-ins from this address; try later': '此地址登录失败次数过多，请稍后再试',
  'too many requests; slow down': '操作太频繁，请稍后再试',
  'the server is busy; try again shortly': '系统繁忙，请稍后再试',
  'you are not allowed to do this here': '没有权限执行此操作',
  'this action is not allowed on that unit': '不允许对该单位执行此操作',
  'you cannot deactivate your own account': '不能停用自己的账号',
  'you cannot change your own roles': '不能修改自己的角色',
  'that username is taken': '用户名已被使用',
  'give the account at least one role': '请至少选择一个角色',
  'unknown role': '未知角色',
  'display name must have 1 to 64 characters': '显示名应为 1 到 64 个字',
  'username must have 3 to 32 characters': '用户名应为 3 到 32 个字符',
  "username may contain only a-z, 0-9, '.', '_' and '-'": '用户名只能包含小写字母、数字、“.”、“_”和“-”',
  "the account's officer does not belong to that unit": '关联民警不属于该单位',
  "the officer must belong to the account's unit": '关联民警必须属于账号所在单位',
  'the current password is wrong': '当前密码不正确',
  'the new password must differ from the current one': '新密码不能与当前密码相同',
  'password must be valid utf-8 text': '密码包含无效字符',
  'password must have at least 12 characters': '密码至少 12 位',
  'password must have at most 128 characters': '密码最多 128 位',
  'password must not contain nul': '密码包含无效字符',
  'password must not be the username': '密码不能与用户名相同',
  'password is one of the most common passwords': '密码太常见，容易被猜到，请换一个',
  'the csrf token is missing or invalid': '页面已过期，请刷新后重试',
  'the request body is too large': '提交的内容太大',
  'the request could not be parsed': '请求格式错误',
  'malformed json': '请求格式错误',
  'an internal error occurred': '系统出错了，请稍后再试',
  'unterminated quoted field': '引号没有闭合',
  'unexpected text after a closing quote': '闭合引号后有多余文字',
  'quote inside an unquoted field': '未加引号的字段中出现引号',
  'invalid utf-8': '不是有效的 UTF-8 文字（请用 UTF-8 编码保存 CSV）',
  // Appeals (src/appeals).
  'appeal not found': '找不到这条诉求',
  'no appeal with that number and access code': '没有找到这条诉求，请核对编号和查询码',
  'the reopen window of 15 days has passed': '已超过办结后 15 天的重新办理期限',
  'this action is not allowed on that appeal': '没有权限对这条诉求执行此操作',
  'the appeal was changed meanwhile; reload it': '这条诉求已被他人办理，请刷新后重试',
  'the template was changed': '常用语已被他人修改，请刷新后重试',
  'the settings were changed': '设置已被他人修改，请刷新后重试',
  'you already have a view with that name': '已有同名视图，请换个名称',
  'view not found': '找不到这个视图',
  'reply template not found': '找不到这条常用语',
  'notification not found': '找不到这条通知',
  'unit not found': '找不到这个单位',
  'no such attachment': '找不到这张图片',
  'too many appeals today': '今天提交的诉求太多，请稍后再试或拨打电话反映',
  'is not an active category': '不是可用的分类',
  'is not an appeal kind': '不是有效的诉求类型',
  'must be a 6-digit gb/t 2260 code': '应为 6 位行政区划代码',
  'latitude and longitude come together': '经度和纬度需要同时提供',
  'must be in the future': '应晚于现在',
  'must not be in the future': '不能晚于现在',
  'is already the handling unit': '已经是当前办理单位',
  'is not a unit': '不是有效的单位',
  'is not an active unit': '该单位不存在或已停用',
  'is not an appeal': '找不到这条诉求',
  'must be another appeal': '不能合并到它自己',
  'at most 5 photos': '最多 5 张照片',
  'at most 5 attachments': '最多 5 张照片',
  'must be 2 to 32 of a-z, 0-9 and _': '应为 2 到 32 位小写字母、数字或下划线',
  'must be an iso 8601 time': '时间格式不正确',
  'must be an iso 8601 time or date': '日期或时间格式不正确',
  'must be satisfied, basically_satisfied or unsatisfied': '请选择满意、基本满意或不满意',
  'must be a date yyyy-mm-dd': '日期格式应为 YYYY-MM-DD',
  'must not be before from': '结束日期不能早于开始日期',
  'a daily trend covers at most 400 days': '按日统计最多 400 天，请缩短期间或按月统计',
  'is not a known value': '不是有效的取值',
  'is not a list of states': '不是有效的状态',
  'must be an object': '格式不正确',
  'must be a number': '应为数字',
  'must hold positive integers': '应为正整数',
  'set the rectification task before completing it': '请先填写整改任务，再记录整改结果',
  'an appeal can only be merged into an open one': '只能合并到仍在办理中的诉求',
  'this idempotency-key was used for a different appeal': '这次提交与之前的内容不同，请刷新页面后重新提交',
  'no such calendar day': '找不到这一天的设置',
  'the file is empty': '文件是空的',
  'the image could not be decoded; it may be damaged or incomplete': '图片无法识别，可能已损坏或不完整，请换一张',
  'upload a jpeg, png or webp image': '请上传 JPG、PNG 或 WebP 格式的图片',
  'upload a jpeg, png, webp or heic image': '请上传 JPG、PNG、WebP 或 HEIC 格式的图片',
  'send the image as the request body with content-type image/*': '请上传图片文件',
};

const ZH_PATTERNS: Pattern[] = [
  [/^must be at most (\d+) characters$/i, (m) => `不能超过 ${m[1]} 个字`],
  [/^must be text of at most (\d+) characters$/i, (m) => `不能超过 ${m[1]} 个字`],
  [/^must be an integer from (-?\d+) to (-?\d+)$/i, (m) => `应为 ${m[1]} 到 ${m[2]} 之间的整数`],
  [/^must be between (\S+) and (\S+)$/i, (m) => `应在 ${m[1]} 到 ${m[2]} 之间`],
  [/^expected (\d+) columns, found (\d+)$/i, (m) => `应有 ${m[1]} 列，实际 ${m[2]} 列`],
  [/^unknown column "(.*)"$/i, (m) => `未知的列“${m[1]}”`],
  [/^column "(.*)" appears twice$/i, (m) => `列“${m[1]}”重复出现`],
  [/^missing column "(.*)"$/i, (m) => `缺少列“${m[1]}”`],
  [/^more than (\d+) columns$/i, (m) => `超过 ${m[1]} 列`],
  [/^more than (\d+) rows$/i, (m) => `超过 ${m[1]} 行`],
  [/^field longer than (\d+) bytes$/i, (m) => `字段超过 ${m[1]} 字节`],
  [/^must be an array of at most (\d+) ids$/i, (m) => `最多 ${m[1]} 个`],
  [/^must list 1 to (\d+) appeals$/i, (m) => `请选择 1 到 ${m[1]} 条诉求`],
  [/^at most (\d+) saved views$/i, (m) => `最多保存 ${m[1]} 个视图`],
  [/^an appeal may have at most (\d+) images$/i, (m) => `每条诉求最多 ${m[1]} 张图片`],
  [
    /^cannot (\w+) an appeal that is (\w+)$/i,
    (m) => `这条诉求当前是“${ZH_STATES[m[2].toLowerCase()] ?? m[2]}”，不能${ZH_ACTIONS[m[1].toLowerCase()] ?? m[1]}`,
  ],
];

function isChinese(locale: string): boolean {
  return locale.toLowerCase().startsWith('zh');
}

/** One server message in the reader's language (unknown messages come back unchanged). */
export function serverMessage(message: string, locale: string): string {
  const text = message.trim();
  if (!text || !isChinese(locale)) return text;
  const sentence = text.replace(/\.$/, '');
  const exact = ZH_EXACT[sentence.toLowerCase()];
  if (exact) return exact;
  for (const [pattern, render] of ZH_PATTERNS) {
    const match = sentence.match(pattern);
    if (match) return render(match);
  }
  return text;
}

/**
 * A field name in the reader's language: "name" -> "名称", and the CSV import's
 * "line 3, column kind" -> "第 3 行，类型（kind）" (unknown fields come back unchanged).
 */
export function serverField(field: string, locale: string): string {
  if (!isChinese(locale)) return field;
  const csv = field.match(/^line (\d+)(?:, column (.+))?$/i);
  if (csv) {
    const [, line, column] = csv;
    if (!column) return `第 ${line} 行`;
    if (/^\d+$/.test(column)) return `第 ${line} 行第 ${column} 列`;
    const label = ZH_FIELDS[column];
    return label ? `第 ${line} 行，${label}（${column}）` : `第 ${line} 行，${column} 列`;
  }
  const base = field.replace(/\[\d+\]$/, '');
  return ZH_FIELDS[base] ?? field;
}
