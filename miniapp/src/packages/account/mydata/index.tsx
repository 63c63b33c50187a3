import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { trustApi, type MyData } from '@/api/trust';
import { usePageData } from '@/lib/pageData';
import { formatDateTime, roleLabel } from '@/lib/format';
import { toast } from '@/lib/feedback';
import { saveBlob } from '@/lib/download';

/**
 * 我的数据 (个人信息保护法: the right to see and take out one's data): everything the platform holds about me,
 * as a JSON file and a plain-text summary. Others' data and how I voted are not in it.
 */
export default function MyDataPage() {
  return <Page>{() => <MyDataView />}</Page>;
}

type Row = Record<string, unknown>;
const rows = (d: MyData, key: string): Row[] => (Array.isArray(d[key]) ? (d[key] as Row[]) : []);
const t = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? formatDateTime(v) : v === null || v === undefined ? '' : String(v));

/** Each part of the export: its name for people, and one readable line per item. */
const SECTIONS: Array<[string, string, (r: Row) => string]> = [
  [
    'memberships',
    '所在社区和身份',
    (r) =>
      `${t(r.community)} ${roleLabel[String(r.role)] ?? t(r.role)}${r.household ? ` · ${t(r.household)}` : ''}${r.grid ? ` · ${t(r.grid)}` : ''} · ${t(r.since)} 起`,
  ],
  [
    'verifications',
    '居民认证申请',
    (r) => `${t(r.community)} ${t(r.address)} · ${t(r.realName)} · ${t(r.relation)}${r.phone ? ` · ${t(r.phone)}` : ''} · ${t(r.status)} · ${t(r.createdAt)}`,
  ],
  ['consents', '授权记录', (r) => `${t(r.purpose)} 版本 ${t(r.version)} · ${r.granted ? '同意' : '撤回'} · ${t(r.at)}`],
  ['cases', '办件', (r) => `${t(r.item)} · ${t(r.statusLabel)} · 提交于 ${t(r.createdAt)} · 填写内容：${JSON.stringify(r.formData)}`],
  ['appointments', '预约', (r) => `${t(r.item)} · ${t(r.startsAt)} · ${t(r.status)}`],
  ['helpRequests', '帮办代办', (r) => `${t(r.item)} · ${t(r.status)} · 帮办人 ${t(r.helper)}`],
  ['volunteer', '志愿者登记', (r) => `${t(r.community)} · 特长 ${(r.skills as string[] | undefined)?.join('、') ?? ''} · ${t(r.availability)}`],
  ['teams', '服务队', (r) => `${t(r.team)} · ${t(r.status)}`],
  ['signups', '活动报名和时长', (r) => `${t(r.activity)} · ${t(r.startsAt)} · ${t(r.status)}${r.minutes ? ` · ${t(r.minutes)} 分钟 · ${t(r.points)} 分` : ''}`],
  ['whistleResponses', '吹哨报到', (r) => `${t(r.call)} · ${t(r.at)}`],
  ['pointAccounts', '积分账户', (r) => `${t(r.community)} 余额 ${t(r.balance)}`],
  ['pointEntries', '积分流水', (r) => `${t(r.createdAt)} ${Number(r.delta) > 0 ? '+' : ''}${t(r.delta)} · ${t(r.reason)}`],
  ['redemptions', '积分兑换', (r) => `${t(r.goods)} · ${t(r.points)} 分 · ${t(r.status)} · ${t(r.createdAt)}`],
  ['reports', '随手拍', (r) => `${t(r.createdAt)} · ${t(r.description)} · ${t(r.status)}`],
  ['topics', '我提的议题', (r) => `${t(r.title)} · ${t(r.status)} · ${t(r.createdAt)}`],
  ['cosigns', '联名', (r) => `${t(r.topic)} · ${t(r.at)}`],
  ['comments', '评论', (r) => `${t(r.topic)}：${t(r.body)}`],
  ['questions', '对公开事项的提问', (r) => `${t(r.notice)}：${t(r.body)}${r.answer ? ` → 答复：${t(r.answer)}` : ''}`],
  ['objections', '积分异议', (r) => `记录 #${t(r.entryId)}：${t(r.reason)} · ${t(r.status)}`],
  ['pollsTakenPart', '参加过的投票（只记是否投过，不记投给谁）', (r) => `${t(r.poll)} · ${t(r.as)}`],
  ['noticesRead', '看过的公告', (r) => `${t(r.notice)} · ${t(r.firstReadAt)}`],
  ['subscriptions', '订阅的微信提醒', (r) => `${t(r.community)} · ${t(r.topic)} · 剩余 ${t(r.credits)} 次`],
  ['notifications', '站内消息', (r) => `${t(r.createdAt)} ${t(r.title)}`],
  ['files', '上传的照片和文件', (r) => `${t(r.name)} · ${t(r.createdAt)}${r.attachedTo ? '' : ' · 未使用'}`],
  [
    'accessLog',
    '谁查看了我的信息',
    (r) => `${t(r.at)} · ${t(r.communityName)} ${roleLabel[String(r.role)] ?? '帮办人'} ${t(r.actor)} · ${r.what === 'case' ? '办件' : '认证申请'}`,
  ],
];

