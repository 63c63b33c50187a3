import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ApiError } from '../../_lib/errors.js';

/**
 * The street office's spreadsheets: the household template it downloads, the sheets it uploads (.xlsx, or
 * .csv saved from Excel in UTF-8 or GBK), and the registers it exports. exceljs reads and writes both.
 */

/** The template's columns, with the header spellings people actually use. */
const COLUMNS = {
  grid: ['网格', '所属网格', '网格名称'],
  building: ['楼栋', '楼栋/院落', '院落', '村民小组', '楼号', '组'],
  room: ['门牌号', '门牌', '房号', '户号'],
  name: ['姓名', '居民姓名'],
  phone: ['手机号', '手机', '电话', '联系电话'],
  relation: ['与户主关系', '关系'],
  roster: ['名册', '身份', '类别', '名册类别'],
} as const;
type Column = keyof typeof COLUMNS;
export interface ImportRow {
  row: number;
  grid: string;
  building: string;
  room: string;
  name: string;
  phone: string;
  relation: string;
  roster: string;
}
export type ImportKind = 'households' | 'roster';
/** The columns a sheet of each kind must have, and what to say when they are missing. */
const REQUIRED: Record<ImportKind, { columns: Column[]; message: string }> = {
  households: { columns: ['building', 'room'], message: '第一行要有“楼栋”和“门牌号”两列（可以下载模板对照）' },
  roster: { columns: ['name', 'phone', 'roster'], message: '第一行要有“姓名”“手机号”和“名册”三列（可以下载模板对照）' },
};

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20000;

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return '';
  }
  // Phone numbers typed as numbers come back as 13800001001 (never in exponent form for 11 digits).
  return String(v).trim();
}

/** Decodes a CSV file: UTF-8 (with or without BOM), else GBK as Excel in China saves it. */
function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/** The rows of an uploaded sheet, by header name; refuses what is not a readable sheet with our columns. */
export async function parseImportSheet(bytes: Buffer, kind: ImportKind = 'households'): Promise<ImportRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    if (bytes.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    else await wb.csv.read(Readable.from([decodeCsv(bytes)]));
  } catch {
    throw new ApiError('admin.import_unreadable');
  }
  const sheet = wb.worksheets.find((s) => s.rowCount > 0);
  if (!sheet) throw new ApiError('admin.import_unreadable');
  const header = sheet.getRow(1);
  const index: Partial<Record<Column, number>> = {};
  header.eachCell((cell, col) => {
    const h = cellText(cell.value)
      .replace(/[\s*（(].*$/, '')
      .replace(/\s/g, '');
    for (const [key, names] of Object.entries(COLUMNS) as Array<[Column, readonly string[]]>) if (!index[key] && names.includes(h)) index[key] = col;
  });
  const required = REQUIRED[kind];
  if (required.columns.some((k) => !index[k])) throw new ApiError('admin.import_unreadable', { file: required.message });
  if (sheet.rowCount - 1 > MAX_IMPORT_ROWS) throw new ApiError('admin.import_too_large');
  const rows: ImportRow[] = [];
  sheet.eachRow((r, n) => {
    if (n === 1) return;
    const get = (k: Column) => (index[k] ? cellText(r.getCell(index[k]!).value) : '');
    const row = {
      row: n,
      grid: get('grid'),
      building: get('building'),
      room: get('room'),
      name: get('name'),
      phone: get('phone'),
      relation: get('relation'),
      roster: get('roster'),
    };
    if (
      Object.values(row)
        .slice(1)
        .some((v) => v !== '')
    )
      rows.push(row);
  });
  return rows;
}

