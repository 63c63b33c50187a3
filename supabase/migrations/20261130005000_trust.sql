-- Trust (1/2): the public record chain (公开记录链).
--
-- Every public record of a community is appended, when it becomes public, to that community's hash chain:
-- published notice versions meant for the whole community (财务公开 lines included), 决议公示 and 实施结果公开
-- (with the tallies of the meetings before them), 积分公示 months, poll results once a poll has closed, and
-- 积分公示 objections upheld. Anyone can check the chain without signing in, in a browser or offline
-- (`npm run verify`), because the hash recipe below is simple enough to rewrite in any language.
--
-- Rules enforced here:
--   * appending is the only operation: the database refuses update, delete and truncate of chain entries,
--     whoever asks (the migration owner included);
--   * a community's chain never forks: appends are serialised per community (a transaction-level advisory
--     lock taken at commit time) and (community_id, seq) is the primary key; a record is appended once
--     ((community_id, kind, record_id) is unique);
--   * an entry does not copy its record: the record's content is rebuilt from the sealed rows themselves
--     whenever it is shown or exported, so a record changed behind the chain's back no longer matches the
--     content hash of its entry, and a changed entry no longer matches its own hash or its successor's
--     prev_hash;
--   * records join the chain when they become public: notice versions, decisions, 积分公示 months and upheld
--     objections by deferred triggers (at commit, once everything written with them is in place); poll
--     results and notices scheduled for later by the scheduled job once their time has come.
--
-- The hash recipe (the README gives the same text):
--   canonical JSON = no whitespace; object keys sorted by their Unicode code points (all keys used are
--   ASCII); strings written as JSON.stringify writes them (", \ and control characters escaped; \b \f \n
--   \r \t, others as \u00xx in lower-case hex; everything else as UTF-8 as is); numbers are integers only,
--   in plain decimal (anything else in a record is written as a string before hashing); true, false, null;
--   arrays keep their order. Times are strings "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds), dates
--   "YYYY-MM-DD". Hashes are SHA-256 of the UTF-8 bytes of the canonical JSON, in lower-case hex.
--   contentHash = sha256(canonical(content));
--   hash = sha256(canonical({ at, communityId, contentHash, kind, prevHash, recordId, seq }));
--   prevHash of entry 1 is 64 zeros; every other entry's prevHash is the hash of the entry before it.

-- ---------------------------------------------------------------- canonical JSON

