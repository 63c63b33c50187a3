// `npm run verify -- <export.json> [--anchor <seq>:<hash>]`: checks a community's public record chain offline.
//
// The export is the file the public chain page downloads (or GET /api/public/chains/<community>/export,
// page by page, with the entries put into one array). Every entry's content hash and own hash are recomputed
// and every link to the entry before it is followed, with the same module the browser uses
// (miniapp/src/lib/chain.ts). --anchor compares an entry with the short hash printed on paper (积分公示, a
// poster), e.g. --anchor "128:3f9a c07e 21b4 9d02". Exit code 0: intact; 1: broken (the first broken entry is
// printed); 2: the file could not be read.
import { readFileSync } from 'node:fs';
import { shortHash, verifyChain, type ChainExport } from '../miniapp/src/lib/chain.js';

function usage(message: string): never {
  console.error(message);
  console.error('用法 usage: npm run verify -- <导出文件.json> [--anchor <条号>:<校验码>]');
  process.exit(2);
}

const args = process.argv.slice(2);
let file = '';
let anchor: { seq: number; hash: string } | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--anchor') {
    const m = /^(\d+)\s*[:：]\s*([0-9a-fA-F ]{4,64})$/.exec((args[++i] ?? '').trim());
    if (!m) usage('--anchor 应写成 条号:校验码，例如 128:3f9a c07e 21b4 9d02');
    anchor = { seq: Number(m[1]), hash: m[2]! };
  } else if (!file) file = a;
  else usage(`多余的参数 ${a}`);
}
if (!file) usage('请给出导出文件');

let exp: ChainExport;
try {
  exp = JSON.parse(readFileSync(file, 'utf8')) as ChainExport;
} catch (err) {
  usage(`读不了 ${file}：${(err as Error).message}`);
}

const result = verifyChain(exp, anchor);
const name = exp.community?.name ? `${exp.community.name}（${exp.community.id}）` : String(exp.community?.id ?? '');
console.log(`公开记录链核验 / public record chain: ${name}`);
console.log(
  `文件中 ${Array.isArray(exp.entries) ? exp.entries.length : 0} 条记录；公布的链头：${exp.head ? `第 ${exp.head.seq} 条 · ${shortHash(exp.head.hash)}` : '（空）'}`,
);
if (result.ok) {
  console.log(`✓ 完好 intact: ${result.checked} 条记录的内容、校验码和前后衔接都核对无误。`);
  if (anchor) console.log(`✓ 第 ${anchor.seq} 条与纸质公示上的校验码 ${anchor.hash} 一致。`);
  process.exit(0);
}
const b = result.broken!;
console.log(`✗ 不完好 BROKEN: ${b.message}`);
console.log(`first broken entry: ${b.seq ?? '-'} (${b.reason}); ${result.checked} entries checked out before it was found`);
process.exit(1);
