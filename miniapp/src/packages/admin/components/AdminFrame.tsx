import type { ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';

export type Section = 'communities' | 'community' | 'import' | 'staff' | 'residents' | 'dashboard' | 'departments';
const SECTIONS: Array<{ key: Section; label: string; url: string; needsCommunity: boolean }> = [
  { key: 'communities', label: '社区和村', url: '/packages/admin/index/index', needsCommunity: false },
  { key: 'community', label: '网格和楼栋', url: '/packages/admin/community/index', needsCommunity: true },
  { key: 'import', label: '导入台账', url: '/packages/admin/import/index', needsCommunity: true },
  { key: 'staff', label: '工作人员', url: '/packages/admin/staff/index', needsCommunity: true },
  { key: 'residents', label: '居民', url: '/packages/admin/residents/index', needsCommunity: true },
  { key: 'dashboard', label: '看板', url: '/packages/admin/dashboard/index', needsCommunity: false },
  { key: 'departments', label: '街道部门', url: '/packages/admin/departments/index', needsCommunity: false },
];

/** The management pages' frame: section links (a sidebar at desk width) and the page. */
export function AdminFrame({ section, communityId, children }: { section: Section; communityId?: string; children: ReactNode }) {
  return (
    <View className="admin">
      <View className="admin-nav" role="navigation" aria-label="管理">
        {SECTIONS.filter((s) => !s.needsCommunity || communityId).map((s) => (
          <View
            key={s.key}
            className={`admin-nav-item nav-${s.key} ${s.key === section ? 'active' : ''}`}
            role="link"
            aria-current={s.key === section ? 'page' : undefined}
            onClick={() => {
              if (s.key !== section) void Taro.redirectTo({ url: `${s.url}${communityId ? `?id=${communityId}` : ''}` });
            }}
          >
            <Text>{s.label}</Text>
          </View>
        ))}
      </View>
      <View className="admin-main">{children}</View>
    </View>
  );
}
