import { useState } from 'react';
import { View, Text, Textarea, Button } from '@tarojs/components';
import { reasonRequest } from '../lib/ask';

/** The H5 twin of WeChat's editable showModal, drawn by the Page frame while askReason() waits. */
export function ReasonDialog() {
  const req = reasonRequest.use();
  const [text, setText] = useState('');
  if (!req) return null;
  const tooShort = text.trim().length < req.minLength;
  const close = (v: string | null) => {
    setText('');
    req.resolve(v);
  };
  return (
    <View className="mask" role="dialog" aria-modal="true" aria-labelledby="reason-title">
      <View className="sheet stack reason-dialog">
        <Text className="card-title" id="reason-title">
          {req.title}
        </Text>
        <Textarea
          className="input textarea reason-input"
          value={text}
          placeholder={req.placeholder}
          maxlength={300}
          autoFocus
          aria-label={req.title}
          onInput={(e) => setText(e.detail.value)}
        />
        <Text className="muted">{tooShort ? `至少写 ${req.minLength} 个字，对方会看到这段话。` : `${text.trim().length}/300`}</Text>
        <View className="btn-row">
          <Button className="btn plain" onClick={() => close(null)}>
            取消
          </Button>
          <Button
            className={`btn reason-confirm ${tooShort ? 'unavailable' : ''}`}
            aria-disabled={tooShort}
            onClick={() => {
              if (!tooShort) close(text.trim());
            }}
          >
            {req.confirmText}
          </Button>
        </View>
      </View>
    </View>
  );
}