/** The household template: the columns, three example rows, and a sheet explaining each column. */
export async function householdTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '村居通';
  const s = wb.addWorksheet('住户和居民');
  s.columns = [
    { header: '网格', key: 'grid', width: 14 },
    { header: '楼栋', key: 'building', width: 14 },
    { header: '门牌号', key: 'room', width: 14 },
    { header: '姓名', key: 'name', width: 12 },
    { header: '手机号', key: 'phone', width: 16 },
    { header: '与户主关系', key: 'relation', width: 12 },
  ];
  s.getRow(1).font = { bold: true };
  s.getColumn('phone').numFmt = '@';
  s.addRow({ grid: '第一网格', building: '1号楼', room: '2单元301', name: '张秀兰', phone: '13800000001', relation: '户主' });
  s.addRow({ grid: '第一网格', building: '1号楼', room: '2单元301', name: '何淑芬', phone: '13800000002', relation: '子女' });
  s.addRow({ grid: '第二网格', building: '3号楼', room: '1单元102', name: '', phone: '', relation: '' });
  addHelp(wb, [
    ['网格', '楼栋所在的网格。没有的网格会新建；已有的楼栋可以不填（保持原来的网格），填了别的网格就把楼栋划过去。'],
    ['楼栋', '必填。社区写楼号（1号楼），村里写院落或村民小组（东头组）。没有的会新建。'],
    ['门牌号', '必填。同一楼栋内不能重复，例如 2单元301、12号。一户一行也可以（不填居民）。'],
    ['姓名', '选填。填了就要填手机号。'],
    ['手机号', '11 位手机号。居民本人用这个号码登录并同意提供手机号后，自动成为这一户的认证居民；之前不会。'],
    ['与户主关系', '户主、配偶、子女、父母、其他亲属、租户 之一；不填记为其他亲属。'],
    ['重复导入', '同一张表再导入一次不会重复建户；改正后的表只更新变了的行。先“试导入”看每一行会怎样，确认后才写入。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The roster template: 居民/村民代表 and 党员 in one sheet, one line per person and roster. */
export async function rosterTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '村居通';
  const s = wb.addWorksheet('代表和党员名册');
  s.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '手机号', key: 'phone', width: 16 },
    { header: '名册', key: 'roster', width: 14 },
  ];
  s.getRow(1).font = { bold: true };
  s.getColumn('phone').numFmt = '@';
  s.addRow({ name: '张秀兰', phone: '13800000001', roster: '居民代表' });
  s.addRow({ name: '张秀兰', phone: '13800000001', roster: '党员' });
  s.addRow({ name: '李建国', phone: '13800000003', roster: '居民代表' });
  addHelp(wb, [
    ['姓名', '必填，2 到 20 个字。'],
    ['手机号', '必填，11 位。用它找到本人：已是本社区认证居民的，确认后马上进名册；还没登录的，本人用这个号码登录、成为本社区认证居民后自动进名册。'],
    ['名册', '居民代表、村民代表 或 党员。一人在两个名册就写两行。'],
    ['整张名册', '表里出现的名册按整张表为准：名册上有、表里没有的人会移出名册（试导入时会列出来，确认后才生效）。'],
    ['重复导入', '同一张表再导入一次什么都不变。先“试导入”看每一行会怎样，确认后才写入。'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A template's second sheet: what each column means. */
function addHelp(wb: ExcelJS.Workbook, rows: Array<[string, string]>) {
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列', key: 'c', width: 14 },
    { header: '说明', key: 'd', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const [c, d] of rows) help.addRow({ c, d });
}

/** One sheet of rows (objects with the same keys, in order) as an .xlsx file. */
export async function writeSheet(title: string, rows: Array<Record<string, unknown>>, note?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '村居通';
  const s = wb.addWorksheet(title.slice(0, 31));
  const keys = rows.length ? Object.keys(rows[0]!) : ['（没有数据）'];
  s.columns = keys.map((k) => ({ header: k, key: k, width: Math.max(10, Math.min(40, k.length * 3 + 6)) }));
  s.getRow(1).font = { bold: true };
  for (const r of rows) s.addRow(Object.fromEntries(keys.map((k) => [k, flatten(r[k])])));
  if (note) {
    s.addRow([]);
    s.addRow([note]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function flatten(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  return JSON.stringify(v);
}

/** An .xlsx answer with a file name people can read (RFC 5987 for the Chinese part). */
export function xlsxResponse(bytes: Buffer, fileName: string): Response {
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      'content-type': XLSX_TYPE,
      'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
