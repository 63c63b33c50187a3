import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input, Textarea, Switch, Picker } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/StateView';
import { Uploader } from '@/components/Uploader';
import type { StoredFile } from '@/api/files';
import { gridApi, type ReportCategory, type SimilarReport } from '@/api/grid';
import { coreApi, type Me } from '@/api/core';
import { ApiError, newIdempotencyKey } from '@/api/client';
import { fetchAllPages, usePageData } from '@/lib/pageData';
import { currentCommunity } from '@/lib/session';
import { runAction, toast } from '@/lib/feedback';
import { formatDateTime } from '@/lib/format';
import '../grid.css';

export default function NewReportPage() {
  return (
    <Page>
      {({ me }) => {
        const c = currentCommunity(me);
        return c ? (
          <NewReport me={me} communityId={c.id} />
        ) : (
          <Empty
            text="加入社区或村以后，就可以随手拍反映问题了。"
            action="申请居民认证"
            onAction={() => Taro.navigateTo({ url: '/packages/account/verify/index' })}
          />
        );
      }}
    </Page>
  );
}

type PlaceKind = 'household' | 'building' | 'place' | 'point' | 'text';
const PLACE_LABEL: Record<PlaceKind, string> = { household: '我家附近', building: '某栋楼', place: '公共场所', point: '地图上选', text: '写下地点' };

/** The emergency numbers come first: a report is not an emergency call. */
function EmergencyBanner() {
  const call = (n: string) => void Taro.makePhoneCall({ phoneNumber: n }).catch(() => undefined);
  return (
    <View className="banner alert emergency" role="alert">
      <Text>正在发生危险（着火、有人受伤、有人闹事）请先打电话，随手拍不能代替报警。</Text>
      <View className="btn-row">
        <Button className="btn danger" onClick={() => call('110')}>
          110 报警
        </Button>
        <Button className="btn danger" onClick={() => call('119')}>
          119 火警
        </Button>
        <Button className="btn danger" onClick={() => call('120')}>
          120 急救
        </Button>
      </View>
    </View>
  );
}

