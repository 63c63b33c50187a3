import { ReadAloud } from '@/components/ReadAloud';
import { TextField } from '@/components/Field';
import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { hallApi } from '@/api/hall';
import { ApiError } from '@/api/client';
import { usePageData } from '@/lib/pageData';

export default function ItemPage() {
  const { params } = useRouter();
  return <Page>{() => <Item id={params.id ?? ''} />}</Page>;
}

function Item({ id }: { id: string }) {
  const [state, reload] = usePageData(() => hallApi.item(id), [id]);
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState('');
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const i = state.data;
  async function requestHelp() {
    try {
      await hallApi.requestProxy(i.id, note.trim());
      setAsking(false);
      await Taro.showToast({ title: '已提交，工作人员会安排人帮您', icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: e instanceof ApiError ? e.message : '提交失败', icon: 'none' });
    }
  }
  return (
    <View className="service-guide">
      <View className="card stack">
        <Text className="hero">{i.name}</Text>
        <Text className="muted">
          {i.department} · {i.theme}
        </Text>
        <Text className="text">谁可以办：{i.eligibility || '本社区居民'}</Text>
        <Text className="text">
          办理时限：{i.timeLimitDays ? `${i.timeLimitDays} 个工作日` : '当场办结'} · 费用：{i.fee}
        </Text>
        <ReadAloud
          text={`${i.name}。要带的材料：${i.materials.map((m, k) => `${k + 1}，${m}`).join('；')}。办理流程：${i.steps.map((st, k) => `第 ${k + 1} 步，${st}`).join('；')}。线下办理地点：${i.offlineAddress}，${i.offlineHours}。`}
          label="把办事指南读给我听"
        />
      </View>
      <View className="card stack materials">
        <Text className="card-title">要带（或上传）的材料</Text>
        {i.materials.map((m, k) => (
          <Text key={k} className="text">
            {k + 1}. {m}
          </Text>
        ))}
      </View>
      <View className="card stack">
        <Text className="card-title">办理流程</Text>
        {i.steps.map((s, k) => (
          <Text key={k} className="text">
            第 {k + 1} 步：{s}
          </Text>
        ))}
      </View>
      <View className="card stack">
        <Text className="card-title">线下办理</Text>
        <Text className="text">{i.offlineAddress}</Text>
        <Text className="muted">{i.offlineHours}</Text>
      </View>
      <View className="card stack">
        {i.online ? (
          <Button className="btn apply-online" onClick={() => Taro.navigateTo({ url: `/packages/hall/apply/index?id=${i.id}` })}>
            网上申请
          </Button>
        ) : (
          <Text className="muted">这个事项需要本人到窗口办理。{i.appointment ? '先预约，到了不用排队。' : ''}</Text>
        )}
        {i.appointment ? (
          <Button className="btn secondary" onClick={() => Taro.navigateTo({ url: `/packages/hall/book/index?id=${i.id}` })}>
            预约到窗口办理
          </Button>
        ) : null}
        {i.proxyAllowed && !asking ? (
          <Button className="btn plain" onClick={() => setAsking(true)}>
            行动不便？请网格员或志愿者帮办
          </Button>
        ) : null}
        {asking ? (
          <View className="stack">
            <TextField label="需要什么帮助" hint="例如：腿脚不便，想请人上门帮忙拍材料" value={note} max={200} onChange={setNote} />
            <Button className="btn" onClick={() => void requestHelp()}>
              提交帮办请求
            </Button>
          </View>
        ) : null}
      </View>
    </View>
  );
}
