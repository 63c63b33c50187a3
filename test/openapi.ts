import { community } from './personas.js';

/**
 * Reading the API's own OpenAPI document to generate requests (the fuzz and access-matrix tests): the
 * operations, and a value of valid form for any schema.
 */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: Schema;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
  const?: unknown;
};
export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
export interface Operation {
  method: string;
  path: string;
  security?: unknown[];
  parameters?: Param[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  components?: { schemas?: Record<string, Schema> };
}

export function operations(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, method, path })));
}

export function schemaTools(doc: OpenApiDoc) {
  function deref(s: Schema): Schema {
    if (s.$ref) return deref(doc.components!.schemas![s.$ref.replace('#/components/schemas/', '')]!);
    if (s.allOf?.length === 1) return deref(s.allOf[0]!);
    return s;
  }
  function types(s: Schema): string[] {
    return Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  }

  const PATTERN_SAMPLES = ['13800001111', '2026-10', 'ABCDEFGH', 'abcdefgh-0123456', 'abc', '2026-10-01', '1', 'a'];

  /** A value that is valid in form for a schema (the baseline that each mutation changes one thing of). */
  function sample(raw: Schema, name = ''): unknown {
    const s = deref(raw);
    if (s.const !== undefined) return s.const;
    if (s.enum?.length) return s.enum[0];
    if (s.default !== undefined && s.default !== null) return s.default;
    const alt = s.anyOf ?? s.oneOf;
    if (alt) return sample(alt.find((x) => !types(deref(x)).includes('null')) ?? alt[0]!, name);
    const t = types(s).filter((x) => x !== 'null')[0];
    switch (t) {
      case 'string': {
        if (s.format === 'uuid') return name === 'communityId' ? community.chunhui : crypto.randomUUID();
        if (s.format === 'date') return '2026-10-01';
        if (s.format === 'date-time') return '2030-01-01T09:00:00+08:00';
        if (s.format === 'uri') return 'https://example.com/a.png';
        if (s.pattern) {
          const re = new RegExp(s.pattern);
          const hit = PATTERN_SAMPLES.find((v) => re.test(v));
          if (hit) return hit;
        }
        return '测试内容'.padEnd(Math.max(s.minLength ?? 0, 4), '好');
      }
      case 'integer':
      case 'number':
        return Math.max(s.minimum ?? 1, (s.exclusiveMinimum ?? 0) + 1, 1);
      case 'boolean':
        return true;
      case 'array':
        return Array.from({ length: Math.max(s.minItems ?? 0, 1) }, (_, i) => (s.items ? uniq(sample(s.items), i) : 'x'));
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(s.properties ?? {})) o[k] = sample(v, k);
        return o;
      }
      default:
        return 'x';
    }
  }
  const uniq = (v: unknown, i: number) => (typeof v === 'string' && i ? `${v}${i}` : typeof v === 'number' ? v + i : v);

  /** A request of valid form for an operation: path params, required query params, headers and body. */
  function baseline(op: Operation) {
    const pathParams: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    const headers: Record<string, string> = {};
    for (const p of op.parameters ?? []) {
      const v = sample(p.schema, p.name);
      if (p.in === 'path') pathParams[p.name] = v;
      else if (p.in === 'query' && p.required) query[p.name] = v;
      else if (p.in === 'header') headers[p.name] = p.name === 'idempotency-key' ? `probe-${crypto.randomUUID()}` : String(v);
    }
    const schema = op.requestBody?.content['application/json']?.schema;
    return { pathParams, query, headers, body: schema ? sample(schema) : undefined, schema: schema ? deref(schema) : undefined };
  }

  return { deref, types, sample, baseline };
}
