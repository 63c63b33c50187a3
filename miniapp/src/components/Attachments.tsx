import Taro from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import { filesApi, type FilePurpose } from '../api/files';
import { alt } from '../lib/a11y';
import { usePageData } from '../lib/pageData';

/**
 * The photos and files of a record, for whoever may see it: photos as thumbnails that open full screen,
 * PDFs as rows that open the document. Links last a few minutes; reopening the page fetches fresh ones.
 */
export function Attachments({
  entity,
  entityId,
  title = '附件',
  refreshKey = 0,
  only,
}: {
  entity: FilePurpose;
  entityId: string;
  title?: string;
  refreshKey?: number;
  /** Show only some of the record's files (e.g. a report's "after" photos). */
  only?: (fileId: string) => boolean;
}) {
  const [state] = usePageData(() => filesApi.list(entity, entityId), [entity, entityId, refreshKey]);
  if (state.status === 'loading') return <Text className="muted">正在加载{title}…</Text>;
  if (state.status === 'error')
    return (
      <View className="muted" role="alert">
        {title}暂时打不开：{state.message}
      </View>
    );
  const files = state.data.items.filter((f) => f.url && (!only || only(f.id)));
  if (files.length === 0) return null;
  const photos = files.filter((f) => f.contentType?.startsWith('image/'));
  const docs = files.filter((f) => f.contentType === 'application/pdf');
  const open = (url: string) => Taro.previewImage({ current: url, urls: photos.map((p) => p.url!) });
  return (
    <View className="attachments stack">
      <Text className="field-label">{title}</Text>
      {photos.length ? (
        <View className="uploader-tiles">
          {photos.map((p) => (
            <View key={p.id} className="uploader-tile" role="button" aria-label={`查看照片 ${p.name}`} onClick={() => open(p.url!)}>
              <Image className="uploader-thumb attachment-photo" src={p.url!} mode="aspectFill" {...alt(p.name)} />
              {p.checkStatus === 'pending' ? <Text className="uploader-status">审核中，仅您和工作人员可见</Text> : null}
            </View>
          ))}
        </View>
      ) : null}
      {docs.map((d) => (
        <View
          key={d.id}
          className="list-item row"
          role="link"
          onClick={() => {
            if (process.env.TARO_ENV === 'weapp') {
              void Taro.downloadFile({ url: d.url! }).then((r) => Taro.openDocument({ filePath: r.tempFilePath, fileType: 'pdf' }));
            } else if (process.env.TARO_ENV === 'h5') {
              window.open(d.url!, '_blank', 'noopener');
            }
          }}
        >
          <Text className="text">📄 {d.name}</Text>
          <Text className="muted">打开 ›</Text>
        </View>
      ))}
    </View>
  );
}