function NewReport({ me, communityId }: { me: Me; communityId: string }) {
  const household = me.communities.find((c) => c.id === communityId)?.household ?? null;
  const [cats] = usePageData(() => gridApi.categories(communityId), [communityId]);
  const [buildings] = usePageData(() => fetchAllPages((cur) => coreApi.buildings(communityId, cur)), [communityId]);
  const [places] = usePageData(() => fetchAllPages((cur) => gridApi.places(communityId, cur)), [communityId]);
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [placeKind, setPlaceKind] = useState<PlaceKind>(household ? 'household' : 'building');
  const [buildingId, setBuildingId] = useState<string | null>(null);
  const [placeId, setPlaceId] = useState<string | null>(null);
  const [point, setPoint] = useState<{ latitude: number; longitude: number; name: string } | null>(null);
  const [placeText, setPlaceText] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [photos, setPhotos] = useState<StoredFile[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [similar, setSimilar] = useState<SimilarReport[]>([]);
  // One key for this report: a retry after a lost answer returns the same report, never a second one.
  const [key] = useState(newIdempotencyKey);

  // "同一件事？": open reports of this category at this place from the last day.
  useEffect(() => {
    setSimilar([]);
    if (!category) return;
    const where =
      placeKind === 'household' ? {} : placeKind === 'building' && buildingId ? { buildingId } : placeKind === 'place' && placeId ? { placeId } : null;
    if (!where) return;
    let live = true;
    gridApi.similar(communityId, category, where).then(
      (r) => {
        if (live) setSimilar(r.items);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [communityId, category, placeKind, buildingId, placeId]);

  if (cats.status === 'loading') return <Loading />;
  if (cats.status === 'error') return <ErrorState message={cats.message} />;
  const categories: ReportCategory[] = cats.data.items;
  const chosen = categories.find((c) => c.code === category);
  const buildingList = buildings.status === 'ready' ? buildings.data : [];
  const placeList = places.status === 'ready' ? places.data : [];
  const kinds: PlaceKind[] = [
    ...(household ? ['household' as const] : []),
    'building',
    'place',
    ...(process.env.TARO_ENV === 'weapp' ? ['point' as const] : []),
    'text',
  ];

  async function pickPoint() {
    try {
      const r = await Taro.chooseLocation({});
      setPoint({ latitude: r.latitude, longitude: r.longitude, name: r.name || r.address || '地图上的位置' });
      if (!placeText) setPlaceText((r.name || r.address || '').slice(0, 100));
    } catch {
      toast('没有选到位置，可以改为写下地点');
    }
  }

  async function submit() {
    const local: Record<string, string> = {};
    if (!category) local.category = '请先选问题类别';
    if (description.trim().length < 5) local.description = '请写清楚是什么问题（至少 5 个字）';
    if (placeKind === 'building' && !buildingId) local.buildingId = '请选择楼栋';
    if (placeKind === 'place' && !placeId) local.placeId = '请选择公共场所';
    if (placeKind === 'point' && !point) local.latitude = '请在地图上选一个位置';
    if (placeKind === 'text' && placeText.trim().length < 2) local.placeText = '请写明地点（至少 2 个字）';
    setErrors(local);
    if (Object.keys(local).length) return toast(Object.values(local)[0]!);
    setBusy(true);
    try {
      const r = await gridApi.create(
        {
          communityId,
          category,
          description: description.trim(),
          placeKind,
          buildingId: placeKind === 'building' ? buildingId : null,
          placeId: placeKind === 'place' ? placeId : null,
          latitude: point && placeKind === 'point' ? point.latitude : null,
          longitude: point && placeKind === 'point' ? point.longitude : null,
          placeText: placeText.trim(),
          anonymous,
          fileIds: photos.map((p) => p.id),
        },
        key,
      );
      toast('已送到网格员，可以在这里看进度');
      void Taro.redirectTo({ url: `/packages/grid/report/index?id=${r.id}` });
    } catch (e) {
      setErrors(e instanceof ApiError ? { ...e.fields, _: e.message } : { _: '没有提交成功，请检查网络后再试' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="new-report">
      {chosen?.emergency ? <EmergencyBanner /> : null}
      <View className="card stack">
        <View className="field">
          <View className="field-label" id="report-category-label">
            什么问题
          </View>
          <View className="choices" role="radiogroup" aria-labelledby="report-category-label">
            {categories.map((c) => (
              <View
                key={c.code}
                className={`choice category-${c.code} ${category === c.code ? 'selected' : ''}`}
                role="radio"
                aria-checked={category === c.code}
                onClick={() => setCategory(c.code)}
              >
                {c.name}
              </View>
            ))}
          </View>
          {errors.category ? <View className="field-error">{errors.category}</View> : null}
          {chosen ? (
            <Text className="muted">
              网格员 {chosen.acceptHours} 小时内受理，{chosen.solveHours >= 48 ? `${Math.round(chosen.solveHours / 24)} 天` : `${chosen.solveHours} 小时`}
              内办结；超时自动报给社区。
            </Text>
          ) : null}
        </View>

        <View className="field">
          <View className="field-label">哪里</View>
          <View className="choices" role="radiogroup" aria-label="地点">
            {kinds.map((k) => (
              <View
                key={k}
                className={`choice place-${k} ${placeKind === k ? 'selected' : ''}`}
                role="radio"
                aria-checked={placeKind === k}
                onClick={() => setPlaceKind(k)}
              >
                {PLACE_LABEL[k]}
              </View>
            ))}
          </View>
          {placeKind === 'household' && household ? (
            <Text className="muted">
              {household.address} 附近（{household.gridName}）
            </Text>
          ) : null}
          {placeKind === 'building' ? (
            <Picker
              mode="selector"
              range={buildingList.map((b) => `${b.name}（${b.gridName}）`)}
              onChange={(e) => setBuildingId(buildingList[Number(e.detail.value)]?.id ?? null)}
            >
              <View className="input picker report-building">{buildingList.find((b) => b.id === buildingId)?.name ?? '选择楼栋 / 村民小组'}</View>
            </Picker>
          ) : null}
          {placeKind === 'place' ? (
            placeList.length ? (
              <Picker mode="selector" range={placeList.map((p) => p.name)} onChange={(e) => setPlaceId(placeList[Number(e.detail.value)]?.id ?? null)}>
                <View className="input picker report-place">{placeList.find((p) => p.id === placeId)?.name ?? '选择公共场所'}</View>
              </Picker>
            ) : (
              <Text className="muted">社区还没有登记公共场所，请选“写下地点”。</Text>
            )
          ) : null}
          {placeKind === 'point' ? (
            <Button className="btn plain" onClick={() => void pickPoint()}>
              {point ? `已选：${point.name}（点此重选）` : '打开地图选位置'}
            </Button>
          ) : null}
          {placeKind === 'text' || placeKind === 'point' ? (
            <Input
              className="input report-place-text"
              value={placeText}
              maxlength={100}
              placeholder="例如 春晖路公交站旁的井盖"
              {...named('地点说明')}
              onInput={(e) => setPlaceText(e.detail.value)}
            />
          ) : null}
          {[errors.buildingId, errors.placeId, errors.latitude, errors.placeText, errors.placeKind].filter(Boolean).map((m) => (
            <View key={m} className="field-error">
              {m}
            </View>
          ))}
        </View>

        {similar.length ? (
          <View className="banner info similar" role="status">
            <Text className="text">同一件事？这里一天内已经有人反映了：</Text>
            {similar.map((s) => (
              <View key={s.id} className="list-item">
                <Text className="text">{s.description}</Text>
                <Text className="muted">
                  {s.statusLabel} · {formatDateTime(s.createdAt)} · {s.followers} 人反映
                </Text>
                <Button
                  className="btn secondary join-similar"
                  onClick={() =>
                    void runAction(
                      () => gridApi.join(s.id),
                      '已加入，进展会同时告诉您',
                      async () => {
                        void Taro.redirectTo({ url: `/packages/grid/report/index?id=${s.id}` });
                      },
                    )
                  }
                >
                  是同一件事，我也跟进
                </Button>
              </View>
            ))}
            <Text className="muted">不是同一件事就继续往下填。</Text>
          </View>
        ) : null}

        <View className="field">
          <View className="field-label" id="report-description-label">
            说说情况
          </View>
          <Textarea
            className="input textarea report-description"
            value={description}
            maxlength={1000}
            placeholder="例如 3号楼东边的路灯不亮三天了，晚上很黑"
            onInput={(e) => setDescription(e.detail.value)}
          />
          {errors.description ? <View className="field-error">{errors.description}</View> : null}
        </View>

        <View className="field">
          <View className="field-label">照片（选填，最多 9 张）</View>
          <Uploader communityId={communityId} purpose="grid_report" label="现场照片" max={9} onChange={setPhotos} />
        </View>

        <View className="row switch-row">
          <View>
            <Text className="text">不让邻居看到我的名字</Text>
            <Text className="muted">网格员和社区工作人员仍然知道是谁反映的</Text>
          </View>
          <View className="switch-box">
            <Switch
              className="report-anonymous big-switch"
              checked={anonymous}
              color="#b83227"
              {...named('不让邻居看到我的名字')}
              onChange={(e) => setAnonymous(e.detail.value)}
            />
          </View>
        </View>

        {errors._ ? (
          <View className="banner alert" role="alert">
            {errors._}
          </View>
        ) : null}
        <ActionButton className="report-submit" loading={busy} disabled={busy} onClick={() => void submit()}>
          提交
        </ActionButton>
      </View>
    </View>
  );
}
