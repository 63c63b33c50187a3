import { ActionButton } from '@/components/ActionButton';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { trustApi } from '@/api/trust';
import { ApiError } from '@/api/client';
import { usePageData } from '@/lib/pageData';
import { confirm } from '@/lib/ask';
import { errorMessage, toast } from '@/lib/feedback';
import { signOut } from '@/lib/session';

/**
 * 注销账号: what is still open comes first and what happens to each; then what is erased, what stays and why.
 * The server settles and erases everything in one go and only if the open items are the ones shown here.
 */
export default function DeleteAccountPage() {
  return <Page>{() => <DeleteAccount />}</Page>;
}

const ERASED = [
  '姓名、手机号、微信账号的关联，认证申请里的姓名、电话和备注',
  '办件里填写的内容（身份证号等）和上传的材料照片',
  '您写的提问、评论、积分异议理由，以及还没人处理的议题',
  '居民身份、志愿者登记、服务队、订阅提醒、站内消息和阅读记录',
];
const KEPT: Array<[string, string]> = [
  ['办过的事（办件编号、事项、办理过程）', '政务办理要留档备查；只写“已注销用户”，看不出是谁'],
  ['积分流水和兑换记录', '积分总账要对得上，不能删改'],
  ['报名和服务时长', '组织者和积分要据此核对'],
  ['已公开的决议、公示、投票结果，会议签到', '这是全体居民的公共记录'],
  ['随手拍反映的问题', '问题还要有人处理，网格员的工作量也据此统计'],
  ['操作和查阅记录', '监督委员会核查工作人员用的，只增不改'],
];

function DeleteAccount() {
  const [state, reload] = usePageData(() => trustApi.obligations(), []);
  const [busy, setBusy] = useState(false);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorState message={state.message} onRetry={() => void reload()} />;
  const o = state.data;

  async function remove() {
    const sure = await confirm({
      title: '确定注销账号？',
      content: `注销后不能恢复，工作人员也无法帮您找回。${o.count ? `上面 ${o.count} 件没办完的事会按说明处理。` : ''}`,
      confirmText: '继续',
    });
    if (!sure) return;
    const really = await confirm({
      title: '最后确认',
      content: '确认注销后，您会立即退出登录。以后再用需要重新登记。',
      confirmText: '注销',
      cancelText: '再想想',
    });
    if (!really) return;
    setBusy(true);
    try {
      await trustApi.deleteAccount(o.count);
      signOut();
      toast('账号已注销');
      Taro.reLaunch({ url: process.env.TARO_ENV === 'h5' ? '/packages/account/login/index' : '/pages/home/index' });
    } catch (e) {
      setBusy(false);
      toast(errorMessage(e, '注销没有成功，请稍后再试'));
      if (e instanceof ApiError && e.code === 'trust.obligations_changed') await reload();
    }
  }

  return (
    <View className="delete-account">
      <View className="card stack obligations">
        <Text className="card-title">还没办完的事（{o.count} 件）</Text>
        {o.count === 0 ? <Text className="text">没有没办完的事。</Text> : <Text className="text">注销时会这样处理：</Text>}
        {o.items.map((x) => (
          <View key={`${x.kind}-${x.id}`} className={`list-item obligation obligation-${x.kind}`}>
            <View className="row">
              <Text className="text">{x.title}</Text>
              <Text className="tag warn">{x.status}</Text>
            </View>
            <Text className="muted">{x.outcome}</Text>
          </View>
        ))}
      </View>

      <View className="card stack">
        <Text className="card-title">会删除的</Text>
        {ERASED.map((x) => (
          <Text key={x} className="text">
            · {x}
          </Text>
        ))}
      </View>

      <View className="card stack kept">
        <Text className="card-title">会保留的，以及为什么</Text>
        <Text className="muted">这些记录别人还要用到，只保留一个看不出是谁的编号，显示为“已注销用户”。</Text>
        {KEPT.map(([what, why]) => (
          <View key={what} className="list-item">
            <Text className="text">{what}</Text>
            <Text className="muted">{why}</Text>
          </View>
        ))}
      </View>

      <View className="card stack">
        <Button className="btn plain" onClick={() => Taro.navigateTo({ url: '/packages/account/mydata/index' })}>
          先下载我的数据 ›
        </Button>
        <ActionButton className="btn danger delete-account-button" disabled={busy} onClick={() => void remove()}>
          {busy ? '正在注销…' : '注销账号'}
        </ActionButton>
      </View>
    </View>
  );
}
