/**
 * The product's vocabularies, written once: contracts build their enums from these arrays, the
 * mini-program shows these labels, and a catalog test checks that the database's enums and CHECK lists
 * hold exactly the same values. Zod-free, so the mini-program imports it without zod.
 */

/** 事项主题 (service hall themes), in the order residents browse them. */
export const SERVICE_THEMES = ['社保', '医保', '养老', '就业', '证明开具', '困难救助', '证照办理', '计生', '残疾人', '其他'] as const;
export type ServiceTheme = (typeof SERVICE_THEMES)[number];

/** 公告类别 and how residents read them. */
export const NOTICE_CATEGORIES = ['policy', 'routine', 'major', 'temporary', 'hotspot', 'party', 'affairs', 'finance', 'emergency'] as const;
export type NoticeCategoryId = (typeof NOTICE_CATEGORIES)[number];
export const NOTICE_CATEGORY_LABEL: Record<NoticeCategoryId, string> = {
  policy: '惠民政策',
  routine: '常规事务',
  major: '重大事项',
  temporary: '临时通知',
  hotspot: '热点回应',
  party: '党务公开',
  affairs: '村(居)务公开',
  finance: '财务公开',
  emergency: '应急通知',
};
/** Disclosures the supervisory committee reviews before residents see them (app.notice_needs_review). */
export const REVIEWED_NOTICE_CATEGORIES: readonly NoticeCategoryId[] = ['affairs', 'finance'];
/** Disclosures residents may ask questions under (app.notice_is_disclosure). */
export const DISCLOSURE_CATEGORIES: readonly NoticeCategoryId[] = ['party', 'affairs', 'finance'];

/** Roles held per community (app.role). */
export const ROLES = ['resident', 'grid_worker', 'clerk', 'committee', 'supervisor', 'admin'] as const;
export type RoleId = (typeof ROLES)[number];
export const ROLE_LABEL: Record<RoleId, string> = {
  resident: '居民',
  grid_worker: '网格员',
  clerk: '便民服务中心工作人员',
  committee: '两委成员',
  supervisor: '监督委员会成员',
  admin: '街道管理员',
};

/** A case's states (app.application_status) as residents read them. */
export const APPLICATION_STATUSES = ['submitted', 'accepted', 'processing', 'completed', 'returned', 'rejected'] as const;
export type ApplicationStatusId = (typeof APPLICATION_STATUSES)[number];
/** What the clerk's button says for each next step (the steps themselves come from the database: nextSteps). */
export const APPLICATION_STEP_LABEL: Record<ApplicationStatusId, string> = {
  submitted: '提交',
  accepted: '受理',
  processing: '开始办理',
  completed: '办结',
  returned: '退回补正',
  rejected: '不予受理',
};

export const VERIFICATION_STATUSES = ['pending', 'approved', 'refused', 'withdrawn'] as const;
export const VERIFICATION_LABEL: Record<(typeof VERIFICATION_STATUSES)[number], string> = {
  pending: '审核中',
  approved: '已通过',
  refused: '未通过',
  withdrawn: '已撤回',
};

/** 与户主关系. */
export const RELATIONS = ['户主', '配偶', '子女', '父母', '其他亲属', '租户'] as const;

/** Kinds of points ledger entries. */
export const POINT_ENTRY_KINDS = ['service', 'award', 'deduction', 'correction', 'objection', 'redemption', 'refund', 'transfer', 'closure'] as const;
export const POINT_ENTRY_LABEL: Record<(typeof POINT_ENTRY_KINDS)[number], string> = {
  service: '志愿服务',
  award: '奖励',
  deduction: '扣分',
  correction: '更正',
  objection: '异议冲销',
  redemption: '兑换',
  refund: '退回',
  transfer: '同户转移',
  closure: '迁出清零',
};

/** 随手拍 states (app.grid_reports.status) and the ladder's levels. */
export const REPORT_STATUSES = ['reported', 'accepted', 'in_progress', 'resolved', 'confirmed'] as const;
export type ReportStatusId = (typeof REPORT_STATUSES)[number];
export const REPORT_STATUS_LABEL: Record<ReportStatusId, string> = {
  reported: '已上报',
  accepted: '已受理',
  in_progress: '处置中',
  resolved: '已办结',
  confirmed: '已确认',
};
export const REPORT_LEVELS = ['grid', 'community', 'street'] as const;
export const REPORT_LEVEL_LABEL: Record<(typeof REPORT_LEVELS)[number], string> = { grid: '网格', community: '社区', street: '街道' };
/** Where a report is: my household, a building, a public place, a point on the map, or words. */
export const REPORT_PLACE_KINDS = ['household', 'building', 'place', 'point', 'text'] as const;
/** What a person can do to a report (app.report_actions decides who may, when). */
export const REPORT_ACTIONS = ['accept', 'start', 'resolve', 'escalate', 'call_department', 'department_report', 'confirm', 'reopen', 'rate'] as const;
export type ReportActionId = (typeof REPORT_ACTIONS)[number];
export const REPORT_ACTION_LABEL: Record<ReportActionId, string> = {
  accept: '受理',
  start: '开始处置',
  resolve: '办结',
  escalate: '上报上一级',
  call_department: '吹哨叫部门',
  department_report: '部门报到',
  confirm: '确认解决',
  reopen: '没解决，重新打开',
  rate: '评价',
};
/** Steps recorded on a report (app.report_steps.action). */
export const REPORT_STEP_ACTIONS = ['report', 'join', ...REPORT_ACTIONS, 'auto_escalate', 'review'] as const;
export const REPORT_STEP_LABEL: Record<(typeof REPORT_STEP_ACTIONS)[number], string> = {
  ...REPORT_ACTION_LABEL,
  report: '反映问题',
  join: '也遇到了（同一件事）',
  auto_escalate: '超时自动上报',
  review: '差评复核',
  department_report: '部门报到',
};
/** 走访 topics a grid worker ticks. */
export const VISIT_TOPICS = ['独居老人', '困难群体', '留守儿童', '残疾人', '矛盾纠纷', '安全隐患', '政策咨询', '其他'] as const;
/** 矛盾纠纷 outcomes (app.disputes.status). */
export const DISPUTE_STATUSES = ['open', 'agreed', 'referred', 'closed'] as const;
export const DISPUTE_STATUS_LABEL: Record<(typeof DISPUTE_STATUSES)[number], string> = {
  open: '调解中',
  agreed: '达成协议',
  referred: '已转交',
  closed: '已结案',
};

/** What a community does with a resident's spendable points when they move out or die. */
export const POINTS_ON_MOVE_OUT = ['keep', 'transfer', 'close'] as const;
export const POINTS_ON_MOVE_OUT_LABEL: Record<(typeof POINTS_ON_MOVE_OUT)[number], string> = {
  keep: '保留在本人账户',
  transfer: '转给同户家人',
  close: '清零',
};
