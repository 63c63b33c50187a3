import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Image, Button } from '@tarojs/components';
import { filesApi, uploadChosen, type FilePurpose, type StoredFile } from '../api/files';
import { ApiError, newIdempotencyKey } from '../api/client';
import { toast } from '../lib/feedback';
import { alt } from '../lib/a11y';

/**
 * Add photos (camera or album, compressed by WeChat) — and in WeChat also PDF files from a chat — with
 * progress, a retry that continues the same upload after a network failure, and removal before the
 * record is saved. The same component in WeChat and H5 (a file picker there).
 */
interface Tile {
  key: string;
  name: string;
  path: string;
  size: number;
  kind: 'photo' | 'document';
  progress: number;
  file?: StoredFile;
  error?: string;
}

export function Uploader({
  communityId,
  purpose,
  max = 9,
  label = '照片',
  allowDocuments = false,
  onChange,
}: {
  communityId: string;
  purpose: FilePurpose;
  max?: number;
  label?: string;
  allowDocuments?: boolean;
  /** The ids of the files that are ready to attach. */
  onChange: (ready: StoredFile[]) => void;
}) {
  // The tiles live in a ref too: uploads finish one after another and each must see the latest list.
  const tilesRef = useRef<Tile[]>([]);
  const [tiles, setTiles] = useState<Tile[]>([]);
  const commit = (next: Tile[]) => {
    tilesRef.current = next;
    setTiles(next);
    onChange(next.filter((t) => t.file?.status === 'ready').map((t) => t.file!));
  };
  const update = (key: string, patch: Partial<Tile>) => commit(tilesRef.current.map((t) => (t.key === key ? { ...t, ...patch } : t)));

  async function send(t: Tile) {
    update(t.key, { error: undefined, progress: 0 });
    try {
      const file = await uploadChosen({
        communityId,
        kind: t.kind,
        purpose,
        name: t.name,
        size: t.size,
        path: t.path,
        key: t.key,
        onProgress: (p) => update(t.key, { progress: p }),
      });
      update(t.key, { file, progress: 100 });
    } catch (e) {
      update(t.key, { error: e instanceof ApiError ? (Object.values(e.fields)[0] ?? e.message) : '上传没有成功' });
    }
  }

  async function addPhotos() {
    const room = max - tilesRef.current.length;
    if (room <= 0) return toast(`最多 ${max} 张`);
    try {
      const r = await Taro.chooseMedia({ count: room, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] });
      const added = r.tempFiles.map((f, i) => ({
        key: newIdempotencyKey(),
        name: `照片${tilesRef.current.length + i + 1}.jpg`,
        path: f.tempFilePath,
        size: Math.max(1, Math.round(f.size)),
        kind: 'photo' as const,
        progress: 0,
      }));
      commit([...tilesRef.current, ...added]);
      for (const t of added) await send(t);
    } catch {
      // the person closed the picker
    }
  }

  async function addDocument() {
    const room = max - tilesRef.current.length;
    if (room <= 0) return toast(`最多 ${max} 个`);
    try {
      const r = await Taro.chooseMessageFile({ count: room, type: 'file', extension: ['pdf'] });
      const added = r.tempFiles.map((f) => ({ key: newIdempotencyKey(), name: f.name, path: f.path, size: f.size, kind: 'document' as const, progress: 0 }));
      commit([...tilesRef.current, ...added]);
      for (const t of added) await send(t);
    } catch {
      // the person closed the picker
    }
  }

  async function remove(t: Tile) {
    if (t.file) await filesApi.remove(t.file.id).catch(() => undefined);
    commit(tilesRef.current.filter((x) => x.key !== t.key));
  }

  return (
    <View className="uploader">
      <View className="uploader-tiles">
        {tiles.map((t) => (
          <View key={t.key} className={`uploader-tile ${t.error ? 'failed' : ''}`}>
            {t.kind === 'photo' ? (
              <Image className="uploader-thumb" src={t.file?.url ?? t.path} mode="aspectFill" {...alt(t.name)} />
            ) : (
              <View className="uploader-thumb doc">
                <Text>PDF</Text>
              </View>
            )}
            <Text className="uploader-status" aria-live="polite">
              {t.error ? t.error : t.file?.status === 'ready' ? (t.file.checkStatus === 'pending' ? '审核中' : '已上传') : `上传中 ${Math.round(t.progress)}%`}
            </Text>
            <View className="uploader-actions">
              {t.error ? (
                <Button className="btn plain uploader-retry" onClick={() => void send(t)}>
                  重试
                </Button>
              ) : null}
              <Button className="btn plain uploader-remove" aria-label={`删除 ${t.name}`} onClick={() => void remove(t)}>
                删除
              </Button>
            </View>
          </View>
        ))}
      </View>
      {tiles.length < max ? (
        <View className="btn-row">
          <Button className="btn secondary uploader-add" onClick={() => void addPhotos()}>
            添加{label}（拍照或相册）
          </Button>
          {allowDocuments && process.env.TARO_ENV === 'weapp' ? (
            <Button className="btn secondary" onClick={() => void addDocument()}>
              从聊天选 PDF
            </Button>
          ) : null}
        </View>
      ) : (
        <Text className="muted">已达上限 {max} 个</Text>
      )}
    </View>
  );
}