-- Record content for hashing: numbers that are not safe integers become strings (free-form jsonb such as a
-- notice's image list may hold them), so that the canonical form below never has to write a fraction.
create function app.chain_normalize(p jsonb) returns jsonb
language plpgsql immutable set search_path = '' as $$
declare v numeric;
begin
  case jsonb_typeof(p)
    when 'object' then
      return coalesce((select jsonb_object_agg(e.key, app.chain_normalize(e.value)) from jsonb_each(p) e), '{}'::jsonb);
    when 'array' then
      return coalesce((select jsonb_agg(app.chain_normalize(a.value) order by a.n) from jsonb_array_elements(p) with ordinality a(value, n)),
                      '[]'::jsonb);
    when 'number' then
      v := (p #>> '{}')::numeric;
      if v = trunc(v) and abs(v) <= 9007199254740991 then
        return to_jsonb(trunc(v));
      end if;
      return to_jsonb(p #>> '{}');
    else
      return p;
  end case;
end
$$;
comment on function app.chain_normalize is 'Writes numbers that are not safe integers as strings, recursively, before record content is hashed.';

-- The canonical text of a JSON value (see the header). Identical to miniapp/src/lib/chain.ts canonicalJson().
create function app.canonical_json(p jsonb) returns text
language plpgsql immutable strict set search_path = '' as $$
declare v numeric;
begin
  case jsonb_typeof(p)
    when 'object' then
      return '{' || coalesce((select string_agg(to_jsonb(e.key)::text || ':' || app.canonical_json(e.value), ',' order by convert_to(e.key, 'UTF8'))
                               from jsonb_each(p) e), '') || '}';
    when 'array' then
      return '[' || coalesce((select string_agg(app.canonical_json(a.value), ',' order by a.n)
                               from jsonb_array_elements(p) with ordinality a(value, n)), '') || ']';
    when 'string' then
      -- jsonb writes a string exactly as JSON.stringify does: the same escapes, lower-case \u00xx, UTF-8 otherwise.
      return p::text;
    when 'number' then
      v := (p #>> '{}')::numeric;
      if v <> trunc(v) or abs(v) > 9007199254740991 then
        perform app.fail('trust.unsupported_number', p::text);
      end if;
      return trunc(v)::text;
    when 'boolean' then
      return p::text;
    else
      return 'null';
  end case;
end
$$;
comment on function app.canonical_json is 'Canonical JSON of the chain''s hash recipe: no whitespace, keys by code point, integers only.';

create function app.sha256_hex(p text) returns text
language sql immutable strict set search_path = '' as $$
  select encode(sha256(convert_to(p, 'UTF8')), 'hex');
$$;

-- A time as the recipe writes it: UTC with microseconds, whatever the session's time zone or date style.
create function app.chain_time(p timestamptz) returns text
language sql stable set search_path = '' as $$
  select to_char(p at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
$$;

-- ---------------------------------------------------------------- the chain

create table app.chain_entries (
  community_id uuid not null references app.communities (id),
  seq bigint not null check (seq >= 1),
  at timestamptz not null,
  kind text not null check (kind in ('notice', 'affairs', 'points_month', 'poll_result', 'objection')),
  record_id text not null check (char_length(record_id) between 1 and 100),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  primary key (community_id, seq),
  unique (community_id, kind, record_id),
  check ((seq = 1) = (prev_hash = repeat('0', 64)))
);
comment on table app.chain_entries is
  '公开记录链: per community, an append-only hash chain of its public records (content rebuilt from the records themselves). Never updated or deleted.';
comment on column app.chain_entries.record_id is 'notice: <notice id>:<version>; affairs, points_month, poll_result, objection: the record''s id.';

create trigger chain_entries_append_only before update or delete on app.chain_entries
  for each row execute function app.forbid_change();
create trigger chain_entries_no_truncate before truncate on app.chain_entries
  for each statement execute function app.forbid_change();

alter table app.chain_entries enable row level security;
-- Public records: every signed-in member may read their community's chain (anyone else reads it through
-- the public API, which runs as the server and shows only what the chain functions return).
grant select on app.chain_entries to authenticated;
create policy "Members read their community's record chain" on app.chain_entries
  for select to authenticated using (community_id = any ((select app.my_community_ids('{resident,committee,clerk,grid_worker,supervisor,admin}'))::uuid[]));
grant all on app.chain_entries to service_role;

-- ---------------------------------------------------------------- what a record says

-- The content of a public record, rebuilt from its sealed rows (null when there is no such record).
-- Only what is public goes in: no names of residents, no objector's reasons, no ballots.
create function app.chain_content(p_kind text, p_record_id text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v jsonb;
  v_id uuid;
  v_version integer;
begin
  if p_kind = 'notice' then
    begin
      v_id := split_part(p_record_id, ':', 1)::uuid;
      v_version := split_part(p_record_id, ':', 2)::integer;
    exception when others then
      return null;
    end;
    select jsonb_build_object(
             'type', 'notice', 'noticeId', n.id, 'version', v.version, 'category', n.category::text,
             'title', v.title, 'body', v.body, 'financePeriod', n.finance_period, 'correctionNote', v.correction_note,
             'publishedAt', app.chain_time(v.published_at), 'noticeSha256', v.content_sha256,
             'images', app.chain_normalize(v.images), 'attachments', app.chain_normalize(v.attachments),
             'files', (select coalesce(jsonb_agg(jsonb_build_object('name', f.original_name, 'contentType', f.content_type, 'size', f.size,
                                                                    'sha256', f.sha256) order by f.attached_at, f.id), '[]'::jsonb)
                         from app.files f
                        where f.community_id = n.community_id and f.entity in ('notice', 'finance') and f.entity_id = n.id
                          and f.attached_at <= v.published_at),
             'financeLines', case when n.category = 'finance' then (
               select coalesce(jsonb_agg(jsonb_build_object('lineNo', l.line_no, 'occurredOn', to_char(l.occurred_on, 'YYYY-MM-DD'),
                                 'item', l.item, 'direction', l.direction, 'amountFen', l.amount_fen, 'counterparty', l.counterparty)
                                 order by l.line_no), '[]'::jsonb)
                 from app.finance_lines l where l.notice_id = v.notice_id and l.version = v.version) end)
      into v
      from app.notice_versions v join app.notices n on n.id = v.notice_id
     where v.notice_id = v_id and v.version = v_version and v.status = 'published';
  elsif p_kind = 'affairs' then
    select jsonb_build_object(
             'type', 'affairs', 'publicationId', p.id, 'topicId', p.topic_id, 'kind', p.kind, 'title', p.title, 'body', p.body,
             'corrects', p.corrects, 'publishedAt', app.chain_time(p.published_at), 'publicationSha256', p.content_sha256,
             'meetings', (select coalesce(jsonb_agg(jsonb_build_object(
                            'stepNo', m.step_no, 'roster', m.roster, 'rosterSize', m.roster_size, 'present', m.present, 'motion', m.motion,
                            'yes', m.yes, 'no', m.no, 'abstain', m.abstain, 'passed', m.passed, 'heldAt', app.chain_time(m.held_at))
                            order by m.held_at, m.id), '[]'::jsonb)
                            from app.meetings m where m.topic_id = p.topic_id and m.held_at <= p.published_at))
      into v
      from app.affairs_publications p
     where p.id::text = p_record_id;
  elsif p_kind = 'points_month' then
    -- Entries as [id, delta, kind, reason, createdAt]: a month can hold thousands.
    select jsonb_build_object(
             'type', 'points_month', 'publicationId', p.id, 'month', to_char(p.month, 'YYYY-MM'), 'objectionDays', p.objection_days,
             'publishedAt', app.chain_time(p.published_at), 'windowClosesAt', app.chain_time(p.window_closes_at),
             'entries', (select coalesce(jsonb_agg(jsonb_build_array(e.id, e.delta, e.kind, e.reason, app.chain_time(e.created_at))
                                                   order by e.created_at, e.id), '[]'::jsonb)
                           from app.point_entries e
                          where e.community_id = p.community_id and e.month = p.month and e.created_at <= p.published_at))
      into v
      from app.point_publications p
     where p.id::text = p_record_id;
  elsif p_kind = 'poll_result' then
    select jsonb_build_object(
             'type', 'poll_result', 'pollId', p.id, 'title', p.title, 'description', p.description, 'multiple', p.multiple,
             'electorate', p.electorate, 'opensAt', app.chain_time(p.opens_at), 'closesAt', app.chain_time(p.closes_at),
             'turnout', (select count(*) from app.poll_voters pv where pv.poll_id = p.id),
             'results', (select coalesce(jsonb_agg(jsonb_build_object(
                           'id', (o ->> 'id')::integer, 'label', o ->> 'label',
                           'votes', (select count(*) from app.poll_ballots b where b.poll_id = p.id and (o ->> 'id')::integer = any (b.choices)))
                           order by (o ->> 'id')::integer), '[]'::jsonb)
                           from jsonb_array_elements(p.options) o))
      into v
      from app.polls p
     where p.id::text = p_record_id and p.closes_at <= now();
  elsif p_kind = 'objection' then
    select jsonb_build_object(
             'type', 'objection', 'objectionId', o.id, 'month', to_char(pub.month, 'YYYY-MM'), 'status', o.status,
             'resolution', o.resolution, 'resolvedAt', app.chain_time(o.resolved_at),
             'entry', jsonb_build_array(e.id, e.delta, e.kind, e.reason),
             'reversal', (select jsonb_build_array(r.id, r.delta) from app.point_entries r
                           where r.reverses = e.id and r.kind = 'objection' order by r.id limit 1))
      into v
      from app.point_objections o
      join app.point_publications pub on pub.id = o.publication_id
      join app.point_entries e on e.id = o.entry_id
     where o.id::text = p_record_id and o.status = 'upheld';
  end if;
  return v;
end
$$;
comment on function app.chain_content is 'The public content of a chained record, rebuilt from its sealed rows; what the chain''s contentHash covers.';

-- The hash of an entry (the header's recipe).
create function app.chain_entry_hash(e app.chain_entries) returns text
language sql stable set search_path = '' as $$
  select app.sha256_hex(app.canonical_json(jsonb_build_object(
    'at', app.chain_time(e.at), 'communityId', e.community_id, 'contentHash', e.content_hash, 'kind', e.kind,
    'prevHash', e.prev_hash, 'recordId', e.record_id, 'seq', e.seq)));
$$;

-- Append one record to its community's chain (once: a second call returns the first entry).
create function app.chain_append(p_community uuid, p_kind text, p_record_id text) returns app.chain_entries
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_content jsonb;
  e app.chain_entries;
  prev app.chain_entries;
begin
  -- One appender per community at a time, until its transaction ends: the next one then reads this entry
  -- as its predecessor (each statement of a READ COMMITTED transaction sees what committed before it).
  perform pg_catalog.pg_advisory_xact_lock(7301, pg_catalog.hashtext(p_community::text));
  select * into e from app.chain_entries x where x.community_id = p_community and x.kind = p_kind and x.record_id = p_record_id;
  if e.seq is not null then
    return e;
  end if;
  v_content := app.chain_content(p_kind, p_record_id);
  if v_content is null then
    perform app.fail('trust.record_not_found', p_kind || ':' || p_record_id);
  end if;
  select * into prev from app.chain_entries x where x.community_id = p_community order by x.seq desc limit 1;
  e.community_id := p_community;
  e.seq := coalesce(prev.seq, 0) + 1;
  e.at := clock_timestamp();
  e.kind := p_kind;
  e.record_id := p_record_id;
  e.content_hash := app.sha256_hex(app.canonical_json(v_content));
  e.prev_hash := coalesce(prev.hash, repeat('0', 64));
  e.hash := app.chain_entry_hash(e);
  insert into app.chain_entries (community_id, seq, at, kind, record_id, content_hash, prev_hash, hash)
  values (e.community_id, e.seq, e.at, e.kind, e.record_id, e.content_hash, e.prev_hash, e.hash);
  return e;
end
$$;
comment on function app.chain_append is 'Appends a public record to its community''s chain, serialised per community; idempotent per record.';

-- ---------------------------------------------------------------- records join when they become public

-- A published notice version meant for the whole community, once its publication time has come (a notice
-- scheduled for later joins through the scheduled job; one for some grids only is not a public record).
create function app.chain_notice_version() returns trigger
language plpgsql security definer set search_path = '' as $$
declare n app.notices;
begin
  if new.status = 'published' then
    select * into n from app.notices where id = new.notice_id;
    if n.audience_grid_ids is null and (n.publish_at is null or n.publish_at <= now()) then
      perform app.chain_append(n.community_id, 'notice', new.notice_id::text || ':' || new.version);
    end if;
  end if;
  return null;
end
$$;

create function app.chain_affairs_publication() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform app.chain_append(new.community_id, 'affairs', new.id::text);
  return null;
end
$$;

create function app.chain_points_publication() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform app.chain_append(new.community_id, 'points_month', new.id::text);
  return null;
end
$$;

create function app.chain_upheld_objection() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.status = 'upheld' then
    perform app.chain_append(new.community_id, 'objection', new.id::text);
  end if;
  return null;
end
$$;

-- Deferred to commit: finance lines, meetings and the reversing entry written in the same transaction are
-- in place by then, and the per-community lock is held only for the last moment of the transaction.
create constraint trigger notice_versions_chain after insert or update of status on app.notice_versions
  deferrable initially deferred for each row when (new.status = 'published') execute function app.chain_notice_version();
create constraint trigger affairs_publications_chain after insert on app.affairs_publications
  deferrable initially deferred for each row execute function app.chain_affairs_publication();
create constraint trigger point_publications_chain after insert on app.point_publications
  deferrable initially deferred for each row execute function app.chain_points_publication();
create constraint trigger point_objections_chain after update of status on app.point_objections
  deferrable initially deferred for each row when (new.status = 'upheld') execute function app.chain_upheld_objection();

create index notices_scheduled_idx on app.notices (publish_at) where publish_at is not null and audience_grid_ids is null;
create index polls_closes_idx on app.polls (closes_at);

-- Scheduled (service role): poll results once the poll has closed, and scheduled notices once their time has
-- come. Oldest first; at most p_limit per run.
create function public.append_due_public_records(p_limit integer default 200) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  r record;
  v_n integer := 0;
  v_limit integer := least(greatest(coalesce(p_limit, 200), 1), 1000);
begin
  for r in
    select x.community_id, x.kind, x.record_id from (
      select p.community_id, 'poll_result'::text as kind, p.id::text as record_id, p.closes_at as due
        from app.polls p
       where p.closes_at <= now()
         and not exists (select 1 from app.chain_entries c where c.community_id = p.community_id and c.kind = 'poll_result'
                            and c.record_id = p.id::text)
      union all
      select n.community_id, 'notice', v.notice_id::text || ':' || v.version, greatest(n.publish_at, v.published_at)
        from app.notices n join app.notice_versions v on v.notice_id = n.id and v.status = 'published'
       where n.publish_at is not null and n.publish_at <= now() and n.audience_grid_ids is null
         and not exists (select 1 from app.chain_entries c where c.community_id = n.community_id and c.kind = 'notice'
                            and c.record_id = v.notice_id::text || ':' || v.version)) x
     order by x.due, x.record_id
     limit v_limit
  loop
    perform app.chain_append(r.community_id, r.kind, r.record_id);
    v_n := v_n + 1;
  end loop;
  if v_n > 0 then
    perform app.audit(null, 'chain.append_due', 'chain_entries', null, jsonb_build_object('appended', v_n));
  end if;
  return jsonb_build_object('appended', v_n);
end
$$;

-- ---------------------------------------------------------------- reading the chain (public)

create function app.chain_entry_json(e app.chain_entries, p_with_content boolean) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('seq', e.seq, 'at', app.chain_time(e.at), 'kind', e.kind, 'recordId', e.record_id,
                            'contentHash', e.content_hash, 'prevHash', e.prev_hash, 'hash', e.hash)
         || case when p_with_content then jsonb_build_object('content', app.chain_content(e.kind, e.record_id)) else '{}'::jsonb end;
$$;

create function app.chain_head_json(p_community uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select (select jsonb_build_object('seq', e.seq, 'hash', e.hash, 'at', app.chain_time(e.at))
            from app.chain_entries e where e.community_id = p_community order by e.seq desc limit 1);
$$;

create function app.public_community_json(p_community uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'streetName', s.name, 'servicePhone', c.service_phone)
    from app.communities c join app.streets s on s.id = c.street_id where c.id = p_community;
$$;

-- A community's chain, newest first, each entry with its content (a page: at most 50).
create function public.get_public_chain(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_community jsonb := app.public_community_json(p_community_id);
  v_limit integer := least(app.page_limit(p_limit), 50);
  v_before bigint := coalesce((app.decode_cursor(p_cursor, 1))[1]::bigint, 9223372036854775807);
  v_rows jsonb;
begin
  if v_community is null then
    perform app.fail('core.community_not_found');
  end if;
  select jsonb_agg(jsonb_build_object('i', app.chain_entry_json(e, true), 'c', app.encode_cursor(array[e.seq::text])) order by e.seq desc)
    into v_rows
    from (select * from app.chain_entries x where x.community_id = p_community_id and x.seq < v_before
           order by x.seq desc limit v_limit + 1) e;
  return jsonb_build_object('community', v_community, 'head', app.chain_head_json(p_community_id)) || app.page(v_rows, v_limit);
end
$$;

-- One entry with its content, and the hash of the entry before it.
create function public.get_public_chain_entry(p_community_id uuid, p_seq bigint) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare e app.chain_entries;
begin
  select * into e from app.chain_entries where community_id = p_community_id and seq = p_seq;
  if e.seq is null then
    perform app.fail('trust.entry_not_found');
  end if;
  return jsonb_build_object('community', app.public_community_json(p_community_id), 'head', app.chain_head_json(p_community_id),
                            'entry', app.chain_entry_json(e, true));
end
$$;

-- The entry of one record (a notice version, a decision …), for the record's own page and its poster.
create function public.find_public_record(p_community_id uuid, p_kind text, p_record_id text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare e app.chain_entries;
begin
  select * into e from app.chain_entries where community_id = p_community_id and kind = p_kind and record_id = p_record_id;
  if e.seq is null then
    perform app.fail('trust.entry_not_found');
  end if;
  return jsonb_build_object('head', app.chain_head_json(p_community_id), 'entry', app.chain_entry_json(e, false));
end
$$;

-- The export: entries in order from a sequence number, with content, at most 500 per page; nextFromSeq is
-- null on the last page. A file is every page's entries in one array (format cunju-chain/1).
create function public.export_public_chain(p_community_id uuid, p_from_seq bigint default 1, p_limit integer default 200) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_community jsonb := app.public_community_json(p_community_id);
  v_limit integer := least(greatest(coalesce(p_limit, 200), 1), 500);
  v_from bigint := greatest(coalesce(p_from_seq, 1), 1);
  v_entries jsonb;
  v_last bigint;
begin
  if v_community is null then
    perform app.fail('core.community_not_found');
  end if;
  select jsonb_agg(app.chain_entry_json(e, true) order by e.seq), max(e.seq)
    into v_entries, v_last
    from (select * from app.chain_entries x where x.community_id = p_community_id and x.seq >= v_from
           order by x.seq limit v_limit) e;
  return jsonb_build_object(
    'format', 'cunju-chain/1', 'community', v_community, 'head', app.chain_head_json(p_community_id),
    'exportedAt', app.chain_time(now()), 'fromSeq', v_from, 'entries', coalesce(v_entries, '[]'::jsonb),
    'nextFromSeq', case when exists (select 1 from app.chain_entries x where x.community_id = p_community_id and x.seq > v_last)
                        then v_last + 1 end);
end
$$;

grant execute on function public.get_public_chain(uuid, integer, text), public.get_public_chain_entry(uuid, bigint),
  public.find_public_record(uuid, text, text), public.export_public_chain(uuid, bigint, integer),
  public.append_due_public_records(integer) to service_role;

-- ---------------------------------------------------------------- what is already public joins now

-- Records published before this migration, in the order they became public.
do $$
declare r record;
begin
  for r in
    select x.community_id, x.kind, x.record_id from (
      select n.community_id, 'notice' as kind, v.notice_id::text || ':' || v.version as record_id,
             greatest(v.published_at, coalesce(n.publish_at, v.published_at)) as at
        from app.notice_versions v join app.notices n on n.id = v.notice_id
       where v.status = 'published' and n.audience_grid_ids is null and (n.publish_at is null or n.publish_at <= now())
      union all
      select p.community_id, 'affairs', p.id::text, p.published_at from app.affairs_publications p
      union all
      select p.community_id, 'points_month', p.id::text, p.published_at from app.point_publications p
      union all
      select o.community_id, 'objection', o.id::text, o.resolved_at from app.point_objections o where o.status = 'upheld'
      union all
      select p.community_id, 'poll_result', p.id::text, p.closes_at from app.polls p where p.closes_at <= now()) x
     order by x.at, x.kind, x.record_id
  loop
    perform app.chain_append(r.community_id, r.kind, r.record_id);
  end loop;
end
$$;
