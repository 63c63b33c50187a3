/** Seeded ids (seeds/00_core.sql) that tests refer to by name. */
export const persona = {
  resident: '60000000-0000-4000-8000-000000000001',
  resident2: '60000000-0000-4000-8000-000000000002',
  villager: '60000000-0000-4000-8000-000000000003',
  volunteer: '60000000-0000-4000-8000-000000000004',
  grid_worker: '60000000-0000-4000-8000-000000000005',
  clerk: '60000000-0000-4000-8000-000000000006',
  committee: '60000000-0000-4000-8000-000000000007',
  supervisor: '60000000-0000-4000-8000-000000000008',
  admin: '60000000-0000-4000-8000-000000000009',
  village_committee: '60000000-0000-4000-8000-000000000010',
  /** No demo login: waiting for verification in 春晖社区 (2号楼, 第一网格). */
  newcomer: '60000000-0000-4000-8000-000000000011',
  /** No demo login: waiting in 春晖社区 (1号楼, 第一网格) and in 柳塘村. */
  newcomer2: '60000000-0000-4000-8000-000000000012',
} as const;
export type PersonaName = keyof typeof persona;

export const community = {
  chunhui: '20000000-0000-4000-8000-000000000001',
  liutang: '20000000-0000-4000-8000-000000000002',
} as const;

export const building = {
  chunhui1: '40000000-0000-4000-8000-000000000001', // 第一网格
  chunhui2: '40000000-0000-4000-8000-000000000002', // 第一网格
  chunhui3: '40000000-0000-4000-8000-000000000003', // 第二网格
  liutangEast: '40000000-0000-4000-8000-000000000005',
} as const;

export const verificationRequest = {
  newcomerChunhui: '80000000-0000-4000-8000-000000000001', // 2号楼, 第一网格
  newcomer2Chunhui: '80000000-0000-4000-8000-000000000002', // 1号楼, 第一网格
  newcomer2Liutang: '80000000-0000-4000-8000-000000000003',
} as const;
