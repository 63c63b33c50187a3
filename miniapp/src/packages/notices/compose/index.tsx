import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { LinkText } from '@/components/LinkText';
import { shanghaiDate } from '@contracts/time';
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button, Input, Textarea, Picker, Switch } from '@tarojs/components';
import { Uploader } from '@/components/Uploader';
import { filesApi, type StoredFile } from '@/api/files';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { noticesApi, type Notice, type NoticeCategory } from '@/api/notices';
import { coreApi, type CommunityDetail } from '@/api/core';
import { ApiError } from '@/api/client';
import { categoryLabel, formatFen, reviewedCategories, yuanToFen } from '@/lib/format';
import { currentCommunity, hasRole } from '@/lib/session';

const CATEGORIES: NoticeCategory[] = ['policy', 'routine', 'major', 'temporary', 'hotspot', 'party', 'affairs', 'finance', 'emergency'];

interface Line {
  occurredOn: string;
  item: string;
  direction: 'income' | 'expense';
  yuan: string;
  counterparty: string;
}
// Today in Asia/Shanghai, whatever the phone's time zone.
const today = () => shanghaiDate();
const emptyLine = (): Line => ({ occurredOn: today(), item: '', direction: 'expense', yuan: '', counterparty: '' });

export default function ComposePage() {
  const { params } = useRouter();
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        if (!c || !hasRole(me, c.id, ['committee'])) return <ErrorState message="只有两委成员可以发布公告。" />;
        return (
          <Compose communityId={c.id} id={params.id} correcting={params.mode === 'correct'} initialCategory={params.category as NoticeCategory | undefined} />
        );
      }}
    </Page>
  );
}

