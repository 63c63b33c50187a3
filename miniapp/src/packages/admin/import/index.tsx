import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { Chips } from '@/components/Chips';
import { Page } from '@/components/Page';
import { adminApi, downloadSheet, pickSheet, type ImportKind, type ImportResult } from '@/api/admin';
import { errorMessage, toast } from '@/lib/feedback';
import { AdminFrame } from '../components/AdminFrame';
import { TableScroll } from '../components/TableScroll';
import '../admin.css';

export default function ImportPage() {
  const { params } = useRouter();
  return <Page>{() => <Import id={params.id ?? ''} />}</Page>;
}

const ACTION_LABEL = { create: '新建', update: '更新', refused: '不能导入' } as const;

/** The two sheets an office keeps: households with their residents, and the 代表/党员 rosters. */
const KINDS: Record<ImportKind, { label: string; template: string; file: string; steps: string[] }> = {
  households: {
    label: '住户和居民',
    template: '/admin/templates/households',
    file: '住户和居民导入模板.xlsx',
    steps: [
      '1. 下载模板，按模板填好（也可以用自己的表，第一行写上 楼栋、门牌号 等列名）。',
      '2. 选择填好的表格，先试导入：每一行会怎样都列出来，不会写入。',
      '3. 确认无误后正式导入。居民本人用表里的手机号登录并同意提供手机号后，才会成为认证居民。',
    ],
  },
  roster: {
    label: '代表和党员名册',
    template: '/admin/templates/roster',
    file: '代表和党员名册导入模板.xlsx',
    steps: [
      '1. 下载模板，每人每个名册一行：姓名、手机号、名册（居民代表、村民代表 或 党员）。',
      '2. 表里出现的名册以整张表为准：名册上有、表里没有的人会移出，试导入时会先列出来。',
      '3. 确认后写入。已是认证居民的人马上进名册；其他人本人登录并成为本社区认证居民后自动进名册。',
    ],
  },
};

/**
 * 导入台账: download the template, fill it in Excel, choose it here. A dry run shows what every row would do;
 * nothing is written until the admin confirms. Importing the same sheet again changes nothing.
 */
function Import({ id }: { id: string }) {
  const [kind, setKind] = useState<ImportKind>('households');
  const [file, setFile] = useState<{ path: string; name: string; size: number } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState('');
  async function run(f: { path: string; name: string }, dryRun: boolean) {
    setError('');
    if (!dryRun) setResult(null);
    setProgress(0);
    try {
      setResult(await adminApi.importSheet(id, kind, f.path, dryRun, (p) => setProgress(p)));
      if (!dryRun) toast('已导入');
    } catch (e) {
      setResult(null);
      setError(errorMessage(e, '没有导入成功，请检查网络后再试'));
    } finally {
      setProgress(null);
    }
  }
  async function choose() {
    const f = await pickSheet();
    if (!f) return;
    setFile(f);
    setResult(null);
    await run(f, true);
  }
  const refused = result?.details.filter((d) => d.action === 'refused') ?? [];
  const others = result?.details.filter((d) => d.action !== 'refused') ?? [];
  return (
    <AdminFrame section="import" communityId={id}>
      <View className="card stack">
        <Text className="card-title">从 Excel 导入{KINDS[kind].label}</Text>
        <Chips
          className="import-kind"
          label="导入哪一种表"
          options={(Object.keys(KINDS) as ImportKind[]).map((k) => ({ key: k, label: KINDS[k].label }))}
          value={kind}
          onChange={(k) => {
            if (progress !== null || k === kind) return;
            setKind(k);
            setFile(null);
            setResult(null);
            setError('');
          }}
        />
        {KINDS[kind].steps.map((t) => (
          <Text key={t} className="text">
            {t}
          </Text>
        ))}
        <View className="btn-row">
          <Button
            className="btn secondary import-template"
            onClick={() => void downloadSheet(KINDS[kind].template, KINDS[kind].file).catch(() => toast('模板没有下载成功'))}
          >
            下载模板
          </Button>
          <ActionButton className="import-choose" disabled={progress !== null} onClick={() => void choose()}>
            {file ? '重新选择表格' : '选择表格（.xlsx 或 .csv）'}
          </ActionButton>
        </View>
        {file ? (
          <Text className="muted">
            已选择：{file.name}（{Math.max(1, Math.round(file.size / 1024))} KB）
          </Text>
        ) : null}
        {progress !== null ? (
          <View className="stack" aria-busy="true">
            <View className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress)} aria-label="上传进度">
              <View className="progress-fill" style={{ width: `${Math.round(progress)}%` }} />
            </View>
            <Text className="muted">{progress < 100 ? `正在上传 ${Math.round(progress)}%` : '正在逐行检查…'}</Text>
          </View>
        ) : null}
        {error ? (
          <View className="banner alert" role="alert">
            {error}
          </View>
        ) : null}
      </View>
      {result ? (
        <View className="card stack import-result">
          <Text className="card-title">{result.dryRun ? '试导入结果（还没有写入）' : '已导入'}</Text>
          <Text className="text import-summary">
            共 {result.rows} 行：新建 {result.created}，更新 {result.updated}，不变 {result.unchanged}，不能导入 {result.refused}
          </Text>
          {refused.length ? (
            <View className="banner alert" role="alert">
              有 {refused.length} 行不能导入，请在表格里改正后重新选择。其余的行可以先导入。
            </View>
          ) : null}
          <TableScroll label="每一行的结果">
            <View className="table" role="table">
              <View className="table-row head" role="row">
                {(kind === 'roster' ? ['行号', '结果', '说明'] : ['行号', '楼栋', '门牌号', '结果', '说明']).map((h) => (
                  <View key={h} className="table-cell" role="columnheader">
                    {h}
                  </View>
                ))}
              </View>
              {[...refused, ...others].slice(0, 300).map((d, i) => (
                <View key={`${d.row}-${d.action}-${i}`} className={`table-row import-row ${d.action === 'refused' ? 'refused' : ''}`} role="row">
                  <View className="table-cell num" role="cell">
                    {d.row || '—'}
                  </View>
                  {kind === 'roster' ? null : (
                    <>
                      <View className="table-cell" role="cell">
                        {d.building}
                      </View>
                      <View className="table-cell" role="cell">
                        {d.room}
                      </View>
                    </>
                  )}
                  <View className="table-cell" role="cell">
                    {ACTION_LABEL[d.action]}
                  </View>
                  <View className="table-cell" role="cell">
                    {d.reason}
                  </View>
                </View>
              ))}
            </View>
          </TableScroll>
          {result.details.length > 300 ? <Text className="muted">只列出前 300 行，其余的行结果相同。</Text> : null}
          {result.dryRun && file && result.created + result.updated > 0 ? (
            <ActionButton className="import-confirm" disabled={progress !== null} onClick={() => void run(file, false)}>
              确认导入（{result.created + result.updated} 行{result.refused ? `，跳过 ${result.refused} 行` : ''}）
            </ActionButton>
          ) : null}
          {result.dryRun && result.created + result.updated === 0 && !result.refused ? (
            <Text className="text">表格里的内容都已经在系统里了，不需要再导入。</Text>
          ) : null}
        </View>
      ) : null}
    </AdminFrame>
  );
}
