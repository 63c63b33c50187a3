import type {
  CommunityDashboard,
  CommunitySetup,
  EndResidenceResult,
  GrantRoleBody,
  ImportResult,
  ManagedCommunity,
  Member,
  SaveCommunityBody,
  StreetDashboard,
  TrendPoint,
} from '@contracts/admin';
import type { DepartmentSaved } from '@contracts/admin';
import Taro from '@tarojs/taro';
import { getToken, request, uploadFormFile } from './client';
import type { PageOf } from '../lib/pageData';
import { saveBlob } from '../lib/download';

const BASE = process.env.TARO_APP_API_BASE || '';

export type Department = DepartmentSaved;
export type ImportKind = 'households' | 'roster';
export type { EndResidenceResult };

export const adminApi = {
  communities: (cursor?: string) => request<PageOf<ManagedCommunity>>('GET', '/admin/communities', { query: { cursor } }),
  createCommunity: (body: SaveCommunityBody) => request<CommunitySetup>('POST', '/admin/communities', { body }),
  community: (id: string) => request<CommunitySetup>('GET', `/admin/communities/${id}`),
  saveCommunity: (id: string, body: SaveCommunityBody) => request<CommunitySetup>('PUT', `/admin/communities/${id}`, { body }),
  archive: (id: string, archived: boolean) => request<CommunitySetup>('POST', `/admin/communities/${id}/archive`, { body: { archived } }),
  createGrid: (id: string, name: string, description = '') =>
    request<{ id: string }>('POST', `/admin/communities/${id}/grids`, { body: { name, description } }),
  saveGrid: (id: string, gridId: string, body: { name: string; description: string; archived: boolean }) =>
    request<{ id: string }>('PUT', `/admin/communities/${id}/grids/${gridId}`, { body }),
  createBuilding: (id: string, gridId: string, name: string) =>
    request<{ id: string }>('POST', `/admin/communities/${id}/buildings`, { body: { gridId, name } }),
  saveBuilding: (id: string, buildingId: string, gridId: string, name: string) =>
    request<{ id: string }>('PUT', `/admin/communities/${id}/buildings/${buildingId}`, { body: { gridId, name } }),
  members: (id: string, role: string, q?: string, cursor?: string) =>
    request<PageOf<Member>>('GET', `/admin/communities/${id}/members`, { query: { role, q: q || undefined, cursor } }),
  grant: (id: string, body: GrantRoleBody) =>
    request<{ granted: boolean; invited: boolean; member: Member | null }>('POST', `/admin/communities/${id}/roles`, { body }),
  withdraw: (membershipId: string, reason: string) => request<{ ended: boolean }>('POST', `/admin/memberships/${membershipId}/withdraw`, { body: { reason } }),
  endResidence: (membershipId: string, body: { reason: string; note?: string; newHouseholdId?: string | null }) =>
    request<EndResidenceResult>('POST', `/admin/memberships/${membershipId}/end-residence`, { body }),
  departments: (streetId: string, cursor?: string) =>
    request<PageOf<Department>>('GET', `/admin/streets/${streetId}/departments`, { query: { cursor, limit: 100 } }),
  saveDepartment: (
    streetId: string,
    body: { departmentId?: string | null; name: string; phone?: string; contactPhone?: string | null; removeContact?: boolean },
  ) => request<Department>('POST', `/admin/streets/${streetId}/departments`, { body }),
  history: (id: string, cursor?: string) =>
    request<
      PageOf<{
        id: number;
        name: string;
        role: string;
        title: string;
        gridName: string | null;
        address: string | null;
        startedAt: string;
        endedAt: string | null;
        endReason: string | null;
        note: string;
        endedBy: string | null;
      }>
    >('GET', `/admin/communities/${id}/history`, { query: { cursor } }),
  /** refresh: compute the figures now instead of serving the ones kept for up to ten minutes. */
  streetDashboard: (streetId: string, from: string, to: string, refresh = false, cursor?: string) =>
    request<StreetDashboard>('GET', `/admin/streets/${streetId}/dashboard`, { query: { from, to, limit: 50, cursor, refresh: String(refresh) } }),
  communityDashboard: (id: string, from: string, to: string, refresh = false) =>
    request<CommunityDashboard>('GET', `/admin/communities/${id}/dashboard`, { query: { from, to, refresh: String(refresh) } }),
  trend: (scope: { streetId?: string; communityId?: string }) => request<{ items: TrendPoint[] }>('GET', '/admin/trend', { query: scope }),
  /** Sends a chosen sheet for a dry run (or for real), with upload progress. */
  importSheet: (id: string, kind: ImportKind, filePath: string, dryRun: boolean, onProgress?: (p: number) => void) =>
    uploadFormFile(
      { url: `/api/admin/communities/${id}/imports?kind=${kind}&dryRun=${dryRun}`, fields: {}, fileField: 'file' },
      filePath,
      onProgress,
    ) as Promise<ImportResult>,
};

/**
 * Downloads an .xlsx the server makes (template, export) and opens it: in WeChat with the document viewer
 * (share or save from there), in a browser as a download.
 */
export async function downloadSheet(path: string, fileName: string): Promise<void> {
  const url = `${BASE}/api${path}`;
  const header = { authorization: `Bearer ${getToken()}` };
  if (process.env.TARO_ENV === 'weapp') {
    const r = await Taro.downloadFile({ url, header });
    if (r.statusCode !== 200) throw new Error('download failed');
    await Taro.openDocument({ filePath: r.tempFilePath, fileType: 'xlsx', showMenu: true });
    return;
  }
  const res = await fetch(url, { headers: header });
  if (!res.ok) throw new Error('download failed');
  saveBlob(await res.blob(), fileName);
}

/** Lets the admin pick an .xlsx or .csv: from a WeChat chat in the mini-program, from the computer in a browser. */
export async function pickSheet(): Promise<{ path: string; name: string; size: number } | null> {
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const r = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] });
      const f = r.tempFiles[0];
      return f ? { path: f.path, name: f.name, size: f.size } : null;
    } catch {
      return null;
    }
  }
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';
    input.className = 'sheet-input';
    input.style.display = 'none';
    input.onchange = () => {
      const f = input.files?.[0];
      input.remove();
      resolve(f ? { path: URL.createObjectURL(f), name: f.name, size: f.size } : null);
    };
    document.body.appendChild(input);
    input.click();
  });
}

export type { CommunityDashboard, CommunitySetup, ImportResult, ManagedCommunity, Member, StreetDashboard, TrendPoint };
