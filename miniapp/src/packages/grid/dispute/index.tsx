import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Button, Textarea, Input } from '@tarojs/components';
import { ActionButton } from '@/components/ActionButton';
import { named } from '@/lib/a11y';
import { Page } from '@/components/Page';
import { ErrorState, Loading } from '@/components/StateView';
import { gridApi, type Dispute } from '@/api/grid';
import { usePageData } from '@/lib/pageData';
import { formatDateTime } from '@/lib/format';
import { runAction, toast } from '@/lib/feedback';
import { DISPUTE_STATUS_LABEL } from '@contracts/vocab';
import '../grid.css';

export default function DisputePage() {
  const { params } = useRouter();
  return <Page>{() => <DisputeView id={params.id ?? ''} />}</Page>;
}

function DisputeView({ id }: { id: string }) {
  const [state, reload] = usePageData(() => gridApi.dispute(id), [id]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return state.code === 'grid.dispute_not_found' ? (
      <ErrorState message="没有找到这起纠纷。纠纷的详情只有调解的网格员和两委成员能看。" />
    ) : (
      <ErrorState message={state.message} onRetry={() => void reload()} />
    );
  }
  const d = state.data;
  return (
    <View className="dispute">
      <View className="card stack">
        <View className="row">
          <Text className="card-title">{d.title}</Text>
          <Text className={`tag dispute-status ${d.status === 'open' ? 'warn' : 'ok'}`}>{DISPUTE_STATUS_LABEL[d.status]}</Text>
        </View>
        <Text className="text">{d.details}</Text>
        <Text className="muted">
          {d.gridName} · 登记于 {formatDateTime(d.createdAt)}
        </Text>
        <Text className="muted">当事住户：{d.parties.map((p) => p.address).join('、')}</Text>
        {d.agreement ? <Text className="text dispute-agreement">协议：{d.agreement}</Text> : null}
        {d.referredTo ? <Text className="text">已转交：{d.referredTo}</Text> : null}
      </View>
      <View className="card stack mediation-sessions">
        <Text className="card-title">调解记录</Text>
        {d.sessions.length ? (
          d.sessions.map((s) => (
            <View key={s.id} className="step">
              <Text className="muted">
                {formatDateTime(s.heldAt)} · {s.mediator}
              </Text>
              <Text className="step-note">{s.notes}</Text>
            </View>
          ))
        ) : (
          <Text className="muted">还没有调解记录。</Text>
        )}
      </View>
      {d.status === 'open' ? <Mediate d={d} reload={reload} /> : null}
      {d.status === 'open' ? <Conclude d={d} reload={reload} /> : null}
      {d.status !== 'open' ? <Text className="muted">结案后一个月内请回访当事住户，在“走访”里记下回访情况。</Text> : null}
    </View>
  );
}

function Mediate({ d, reload }: { d: Dispute; reload: () => Promise<void> }) {
  const [notes, setNotes] = useState('');
  return (
    <View className="card stack">
      <Text className="card-title">记一次调解</Text>
      <Textarea
        className="input textarea mediation-notes"
        value={notes}
        maxlength={3000}
        {...named('调解情况')}
        placeholder="谁参加、双方的意见、谈到哪一步"
        onInput={(e) => setNotes(e.detail.value)}
      />
      <ActionButton
        className="mediation-save"
        disabled={notes.trim().length < 2}
        onClick={() =>
          void runAction(
            () => gridApi.mediate(d.id, notes.trim()),
            '调解已记录',
            async () => {
              setNotes('');
              await reload();
            },
          )
        }
      >
        保存调解记录
      </ActionButton>
    </View>
  );
}

function Conclude({ d, reload }: { d: Dispute; reload: () => Promise<void> }) {
  const [agreement, setAgreement] = useState('');
  const [referredTo, setReferredTo] = useState('');
  return (
    <View className="card stack conclude">
      <Text className="card-title">结果</Text>
      <Textarea
        className="input textarea conclude-agreement"
        value={agreement}
        maxlength={2000}
        {...named('协议内容')}
        placeholder="达成的协议（双方同意的内容）"
        onInput={(e) => setAgreement(e.detail.value)}
      />
      <Button
        className="btn conclude-agreed"
        onClick={() => {
          if (!d.sessions.length) return toast('请先记录至少一次调解');
          if (agreement.trim().length < 2) return toast('请写明协议内容');
          void runAction(() => gridApi.conclude(d.id, { status: 'agreed', agreement: agreement.trim() }), '已登记达成协议', reload);
        }}
      >
        达成协议，结案
      </Button>
      <Input
        className="input conclude-referred"
        value={referredTo}
        maxlength={100}
        {...named('转交给')}
        placeholder="转交给谁，例如 司法所、派出所"
        onInput={(e) => setReferredTo(e.detail.value)}
      />
      <Button
        className="btn secondary conclude-refer"
        onClick={() => {
          if (referredTo.trim().length < 2) return toast('请写明转交给谁');
          void runAction(() => gridApi.conclude(d.id, { status: 'referred', referredTo: referredTo.trim() }), '已登记转交', reload);
        }}
      >
        调解不成，转交
      </Button>
    </View>
  );
}