function summaryText(d: MyData): string {
  const p = d.profile;
  const lines = [
    '村居通 · 我的数据（摘要）',
    `导出时间：${formatDateTime(d.exportedAt)}`,
    '',
    '1. 基本资料',
    `昵称：${p.displayName}`,
    `姓名：${p.realName ?? '（未认证）'}`,
    `手机号：${p.phone ?? '（未保存）'}`,
    `注册时间：${t(p.createdAt)}`,
  ];
  SECTIONS.forEach(([key, label, line], i) => {
    const items = rows(d, key);
    lines.push('', `${i + 2}. ${label}（${items.length} 条）`);
    if (!items.length) lines.push('（无）');
    for (const r of items) lines.push(`· ${line(r)}`);
  });
  lines.push('', '说明：', String((d.notes as Row | undefined)?.votes ?? ''), String((d.notes as Row | undefined)?.others ?? ''));
  return lines.join('\n');
}

/** H5: a download; WeChat: a file sent to a chat (文件传输助手 keeps it). */
function saveFile(name: string, text: string, type: string) {
  if (process.env.TARO_ENV === 'h5') {
    saveBlob(new Blob([text], { type }), name);
    return;
  }
  const path = `${Taro.env.USER_DATA_PATH}/${name}`;
  Taro.getFileSystemManager().writeFileSync(path, text, 'utf8');
  Taro.shareFileMessage({ filePath: path, fileName: name }).catch(() => toast('已保存到小程序文件夹，可以再点一次发送到聊天'));
}

function MyDataView() {
  const [state, reload] = usePageData(() => trustApi.myData(), []);
  const [policy] = usePageData(() => trustApi.retention(), []);
  if (state.status === 'loading') return <Loading text="正在整理您的数据…" />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const d = state.data;
  const day = d.exportedAt.slice(0, 10);
  return (
    <View className="my-data">
      <View className="card stack">
        <Text className="card-title">我的数据</Text>
        <Text className="text">这里是村居通保存的、关于您本人的全部信息。别人的信息不在里面；投票时只记录您投过票，不记录投给了谁。</Text>
        <Text className="muted">整理时间 {formatDateTime(d.exportedAt)}</Text>
        <View className="btn-row">
          <Button className="btn mydata-json" onClick={() => saveFile(`我的数据-${day}.json`, JSON.stringify(d, null, 1), 'application/json')}>
            {process.env.TARO_ENV === 'h5' ? '下载全部数据' : '保存全部数据'}
          </Button>
          <Button className="btn secondary mydata-text" onClick={() => saveFile(`我的数据摘要-${day}.txt`, summaryText(d), 'text/plain;charset=utf-8')}>
            {process.env.TARO_ENV === 'h5' ? '下载文字摘要' : '保存文字摘要'}
          </Button>
        </View>
      </View>

      <View className="card stack mydata-summary">
        <Text className="card-title">基本资料</Text>
        <Text className="text">姓名：{d.profile.realName ?? '（未认证）'}</Text>
        <Text className="text">手机号：{d.profile.phone ?? '（未保存）'}</Text>
        <Text className="text">昵称：{d.profile.displayName}</Text>
      </View>

      <View className="card stack">
        <Text className="card-title">各类记录</Text>
        {SECTIONS.map(([key, label]) => (
          <View key={key} className={`row list-item mydata-${key}`}>
            <Text className="text">{label}</Text>
            <Text className="text">{rows(d, key).length} 条</Text>
          </View>
        ))}
        {d.truncated.length ? <View className="banner info">记录太多，部分列表只给出了前 10000 条；需要全部的，请到社区服务中心办理。</View> : null}
      </View>

      {policy.status === 'ready' ? (
        <View className="card stack">
          <Text className="card-title">保存多久</Text>
          {policy.data.items.map((x) => (
            <View key={x.kind} className="list-item">
              <Text className="text">
                {x.what}：{x.days === null ? '长期保存' : x.days >= 365 ? `${Math.round(x.days / 365)} 年` : `${x.days} 天`}
              </Text>
              <Text className="muted">{x.why}</Text>
            </View>
          ))}
        </View>
      ) : null}

      <View className="card stack">
        <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/account/access-log/index' })}>
          谁查看了我的信息 ›
        </Button>
        <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/account/delete/index' })}>
          注销账号 ›
        </Button>
      </View>
    </View>
  );
}
