import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { shanghaiDate } from '@contracts/time';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button, Input, Picker, Switch } from '@tarojs/components';
import { Page } from '@/components/Page';
import { affairsApi } from '@/api/affairs';
import { ApiError } from '@/api/client';
import { currentCommunity } from '@/lib/session';

const inDays = (n: number) => shanghaiDate(Date.now(), n);

export default function NewPollPage() {
  return <Page>{({ me }) => <NewPoll communityId={currentCommunity(me)?.id ?? ''} />}</Page>;
}

function NewPoll({ communityId }: { communityId: string }) {
  const [title, setTitle] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [households, setHouseholds] = useState(false);
  const [multiple, setMultiple] = useState(false);
  const [live, setLive] = useState(false);
  const [closes, setCloses] = useState(inDays(7));
  const [error, setError] = useState('');
  async function submit() {
    try {
      const p = await affairsApi.createPoll({
        communityId,
        title: title.trim(),
        description: '',
        options: options.map((o) => o.trim()).filter(Boolean),
        multiple,
        electorate: households ? 'households' : 'residents',
        liveResults: live,
        closesAt: new Date(`${closes}T20:00:00+08:00`).toISOString(),
      });
      Taro.redirectTo({ url: `/packages/affairs/poll/index?id=${p.id}` });
    } catch (e) {
      setError(e instanceof ApiError ? (Object.values(e.fields)[0] ?? e.message) : '发起失败');
    }
  }
  return (
    <View className="card stack">
      <Input className="input" placeholder="投票或调查的题目" {...named('投票或调查的题目')} value={title} onInput={(e) => setTitle(e.detail.value)} />
      {options.map((o, i) => (
        <Input
          key={i}
          className="input"
          placeholder={`选项 ${i + 1}`}
          {...named(`选项 ${i + 1}`)}
          value={o}
          onInput={(e) => setOptions(options.map((x, j) => (j === i ? e.detail.value : x)))}
        />
      ))}
      <Button className="btn plain" onClick={() => setOptions([...options, ''])}>
        加一个选项
      </Button>
      <View className="row">
        <Text className="text">每户一票（否则每人一票）</Text>
        <Switch checked={households} color="#b83227" {...named('每户一票（否则每人一票）')} onChange={(e) => setHouseholds(e.detail.value)} />
      </View>
      <View className="row">
        <Text className="text">可以多选</Text>
        <Switch checked={multiple} color="#b83227" {...named('可以多选')} onChange={(e) => setMultiple(e.detail.value)} />
      </View>
      <View className="row">
        <Text className="text">投票期间公开实时结果</Text>
        <Switch checked={live} color="#b83227" {...named('投票期间公开实时结果')} onChange={(e) => setLive(e.detail.value)} />
      </View>
      <Picker mode="date" value={closes} onChange={(e) => setCloses(e.detail.value)}>
        <View className="input picker">{closes} 晚上 8 点截止</View>
      </Picker>
      {error ? <View className="banner alert">{error}</View> : null}
      <ActionButton className="btn" disabled={title.trim().length < 4} onClick={() => void submit()}>
        发起
      </ActionButton>
    </View>
  );
}