function Compose({
  communityId,
  id,
  correcting,
  initialCategory,
}: {
  communityId: string;
  id?: string;
  correcting: boolean;
  initialCategory?: NoticeCategory;
}) {
  const [loading, setLoading] = useState(Boolean(id));
  const [loadError, setLoadError] = useState('');
  const [community, setCommunity] = useState<CommunityDetail | null>(null);
  const [category, setCategory] = useState<NoticeCategory>(initialCategory && CATEGORIES.includes(initialCategory) ? initialCategory : 'routine');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [grids, setGrids] = useState<string[]>([]);
  const [pinned, setPinned] = useState(false);
  const [important, setImportant] = useState(false);
  const [period, setPeriod] = useState('');
  const [lines, setLines] = useState<Line[]>(initialCategory === 'finance' ? [emptyLine()] : []);
  const [attachments, setAttachments] = useState<{ name: string; url: string }[]>([]);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [publishAt, setPublishAt] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [existing, setExisting] = useState<Notice | null>(null);
  const [photos, setPhotos] = useState<StoredFile[]>([]);

  useEffect(() => {
    coreApi
      .community(communityId)
      .then(setCommunity)
      .catch(() => undefined);
    if (!id) return;
    noticesApi
      .get(id)
      .then((n) => {
        setExisting(n);
        setCategory(n.category);
        setTitle(n.version.title);
        setBody(n.version.body);
        setGrids(n.audienceGridIds ?? []);
        setPinned(n.pinned);
        setImportant(n.important);
        setPeriod(n.financePeriod ?? '');
        setAttachments(n.version.attachments);
        setPublishAt(n.publishAt ? n.publishAt.slice(0, 10) : '');
        setExpiresOn(n.expiresAt ? n.expiresAt.slice(0, 10) : '');
        setLines(
          (n.finance?.lines ?? []).map((l) => ({
            occurredOn: l.occurredOn,
            item: l.item,
            direction: l.direction,
            yuan: formatFen(l.amountFen).replace(/,/g, ''),
            counterparty: l.counterparty,
          })),
        );
        setLoading(false);
      })
      .catch((e) => {
        setLoadError(e instanceof ApiError ? e.message : '加载失败');
        setLoading(false);
      });
  }, [id, communityId]);

  if (loading) return <Loading />;
  if (loadError) return <ErrorState message={loadError} />;

  const locked = Boolean(existing?.firstPublishedAt); // audience and timing are settled at first publication
  const needsReview = reviewedCategories.includes(category);

  function payload() {
    const local: Record<string, string> = {};
    if (title.trim().length < 2) local['content.title'] = '标题至少 2 个字';
    if (category === 'finance' && period.trim().length < 2) local.financePeriod = '请填写公开期间，例如 2026年11月';
    const financeLines =
      category === 'finance'
        ? lines.map((l, i) => {
            const amountFen = yuanToFen(l.yuan);
            if (!amountFen) local[`content.financeLines.${i}.amountFen`] = '请填写金额，例如 1280.50';
            if (!l.item.trim()) local[`content.financeLines.${i}.item`] = '请填写收支事项';
            return {
              occurredOn: l.occurredOn,
              item: l.item.trim(),
              direction: l.direction,
              amountFen: amountFen ?? 0,
              counterparty: l.counterparty.trim() || undefined,
            };
          })
        : [];
    if (correcting && note.trim().length < 2) local.correctionNote = '请写明更正了什么';
    setErrors(local);
    if (Object.keys(local).length) return null;
    return {
      content: { title: title.trim(), body, images: existing?.version.images ?? [], attachments, financeLines },
      audienceGridIds: category === 'emergency' || grids.length === 0 ? null : grids,
      pinned,
      important: important || category === 'emergency',
      publishAt: publishAt ? new Date(`${publishAt}T08:00:00+08:00`).toISOString() : null,
      expiresAt: expiresOn ? new Date(`${expiresOn}T23:59:59+08:00`).toISOString() : null,
      financePeriod: category === 'finance' ? period.trim() : null,
    };
  }

  async function save(submit: boolean) {
    const p = payload();
    if (!p) return;
    setBusy(true);
    try {
      let n: Notice;
      if (correcting && id) n = await noticesApi.correct(id, p.content, note.trim());
      else {
        n = id ? await noticesApi.update(id, p) : await noticesApi.create({ communityId, category, ...p });
        // Photos and vouchers go with the draft; once it is published they are sealed with it.
        if (photos.length)
          await filesApi.attach(
            category === 'finance' ? 'finance' : 'notice',
            n.id,
            photos.map((f) => f.id),
          );
        if (submit) n = await noticesApi.submit(n.id);
      }
      await Taro.showToast({
        title: n.version.status === 'published' ? '已发布' : n.version.status === 'submitted' ? '已送监督委员会审核' : '草稿已保存',
        icon: 'success',
      });
      Taro.redirectTo({ url: `/packages/notices/detail/index?id=${n.id}` });
    } catch (e) {
      if (e instanceof ApiError) setErrors({ ...e.fields, _: e.message });
      else setErrors({ _: '保存失败，请稍后再试' });
    } finally {
      setBusy(false);
    }
  }

  const setLine = (i: number, patch: Partial<Line>) => setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const err = (k: string) => (errors[k] ? <View className="field-error">{errors[k]}</View> : null);

  return (
    <View className="card compose">
      {correcting ? (
        <View className="banner info">发布更正会生成新版本，居民看到“已更正”标记，旧版本仍可查看。{needsReview ? '更正同样要经监督委员会审核。' : ''}</View>
      ) : null}
      <View className="field">
        <View className="field-label">类别</View>
        <Picker
          mode="selector"
          range={CATEGORIES.map((c) => categoryLabel[c])}
          value={CATEGORIES.indexOf(category)}
          disabled={Boolean(id)}
          onChange={(e) => setCategory(CATEGORIES[Number(e.detail.value)]!)}
        >
          <View className="input picker category-picker">
            {categoryLabel[category]}
            {needsReview ? '（需监督委员会审核）' : ''}
          </View>
        </Picker>
      </View>
      <View className="field">
        <View className="field-label">标题</View>
        <Input
          className="input title-input"
          value={title}
          maxlength={80}
          placeholder="一句话说清楚"
          {...named('一句话说清楚')}
          onInput={(e) => setTitle(e.detail.value)}
        />
        {err('content.title')}
      </View>
      <View className="field">
        <View className="field-label">正文</View>
        <Textarea
          className="input body-input"
          style={{ height: '320px', padding: '16px' }}
          value={body}
          maxlength={20000}
          placeholder="空一行分段。写清楚时间、地点、要带什么、找谁。"
          {...named('空一行分段。写清楚时间、地点、要带什么、找谁。')}
          onInput={(e) => setBody(e.detail.value)}
        />
      </View>
      {category === 'finance' ? (
        <View className="field finance-editor">
          <View className="field-label">公开期间</View>
          <Input
            className="input period-input"
            value={period}
            placeholder="例如 2026年11月"
            {...named('例如 2026年11月')}
            onInput={(e) => setPeriod(e.detail.value)}
          />
          {err('financePeriod')}
          <View className="field-label" style={{ marginTop: '24px' }}>
            收支明细
          </View>
          {lines.map((l, i) => (
            <View key={i} className="card finance-line-editor stack" style={{ background: '#faf7f2' }}>
              <View className="row">
                <Text className="text">第 {i + 1} 笔</Text>
                <LinkText label={`删除第 ${i + 1} 行`} onClick={() => setLines(lines.filter((_, j) => j !== i))}>
                  删除
                </LinkText>
              </View>
              <Picker mode="date" value={l.occurredOn} onChange={(e) => setLine(i, { occurredOn: e.detail.value })}>
                <View className="input picker">日期：{l.occurredOn}</View>
              </Picker>
              <Input
                className="input line-item"
                value={l.item}
                placeholder="事项，例如 楼道灯更换"
                {...named('事项，例如 楼道灯更换')}
                onInput={(e) => setLine(i, { item: e.detail.value })}
              />
              {err(`content.financeLines.${i}.item`)}
              <View className="btn-row">
                <Button className={`btn line-income ${l.direction === 'income' ? '' : 'plain'}`} onClick={() => setLine(i, { direction: 'income' })}>
                  收入
                </Button>
                <Button className={`btn line-expense ${l.direction === 'expense' ? '' : 'plain'}`} onClick={() => setLine(i, { direction: 'expense' })}>
                  支出
                </Button>
              </View>
              <Input
                className="input line-amount"
                type="digit"
                value={l.yuan}
                placeholder="金额（元）"
                {...named('金额（元），例如 1280.50')}
                onInput={(e) => setLine(i, { yuan: e.detail.value })}
              />
              {err(`content.financeLines.${i}.amountFen`)}
              <Input
                className="input line-counterparty"
                value={l.counterparty}
                placeholder="对方单位或个人（选填）"
                {...named('对方单位或个人（选填）')}
                onInput={(e) => setLine(i, { counterparty: e.detail.value })}
              />
            </View>
          ))}
          <Button className="btn secondary add-line" onClick={() => setLines([...lines, emptyLine()])}>
            添加一笔
          </Button>
        </View>
      ) : null}
      {category !== 'emergency' && community ? (
        <View className="field">
          <View className="field-label">发给谁</View>
          <Text className="muted">{locked ? '已发布，范围不能再改' : '不选网格就是全社区'}</Text>
          <View className="grid-links">
            {community.grids.map((g) => (
              <ActionButton
                key={g.id}
                disabled={locked}
                className={`btn ${grids.includes(g.id) ? '' : 'plain'}`}
                onClick={() => setGrids(grids.includes(g.id) ? grids.filter((x) => x !== g.id) : [...grids, g.id])}
              >
                {g.name}
              </ActionButton>
            ))}
          </View>
        </View>
      ) : null}
      {!correcting ? (
        <>
          <View className="field row">
            <Text className="text">置顶</Text>
            <Switch checked={pinned} color="#b83227" {...named('置顶')} onChange={(e) => setPinned(e.detail.value)} />
          </View>
          {category !== 'emergency' ? (
            <View className="field row">
              <Text className="text">重要（统计未读户，网格员上门告知）</Text>
              <Switch checked={important} color="#b83227" {...named('重要（统计未读户，网格员上门告知）')} onChange={(e) => setImportant(e.detail.value)} />
            </View>
          ) : null}
          {!locked ? (
            <View className="field">
              <View className="field-label">定时发布（选填）</View>
              <Picker mode="date" value={publishAt} onChange={(e) => setPublishAt(e.detail.value)}>
                <View className="input picker">{publishAt ? `${publishAt} 早上 8:00 发布` : '立即发布'}</View>
              </Picker>
              {publishAt ? <LinkText onClick={() => setPublishAt('')}>改为立即发布</LinkText> : null}
              <View className="field-label" style={{ marginTop: '24px' }}>
                到期下架（选填）
              </View>
              <Picker mode="date" value={expiresOn} start={publishAt || today()} onChange={(e) => setExpiresOn(e.detail.value)}>
                <View className="input picker">{expiresOn ? `${expiresOn} 之后不再显示在列表里` : '一直显示'}</View>
              </Picker>
              {expiresOn ? <LinkText onClick={() => setExpiresOn('')}>改为一直显示</LinkText> : null}
            </View>
          ) : null}
        </>
      ) : (
        <View className="field">
          <View className="field-label">更正说明</View>
          <Input
            className="input correction-note"
            value={note}
            placeholder="如：金额更正为380元"
            {...named('更正说明，例如：缴费金额更正为 380 元')}
            onInput={(e) => setNote(e.detail.value)}
          />
          {err('correctionNote')}
        </View>
      )}
      {!correcting && !locked ? (
        <View className="field">
          <View className="field-label">{category === 'finance' ? '凭证照片（发票、收据，选填）' : '照片（选填）'}</View>
          <Uploader
            communityId={communityId}
            purpose={category === 'finance' ? 'finance' : 'notice'}
            label={category === 'finance' ? '凭证' : '照片'}
            allowDocuments={category === 'finance'}
            onChange={setPhotos}
          />
        </View>
      ) : null}
      {errors._ ? (
        <View className="banner alert" role="alert">
          {errors._}
        </View>
      ) : null}
      <View className="btn-row">
        {!correcting ? (
          <ActionButton className="btn plain save-draft" disabled={busy} onClick={() => void save(false)}>
            存草稿
          </ActionButton>
        ) : null}
        <ActionButton className="btn notice-submit" loading={busy} disabled={busy} onClick={() => void save(true)}>
          {needsReview ? '提交监督委员会审核' : correcting ? '发布更正' : '发布'}
        </ActionButton>
      </View>
    </View>
  );
}
