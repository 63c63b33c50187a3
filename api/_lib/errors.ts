import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every failure the API can return: a stable key, its HTTP status and the message a resident reads.
 * Database functions raise the same keys (`raise exception using message = 'core.forbidden'`).
 * Domains add their keys in their own `errors` block below; nothing else maps errors.
 */
export const errorCatalog = {
  // request
  'request.invalid': [400, '填写的内容有误，请检查后再试'],
  'request.not_found': [404, '没有找到这个页面或接口'],
  'request.rate_limited': [429, '操作太频繁了，请稍等一会儿再试'],
  'request.idempotency_key_required': [400, '请求缺少幂等键，请刷新后重试'],
  'request.body_required': [400, '请求缺少内容，请填写后再提交'],
  'request.unsupported_media_type': [415, '请求格式不对，应为 JSON'],
  'request.too_large': [413, '提交的内容太大了，请删减后再试'],
  'request.method_not_allowed': [405, '不支持这种请求方式'],
  'request.invalid_cursor': [400, '翻页参数不对，请回到第一页再试'],
  'internal': [500, '系统开小差了，请稍后再试；着急的话请拨打社区服务电话'],
  'db.unavailable': [503, '系统正在恢复，请稍等几秒再试；着急的话请拨打社区服务电话'],
  // auth
  'auth.required': [401, '请先登录'],
  'auth.invalid_token': [401, '登录已失效，请重新登录'],
  'auth.expired_token': [401, '登录已过期，请重新登录'],
  'auth.wechat_code_invalid': [401, '微信登录凭证无效或已使用，请重新进入小程序'],
  'auth.wechat_unavailable': [502, '暂时连不上微信，请稍后再试'],
  'auth.wechat_not_configured': [503, '微信登录尚未配置，请联系社区工作人员'],
  'auth.wechat_misconfigured': [503, '微信登录配置有误，请联系社区工作人员'],
  'auth.unknown_persona': [404, '没有这个演示身份'],
  // core
  'core.forbidden': [403, '您没有这项操作的权限'],
  'core.invalid_input': [400, '填写的内容有误，请检查后再试'],
  'core.not_found': [404, '没有找到相关的记录，请刷新后再试'],
  'core.community_not_found': [404, '没有找到这个社区或村'],
  'core.conflict': [409, '这条记录已经存在了'],
  'core.append_only': [409, '已记录的内容不能修改或删除'],
  'core.building_not_found': [404, '没有找到这个楼栋，请重新选择'],
  'core.already_verified': [409, '您已经是本社区认证居民了'],
  'core.verification_pending': [409, '您已提交过认证申请，请等待审核'],
  'core.verification_not_found': [404, '没有找到这条认证申请'],
  'core.verification_decided': [409, '这条申请已经处理过了'],
  'core.reason_required': [400, '请填写不通过的原因，方便居民补充'],
  'core.consent_required': [409, '需要您先同意相关授权'],
  'content.rejected': [400, '内容里有不适合公开的信息，请修改后再提交'],
  'content.check_unavailable': [503, '内容审核暂时不可用，请稍后再试'],
  'cron.forbidden': [403, '无权运行定时任务'],
  // files
  'files.not_found': [404, '没有找到这个文件，可能已被删除或您无权查看'],
  'files.not_ready': [409, '文件还在处理，请稍等再试'],
  'files.too_large': [400, '文件太大了：照片不超过 10MB，文件不超过 20MB'],
  'files.type_not_allowed': [400, '只能上传照片（JPG、PNG、WebP）或 PDF 文件'],
  'files.too_many': [400, '一次最多添加 9 个，每条记录最多 20 个'],
  'files.not_attachable': [409, '有文件不能添加：可能不是您上传的、还没处理好，或已经用在别处'],
  'files.record_not_found': [404, '没有找到要添加文件的记录'],
  'files.storage_unavailable': [503, '文件存储暂时不可用，请稍后再试'],
  // notices
  'notices.not_found': [404, '没有找到这条公告，可能已被撤下或您无权查看'],
  'notices.not_editable': [409, '这条公告没有可以修改的草稿'],
  'notices.not_submitted': [409, '这条公告不在待审核状态'],
  'notices.not_published': [409, '公告还没有发布，直接修改草稿即可'],
  'notices.correction_pending': [409, '已有一份更正在处理中，请先处理完'],
  'notices.correction_note_required': [400, '请写明更正了什么'],
  'notices.comment_required': [400, '退回时请写明需要修改的地方'],
  'notices.finance_lines_required': [400, '财务公开至少需要一条收支明细'],
  'notices.finance_lines_only_for_finance': [400, '只有财务公开可以填写收支明细'],
  'notices.grid_not_found': [400, '选择的网格不属于本社区'],
  'notices.questions_not_open': [409, '只有党务、村(居)务、财务公开可以提问'],
  'notices.question_not_found': [404, '没有找到这条提问'],
  'notices.question_not_answerable': [409, '这条提问还在审核或已被隐藏，不能回复'],
  // volunteers
  'volunteer.resident_required': [403, '认证为本社区居民后才能参加'],
  'volunteer.profile_required': [409, '请先登记为志愿者'],
  'volunteer.team_not_found': [404, '没有找到这支服务队'],
  'volunteer.request_not_found': [404, '没有找到这条入队申请'],
  'volunteer.signup_not_found': [404, '没有找到这条报名记录'],
  'volunteer.activity_not_found': [404, '没有找到这个活动，可能不是本社区或本网格的'],
  'volunteer.activity_started': [409, '活动已经开始或已取消，不能再报名'],
  'volunteer.activity_full': [409, '名额已满'],
  'volunteer.already_signed_up': [409, '您已经报名了'],
  'volunteer.not_signed_up': [409, '您没有报名这个活动'],
  'volunteer.cancel_closed': [409, '已过取消截止时间，如有变化请直接联系组织者'],
  'volunteer.starts_in_past': [400, '开始时间要晚于现在'],
  'volunteer.code_invalid': [409, '签到码不对或已过期，请扫描组织者手机上最新的码'],
  'volunteer.not_during_activity': [409, '现在不是这个活动的签到时间'],
  'volunteer.not_checked_in': [409, '请先签到，再签退'],
  'volunteer.not_started': [409, '活动还没开始，不能确认出勤'],
  'volunteer.not_confirmed': [409, '出勤还没有确认'],
  'volunteer.minutes_out_of_range': [400, '时长超出了活动时间'],
  'volunteer.call_not_found': [404, '没有找到这条呼叫，或它不是发给您的'],
  'volunteer.call_closed': [409, '这次呼叫已经结束'],
  // points
  'points.insufficient': [409, '可用积分不够'],
  'points.second_approver_required': [409, '扣分需要另一位两委成员审批'],
  'points.deduction_decided': [409, '这条扣分申请已经处理过了'],
  'points.deduction_not_found': [404, '没有找到这条扣分申请'],
  'points.month_not_over': [400, '只能公示已经结束的月份'],
  'points.already_published': [409, '这个月已经公示过了'],
  'points.publication_not_found': [404, '这个月还没有公示'],
  'points.entry_not_found': [404, '没有找到这条积分记录，或它还没有公示'],
  'points.objection_closed': [409, '异议期已经结束'],
  'points.objection_exists': [409, '您已经对这条记录提出过异议'],
  'points.objection_reason_required': [400, '请写明异议理由（至少 5 个字）'],
  'points.objection_decided': [409, '这条异议已经处理过了'],
  'points.objection_not_found': [404, '没有找到这条异议'],
  // service hall
  'hall.item_not_found': [404, '没有找到这个办事事项'],
  'hall.application_not_found': [404, '没有找到这个办件，可能不是您的，或链接有误'],
  'hall.field_required': [400, '这一项必须填写'],
  'hall.field_invalid': [400, '这一项填写的格式不对'],
  'hall.offline_only': [409, '这个事项需要本人到窗口办理，可以先预约'],
  'hall.invalid_transition': [409, '办件当前的状态不能这样处理'],
  'hall.note_required': [400, '请写明原因或需要补充的材料'],
  'hall.not_completed': [409, '办结后才能评价'],
  'hall.already_rated': [409, '这个办件已经评价过了'],
  'hall.rectification_closed': [409, '这条整改已经处理过了'],
  'hall.rectification_not_found': [404, '没有找到这条差评整改'],
  'hall.slot_not_found': [404, '没有找到这个预约时段'],
  'hall.slot_past': [409, '这个时段已经过去了'],
  'hall.slot_full': [409, '这个时段已经约满了，请换一个时段'],
  'hall.already_booked': [409, '这个事项您已经有一个预约了，如需改期请先取消'],
  'hall.appointment_not_found': [404, '没有找到这个预约'],
  'hall.appointment_closed': [409, '这个预约已经取消或已到场'],
  'hall.cancel_closed': [409, '开始前 2 小时内不能在网上取消，请打电话告知窗口'],
  'hall.proxy_not_allowed': [409, '这个事项需要本人办理，不能代办'],
  'hall.proxy_not_found': [404, '没有找到这条帮办请求'],
  'hall.proxy_closed': [409, '这条帮办请求已经结束'],
  'hall.helper_not_eligible': [400, '帮办人必须是本社区的网格员、工作人员或登记的志愿者'],
  'hall.consent_required': [409, '居民还没有同意由您代办'],
  'hall.not_your_case': [403, '您只能为指派给您的这件事代办'],
  // consultation
  'affairs.topic_not_found': [404, '没有找到这个议题'],
  'affairs.resident_required': [403, '认证为本社区居民后才能联名或评论'],
  'affairs.cosign_closed': [409, '这个议题已经不再征集联名了'],
  'affairs.already_handled': [409, '这个议题已经处理过了'],
  'affairs.template_not_found': [404, '没有找到这个议事程序'],
  'affairs.answer_required': [400, '请写明不列入议事的理由（至少 10 个字），居民都能看到'],
  'affairs.not_in_procedure': [409, '这个议题不在议事程序中'],
  'affairs.step_has_no_meeting': [409, '这一步不是会议表决'],
  'affairs.roster_empty': [409, '这次会议的名册是空的，请先登记代表或党员'],
  'affairs.not_in_roster': [400, '参会人中有人不在本次会议的名册里'],
  'affairs.quorum_not_met': [409, '到会人数没有超过应到人数的三分之二，会议不能作出决定'],
  'affairs.tally_exceeds_attendance': [400, '赞成、反对、弃权合计不能超过到会人数'],
  'affairs.wrong_role_for_step': [403, '这一步应由其他人员办理'],
  'affairs.meeting_required': [409, '这一步需要先记录会议和表决结果'],
  'affairs.motion_not_passed': [409, '表决没有通过（需超过到会人数的一半），不能进入下一步'],
  'affairs.invalid_send_back': [400, '只能退回到之前的步骤'],
  'affairs.not_decided': [409, '议题还没有形成决议'],
  'affairs.publication_not_found': [404, '没有找到要更正的公示'],
  'affairs.comment_not_found': [404, '没有找到这条评论'],
  'affairs.poll_not_found': [404, '没有找到这个投票'],
  'affairs.not_in_electorate': [403, '您不在这次投票的范围内（需为本社区认证居民）'],
  'affairs.poll_closed': [409, '投票还没开始或已经结束'],
  'affairs.invalid_choice': [400, '选项不对，请重新选择'],
  'affairs.already_voted': [409, '您（或您家）已经投过票了，每人（每户）只能投一次'],
  // grid management (随手拍, 走访, 调解)
  'grid.category_not_found': [400, '请选择问题类别'],
  'grid.place_required': [400, '请说明问题在哪里（选楼栋、公共场所、地图位置，或写明地点）'],
  'grid.report_not_found': [404, '没有找到这条随手拍，可能不是您的，或链接有误'],
  'grid.not_your_level': [403, '这件事现在不在您这一级办理'],
  'grid.reporter_only': [403, '只有反映问题的居民本人可以确认、重新打开或评价'],
  'grid.reopen_closed': [409, '办结超过 7 天，不能再重新打开了，可以重新反映'],
  'grid.not_called': [403, '您的部门没有被叫到这件事上，或已经报到过了'],
  'grid.invalid_transition': [409, '这件事当前的状态不能这样处理'],
  'grid.note_required': [400, '请写明处理情况或原因（至少 2 个字）'],
  'grid.department_pending': [409, '还有叫来的部门没有报到，暂时不能办结'],
  'grid.photo_required': [400, '这类问题办结时需要拍一张处理后的照片'],
  'grid.department_not_found': [404, '没有找到这个部门'],
  'grid.rating_invalid': [400, '请选择 1 到 5 颗星'],
  'grid.household_not_found': [404, '没有找到这一户'],
  'grid.not_your_grid': [403, '这一户不在您负责的网格里'],
  'grid.follow_up_needs_date': [400, '要跟进的事请同时写上跟进日期'],
  'grid.follow_up_in_past': [400, '跟进日期不能早于今天'],
  'grid.dispute_not_found': [404, '没有找到这条矛盾纠纷'],
  'grid.log_day_invalid': [400, '日志日期只能是今天或之前 31 天内'],
  'grid.visit_not_found': [404, '没有找到这次走访'],
  'grid.dispute_closed': [409, '这条矛盾纠纷已经结案'],
  'grid.mediation_required': [409, '至少记录一次调解，才能登记达成协议'],
  'grid.outcome_required': [400, '达成协议请写明协议内容，转交请写明转交给谁'],
  'grid.worker_not_found': [404, '没有找到这位网格员'],
  // points mall
  'mall.goods_not_found': [404, '没有找到这件商品'],
  'mall.not_available': [409, '这件商品现在不能兑换（已下架或不在兑换时间内）'],
  'mall.out_of_stock': [409, '库存不足，已经兑完了'],
  'mall.limit_reached': [409, '这件商品您本期已兑换到上限'],
  'mall.correction_below_reserved': [409, '货架上没有这么多可以减的库存'],
  'mall.redemption_not_found': [404, '没有找到这个领取码，请核对后再输入'],
  'mall.redemption_closed': [409, '这个兑换已取消或已过期，不能领取'],
  'mall.already_handed_over': [409, '这个领取码已经领过了，不能重复领取'],
  // trust: the public record chain, my data, deleting an account
  'trust.entry_not_found': [404, '没有找到这条公开记录'],
  'trust.record_not_found': [500, '要公开的记录不存在，请联系管理员'],
  'trust.unsupported_number': [500, '公开记录里有无法登记的数字，请联系管理员'],
  'trust.obligations_changed': [409, '您的待办事项有变化，请重新查看后再确认注销'],
  'trust.account_deleted': [409, '这个账号已经注销，不能恢复或修改'],
} as const satisfies Record<string, readonly [ContentfulStatusCode, string]>;

export type ErrorKey = keyof typeof errorCatalog;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorKey,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(code);
  }
  get status(): ContentfulStatusCode {
    return errorCatalog[this.code][0];
  }
}

export function isErrorKey(key: string): key is ErrorKey {
  return Object.hasOwn(errorCatalog, key);
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export function errorBody(code: ErrorKey, fields?: Record<string, string>): ErrorBody {
  return { error: { code, message: errorCatalog[code][1], ...(fields ? { fields } : {}) } };
}
