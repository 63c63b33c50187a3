-- Notices and public disclosure (公告 · 党务/村务/财务公开), emergency notices, questions, subscribe messages.
--
-- A notice is an identity (community, category, audience, pinning, schedule) with numbered versions of its
-- content. The latest unpublished version is the one being written; a published version is sealed.
-- Rules enforced here:
--   * only `committee` of the community creates, edits, submits, corrects and pins; only `supervisor`
--     approves or returns 村(居)务公开 and 财务公开 (other categories publish directly);
--   * residents see a notice only once a version is published, its publication time has come, it is for
--     their community and (when limited to grids) for their grid; they never see drafts, versions under
--     review, hidden questions, or questions still waiting for the content check;
--   * published versions and their finance lines are never updated or deleted, by anyone: a correction is
--     a new version, and readers see every earlier version;
--   * finance amounts are integers in fen; totals are computed here;
--   * a read counts once per person (primary key), however many requests race;
--   * publishing enqueues one subscribe message per subscribed resident in the audience, spending one of
--     their subscription credits (WeChat subscribe messages are one-off).

create type app.notice_category as enum (
  'policy',     -- 惠民政策
  'routine',    -- 常规事务
  'major',      -- 重大事项
  'temporary',  -- 临时通知
  'hotspot',    -- 热点回应
  'party',      -- 党务公开
  'affairs',    -- 村(居)务公开
  'finance',    -- 财务公开
  'emergency'   -- 应急
);
create type app.notice_version_status as enum ('draft', 'submitted', 'returned', 'published');

create function app.notice_needs_review(p app.notice_category) returns boolean
language sql immutable set search_path = '' as $$
  select p in ('affairs', 'finance');
$$;

create function app.notice_is_disclosure(p app.notice_category) returns boolean
language sql immutable set search_path = '' as $$
  select p in ('party', 'affairs', 'finance');
$$;

-- ---------------------------------------------------------------- tables

create table app.notices (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  category app.notice_category not null,
  audience_grid_ids uuid[],
  pinned boolean not null default false,
  important boolean not null default false,
  publish_at timestamptz,
  expires_at timestamptz,
  finance_period text,
  created_by uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  first_published_at timestamptz,
  check (audience_grid_ids is null or cardinality(audience_grid_ids) between 1 and 50),
  check (category <> 'emergency' or (audience_grid_ids is null and important)),
  check (expires_at is null or publish_at is null or expires_at > publish_at),
  check ((category = 'finance') = (finance_period is not null)),
  check (finance_period is null or char_length(finance_period) between 2 and 40)
);
comment on table app.notices is '公告/公开: one notice; its content lives in app.notice_versions.';
create index notices_community_idx on app.notices (community_id, first_published_at desc);
create index notices_created_by_idx on app.notices (created_by);

create table app.notice_versions (
  notice_id uuid not null references app.notices (id),
  version integer not null check (version >= 1),
  status app.notice_version_status not null default 'draft',
  title text not null check (char_length(title) between 2 and 80),
  body text not null default '' check (char_length(body) <= 20000),
  images jsonb not null default '[]'::jsonb check (jsonb_typeof(images) = 'array'),
  attachments jsonb not null default '[]'::jsonb check (jsonb_typeof(attachments) = 'array'),
  correction_note text check (correction_note is null or char_length(correction_note) between 2 and 200),
  written_by uuid not null references app.profiles (id),
  written_at timestamptz not null default now(),
  submitted_at timestamptz,
  reviewed_by uuid references app.profiles (id),
  reviewed_at timestamptz,
  review_comment text,
  published_at timestamptz,
  published_by uuid references app.profiles (id),
  content_sha256 text,
  primary key (notice_id, version),
  check ((version = 1) = (correction_note is null)),
  check (status <> 'returned' or char_length(btrim(coalesce(review_comment, ''))) >= 2),
  check ((status = 'published') = (published_at is not null and content_sha256 is not null))
);
comment on table app.notice_versions is 'Versions of a notice. Published versions are sealed: never updated or deleted.';
create unique index notice_versions_one_open_idx on app.notice_versions (notice_id) where status <> 'published';
create index notice_versions_status_idx on app.notice_versions (status);
create index notice_versions_written_by_idx on app.notice_versions (written_by);
create index notice_versions_reviewed_by_idx on app.notice_versions (reviewed_by);
create index notice_versions_published_by_idx on app.notice_versions (published_by);

create table app.finance_lines (
  notice_id uuid not null,
  version integer not null,
  line_no integer not null check (line_no between 1 and 500),
  occurred_on date not null,
  item text not null check (char_length(item) between 1 and 80),
  direction text not null check (direction in ('income', 'expense')),
  amount_fen bigint not null check (amount_fen > 0 and amount_fen < 100000000000),
  counterparty text not null default '' check (char_length(counterparty) <= 80),
  voucher jsonb check (voucher is null or jsonb_typeof(voucher) = 'object'),
  primary key (notice_id, version, line_no),
  foreign key (notice_id, version) references app.notice_versions (notice_id, version)
);
comment on table app.finance_lines is '财务公开 lines of one version: income or expense, amount in fen (integer).';

create function app.forbid_published_version_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_table_name = 'notice_versions' then
    if old.status = 'published' then
      raise exception using errcode = 'P0001', message = 'core.append_only', detail = 'published notice version';
    end if;
  elsif exists (select 1 from app.notice_versions v
                 where v.notice_id = old.notice_id and v.version = old.version and v.status = 'published') then
    raise exception using errcode = 'P0001', message = 'core.append_only', detail = 'published finance line';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
create trigger notice_versions_sealed before update or delete on app.notice_versions
  for each row execute function app.forbid_published_version_change();
create trigger finance_lines_sealed before update or delete on app.finance_lines
  for each row execute function app.forbid_published_version_change();

create function app.forbid_published_notice_delete() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.first_published_at is not null then
    raise exception using errcode = 'P0001', message = 'core.append_only', detail = 'published notice';
  end if;
  return old;
end
$$;
create trigger notices_published_not_deleted before delete on app.notices
  for each row execute function app.forbid_published_notice_delete();

create table app.notice_reads (
  notice_id uuid not null references app.notices (id),
  profile_id uuid not null references app.profiles (id),
  household_id uuid references app.households (id),
  first_read_at timestamptz not null default now(),
  primary key (notice_id, profile_id)
);
comment on table app.notice_reads is 'Read receipts: one row per person per notice, the first time they opened it.';
create index notice_reads_profile_idx on app.notice_reads (profile_id);
create index notice_reads_household_idx on app.notice_reads (notice_id, household_id);

create table app.notice_questions (
  id uuid primary key default gen_random_uuid(),
  notice_id uuid not null references app.notices (id),
  asker_id uuid not null references app.profiles (id),
  body text not null check (char_length(body) between 2 and 500),
  check_status text not null default 'pending' check (check_status in ('pending', 'passed', 'rejected')),
  check_provider text,
  created_at timestamptz not null default now(),
  answer text check (answer is null or char_length(answer) between 2 and 1000),
  answered_by uuid references app.profiles (id),
  answered_at timestamptz,
  hidden_reason text check (hidden_reason is null or char_length(hidden_reason) between 2 and 200),
  hidden_by uuid references app.profiles (id),
  hidden_at timestamptz,
  check ((answer is null) = (answered_at is null)),
  check ((hidden_reason is null) = (hidden_at is null))
);
comment on table app.notice_questions is 'Questions under a disclosure. Shown only after the content check passed and unless hidden (with a reason).';
create index notice_questions_notice_idx on app.notice_questions (notice_id, created_at);
create index notice_questions_asker_idx on app.notice_questions (asker_id);
create index notice_questions_answered_by_idx on app.notice_questions (answered_by);
create index notice_questions_hidden_by_idx on app.notice_questions (hidden_by);

create table app.message_subscriptions (
  profile_id uuid not null references app.profiles (id),
  community_id uuid not null references app.communities (id),
  topic text not null check (topic in ('notices')),
  credits integer not null default 0 check (credits between 0 and 1000),
  updated_at timestamptz not null default now(),
  primary key (profile_id, community_id, topic)
);
comment on table app.message_subscriptions is 'WeChat subscribe-message credits: each acceptance in WeChat allows one message.';
create index message_subscriptions_community_idx on app.message_subscriptions (community_id, topic);

create table app.outbox (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('wechat_subscribe')),
  profile_id uuid not null references app.profiles (id),
  dedupe_key text not null unique,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts integer not null default 0 check (attempts >= 0),
  last_error text,
  next_attempt_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
comment on table app.outbox is 'Messages to send outside the database (WeChat subscribe messages), sent by the server''s sender.';
create index outbox_due_idx on app.outbox (next_attempt_at) where status in ('pending', 'sending');
create index outbox_profile_idx on app.outbox (profile_id);

-- ---------------------------------------------------------------- visibility

-- Grid of the caller's household in a community (null when not a resident there).
create function app.my_grid(p_community uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select b.grid_id from app.memberships m
    join app.households h on h.id = m.household_id
    join app.buildings b on b.id = h.building_id
   where m.profile_id = (select auth.uid()) and m.community_id = p_community and m.role = 'resident'
   limit 1;
$$;

-- May the caller read this notice's published content?
create function app.can_read_notice(p_notice uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from app.notices n
     where n.id = p_notice
       and n.first_published_at is not null
       and (n.publish_at is null or n.publish_at <= now() or app.has_role(n.community_id, '{committee,supervisor,admin}'))
       and (app.has_role(n.community_id, '{committee,supervisor,admin,clerk,grid_worker}')
            or (app.has_role(n.community_id, '{resident}')
                and (n.audience_grid_ids is null or app.my_grid(n.community_id) = any (n.audience_grid_ids)))));
$$;

create function app.can_see_version(p_notice uuid, p_status app.notice_version_status) returns boolean
language sql stable security definer set search_path = '' as $$
  select case
    when p_status = 'published' then app.can_read_notice(p_notice)
    else exists (select 1 from app.notices n where n.id = p_notice and (
           app.has_role(n.community_id, '{committee,admin}')
           or (p_status in ('submitted', 'returned') and app.has_role(n.community_id, '{supervisor}'))))
  end;
$$;

alter table app.notices enable row level security;
alter table app.notice_versions enable row level security;
alter table app.finance_lines enable row level security;
alter table app.notice_reads enable row level security;
alter table app.notice_questions enable row level security;
alter table app.message_subscriptions enable row level security;
alter table app.outbox enable row level security;

grant select on app.notices, app.notice_versions, app.finance_lines, app.notice_reads, app.notice_questions,
  app.message_subscriptions to authenticated;

create policy "Readers see published notices meant for them" on app.notices
  for select to authenticated using (app.can_read_notice(id));
create policy "Committee and admins see all notices of their community" on app.notices
  for select to authenticated using (app.has_role(community_id, '{committee,admin}'));
create policy "Supervisors see notices under review" on app.notices
  for select to authenticated using (app.has_role(community_id, '{supervisor}') and exists (
    select 1 from app.notice_versions v where v.notice_id = notices.id and v.status in ('submitted', 'returned')));

create policy "Versions are visible as their status allows" on app.notice_versions
  for select to authenticated using (app.can_see_version(notice_id, status));

create policy "Finance lines are visible with their version" on app.finance_lines
  for select to authenticated using (exists (
    select 1 from app.notice_versions v
     where v.notice_id = finance_lines.notice_id and v.version = finance_lines.version));

create policy "People see their own reads" on app.notice_reads
  for select to authenticated using (profile_id = (select auth.uid()));
create policy "Staff see reads of their community's notices" on app.notice_reads
  for select to authenticated using (exists (
    select 1 from app.notices n where n.id = notice_reads.notice_id
       and app.has_role(n.community_id, '{committee,grid_worker,admin}')));

create policy "Readers see checked, visible questions" on app.notice_questions
  for select to authenticated using (check_status = 'passed' and hidden_at is null and app.can_read_notice(notice_id));
create policy "Askers see their own questions" on app.notice_questions
  for select to authenticated using (asker_id = (select auth.uid()));
create policy "Committee and supervisors see every question" on app.notice_questions
  for select to authenticated using (exists (
    select 1 from app.notices n where n.id = notice_questions.notice_id
       and app.has_role(n.community_id, '{committee,supervisor,admin}')));

create policy "People see their own subscriptions" on app.message_subscriptions
  for select to authenticated using (profile_id = (select auth.uid()));

-- outbox: RLS on, no policy: only the service role (the sender) touches it.

grant all on app.notices, app.notice_versions, app.finance_lines, app.notice_reads, app.notice_questions,
  app.message_subscriptions, app.outbox to service_role;

-- ---------------------------------------------------------------- JSON shapes

-- The masked name others may see (张*兰), whoever may or may not read the profile row itself.
create function app.masked_name_of(p_profile uuid) returns text
language sql stable security definer set search_path = '' as $$
  select app.mask_name(coalesce(p.real_name, p.display_name)) from app.profiles p where p.id = p_profile;
$$;

create function app.finance_json(p_notice uuid, p_version integer) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'lines', coalesce(jsonb_agg(jsonb_build_object(
               'lineNo', l.line_no, 'occurredOn', l.occurred_on, 'item', l.item, 'direction', l.direction,
               'amountFen', l.amount_fen, 'counterparty', l.counterparty, 'voucher', l.voucher) order by l.line_no), '[]'::jsonb),
    'incomeFen', coalesce(sum(l.amount_fen) filter (where l.direction = 'income'), 0),
    'expenseFen', coalesce(sum(l.amount_fen) filter (where l.direction = 'expense'), 0),
    'balanceFen', coalesce(sum(case when l.direction = 'income' then l.amount_fen else -l.amount_fen end), 0))
    from app.finance_lines l where l.notice_id = p_notice and l.version = p_version;
$$;

-- The hash readers can check: what was published, in a stable text form.
create function app.notice_content_sha256(p_notice uuid, p_version integer) returns text
language sql stable security definer set search_path = '' as $$
  select encode(sha256(convert_to(jsonb_build_object(
           'notice', n.id, 'version', v.version, 'category', n.category, 'title', v.title, 'body', v.body,
           'images', v.images, 'attachments', v.attachments, 'financePeriod', n.finance_period,
           'finance', (select coalesce(jsonb_agg(jsonb_build_array(l.occurred_on, l.item, l.direction, l.amount_fen, l.counterparty)
                                        order by l.line_no), '[]'::jsonb)
                         from app.finance_lines l where l.notice_id = v.notice_id and l.version = v.version))::text, 'UTF8')), 'hex')
    from app.notices n join app.notice_versions v on v.notice_id = n.id
   where n.id = p_notice and v.version = p_version;
$$;

-- ---------------------------------------------------------------- writing (committee)

create function app.require_committee_of_notice(p_notice uuid) returns app.notices
language plpgsql stable security definer set search_path = '' as $$
declare n app.notices;
begin
  select * into n from app.notices where id = p_notice;
  if n.id is null then
    perform app.fail('notices.not_found');
  end if;
  if not app.has_role(n.community_id, '{committee}') then
    -- Someone who cannot even see the notice learns nothing about it.
    if app.can_read_notice(n.id) or app.has_role(n.community_id, '{supervisor,admin}') then
      perform app.fail('core.forbidden');
    end if;
    perform app.fail('notices.not_found');
  end if;
  return n;
end
$$;

-- Validates and writes the content of one version (title, body, images, attachments, finance lines).
create function app.write_notice_content(p_notice uuid, p_version integer, p_content jsonb) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_line jsonb;
  v_no integer := 0;
  v_category app.notice_category;
begin
  select category into v_category from app.notices where id = p_notice;
  update app.notice_versions
     set title = btrim(p_content ->> 'title'),
         body = coalesce(p_content ->> 'body', ''),
         images = coalesce(p_content -> 'images', '[]'::jsonb),
         attachments = coalesce(p_content -> 'attachments', '[]'::jsonb),
         written_by = (select auth.uid()), written_at = now()
   where notice_id = p_notice and version = p_version;
  delete from app.finance_lines where notice_id = p_notice and version = p_version;
  if v_category = 'finance' then
    for v_line in select * from jsonb_array_elements(coalesce(p_content -> 'financeLines', '[]'::jsonb)) loop
      v_no := v_no + 1;
      insert into app.finance_lines (notice_id, version, line_no, occurred_on, item, direction, amount_fen, counterparty, voucher)
      values (p_notice, p_version, v_no, (v_line ->> 'occurredOn')::date, btrim(v_line ->> 'item'), v_line ->> 'direction',
              (v_line ->> 'amountFen')::bigint, coalesce(btrim(v_line ->> 'counterparty'), ''), v_line -> 'voucher');
    end loop;
  elsif jsonb_array_length(coalesce(p_content -> 'financeLines', '[]'::jsonb)) > 0 then
    perform app.fail('notices.finance_lines_only_for_finance');
  end if;
end
$$;

create function public.create_notice(p_community_id uuid, p_category text, p_content jsonb,
                                     p_audience_grid_ids uuid[] default null, p_pinned boolean default false,
                                     p_important boolean default false, p_publish_at timestamptz default null,
                                     p_expires_at timestamptz default null, p_finance_period text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_id uuid;
  v_category app.notice_category := p_category::app.notice_category;
begin
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if p_audience_grid_ids is not null and exists (
       select 1 from unnest(p_audience_grid_ids) g(id)
        where not exists (select 1 from app.grids x where x.id = g.id and x.community_id = p_community_id)) then
    perform app.fail('notices.grid_not_found');
  end if;
  insert into app.notices (community_id, category, audience_grid_ids, pinned, important, publish_at, expires_at,
                           finance_period, created_by)
  values (p_community_id, v_category, case when v_category = 'emergency' then null else p_audience_grid_ids end,
          p_pinned, p_important or v_category = 'emergency', p_publish_at, p_expires_at,
          case when v_category = 'finance' then nullif(btrim(coalesce(p_finance_period, '')), '') end, v_uid)
  returning id into v_id;
  insert into app.notice_versions (notice_id, version, title, written_by)
  values (v_id, 1, btrim(coalesce(p_content ->> 'title', '')), v_uid);
  perform app.write_notice_content(v_id, 1, p_content);
  perform app.audit(p_community_id, 'notice.create', 'notice', v_id::text, jsonb_build_object('category', p_category));
  return public.get_notice(v_id, null);
exception
  when check_violation or not_null_violation or invalid_text_representation or invalid_datetime_format
    or datetime_field_overflow or numeric_value_out_of_range then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- Edit the version being written (a draft, or one returned by the supervisor).
create function public.update_notice_draft(p_notice_id uuid, p_content jsonb,
                                           p_audience_grid_ids uuid[] default null, p_pinned boolean default false,
                                           p_important boolean default false, p_publish_at timestamptz default null,
                                           p_expires_at timestamptz default null, p_finance_period text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  n app.notices := app.require_committee_of_notice(p_notice_id);
  v app.notice_versions;
begin
  select * into v from app.notice_versions where notice_id = n.id and status in ('draft', 'returned') for update;
  if v.notice_id is null then
    perform app.fail('notices.not_editable');
  end if;
  -- Who it is for and when it appears are settled at first publication.
  if n.first_published_at is null then
    update app.notices
       set audience_grid_ids = case when category = 'emergency' then null else p_audience_grid_ids end,
           important = p_important or category = 'emergency', publish_at = p_publish_at, expires_at = p_expires_at,
           finance_period = case when category = 'finance' then nullif(btrim(coalesce(p_finance_period, '')), '') end
     where id = n.id;
  end if;
  update app.notices set pinned = p_pinned where id = n.id;
  update app.notice_versions set status = 'draft' where notice_id = n.id and version = v.version;
  perform app.write_notice_content(n.id, v.version, p_content);
  perform app.audit(n.community_id, 'notice.edit', 'notice', n.id::text, jsonb_build_object('version', v.version));
  return public.get_notice(n.id, null);
exception
  when check_violation or not_null_violation or invalid_text_representation or invalid_datetime_format
    or datetime_field_overflow or numeric_value_out_of_range then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- Seal a version as published; the first publication also notifies subscribers.
create function app.publish_notice_version(p_notice uuid, p_version integer) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  n app.notices;
  v_title text;
  v_community_name text;
begin
  update app.notice_versions
     set status = 'published', published_at = now(), published_by = (select auth.uid()),
         content_sha256 = app.notice_content_sha256(p_notice, p_version)
   where notice_id = p_notice and version = p_version
  returning title into v_title;
  update app.notices set first_published_at = coalesce(first_published_at, now())
   where id = p_notice returning * into n;
  if p_version = 1 then
    select c.name into v_community_name from app.communities c where c.id = n.community_id;
    with spent as (
      update app.message_subscriptions s set credits = s.credits - 1, updated_at = now()
       where s.community_id = n.community_id and s.topic = 'notices' and s.credits > 0
         and exists (select 1 from app.memberships m
                       left join app.households h on h.id = m.household_id
                       left join app.buildings b on b.id = h.building_id
                      where m.profile_id = s.profile_id and m.community_id = n.community_id
                        and (n.audience_grid_ids is null or m.role <> 'resident' or b.grid_id = any (n.audience_grid_ids)))
      returning s.profile_id)
    insert into app.outbox (kind, profile_id, dedupe_key, payload, next_attempt_at)
    select 'wechat_subscribe', spent.profile_id, 'notice:' || n.id || ':' || spent.profile_id,
           jsonb_build_object('template', 'notice', 'page', 'packages/notices/detail/index?id=' || n.id,
                              'title', v_title, 'community', v_community_name, 'category', n.category,
                              'publishedAt', coalesce(n.publish_at, now())),
           greatest(coalesce(n.publish_at, now()), now())
      from spent
    on conflict (dedupe_key) do nothing;
  end if;
end
$$;

create function public.submit_notice(p_notice_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  n app.notices := app.require_committee_of_notice(p_notice_id);
  v app.notice_versions;
begin
  select * into v from app.notice_versions where notice_id = n.id and status in ('draft', 'returned') for update;
  if v.notice_id is null then
    perform app.fail('notices.not_editable');
  end if;
  if n.category = 'finance' and not exists (select 1 from app.finance_lines l where l.notice_id = n.id and l.version = v.version) then
    perform app.fail('notices.finance_lines_required');
  end if;
  if app.notice_needs_review(n.category) then
    update app.notice_versions set status = 'submitted', submitted_at = now() where notice_id = n.id and version = v.version;
    perform app.audit(n.community_id, 'notice.submit', 'notice', n.id::text, jsonb_build_object('version', v.version));
  else
    update app.notice_versions set submitted_at = now() where notice_id = n.id and version = v.version;
    perform app.publish_notice_version(n.id, v.version);
    perform app.audit(n.community_id, 'notice.publish', 'notice', n.id::text, jsonb_build_object('version', v.version));
  end if;
  return public.get_notice(n.id, null);
end
$$;

-- 监督委员会: approve (publish) or return with a comment.
create function public.review_notice(p_notice_id uuid, p_approve boolean, p_comment text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  n app.notices;
  v app.notice_versions;
begin
  perform app.require_uid();
  select * into n from app.notices where id = p_notice_id;
  if n.id is null or not app.has_role(n.community_id, '{committee,supervisor,admin,clerk,grid_worker,resident}') then
    perform app.fail('notices.not_found');
  end if;
  if not app.has_role(n.community_id, '{supervisor}') then
    perform app.fail('core.forbidden');
  end if;
  select * into v from app.notice_versions where notice_id = n.id and status = 'submitted' for update;
  if v.notice_id is null then
    perform app.fail('notices.not_submitted');
  end if;
  if not p_approve and char_length(btrim(coalesce(p_comment, ''))) < 2 then
    perform app.fail('notices.comment_required');
  end if;
  update app.notice_versions
     set status = case when p_approve then 'submitted'::app.notice_version_status else 'returned' end,
         reviewed_by = (select auth.uid()), reviewed_at = now(), review_comment = nullif(btrim(coalesce(p_comment, '')), '')
   where notice_id = n.id and version = v.version;
  if p_approve then
    perform app.publish_notice_version(n.id, v.version);
  end if;
  perform app.audit(n.community_id, case when p_approve then 'notice.approve' else 'notice.return' end, 'notice', n.id::text,
                    jsonb_build_object('version', v.version, 'comment', p_comment));
  return public.get_notice(n.id, null);
end
$$;

-- A correction: a new version with the full corrected content and a note saying what changed.
create function public.correct_notice(p_notice_id uuid, p_content jsonb, p_correction_note text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  n app.notices := app.require_committee_of_notice(p_notice_id);
  v_next integer;
begin
  if n.first_published_at is null then
    perform app.fail('notices.not_published');
  end if;
  if exists (select 1 from app.notice_versions where notice_id = n.id and status <> 'published') then
    perform app.fail('notices.correction_pending');
  end if;
  if char_length(btrim(coalesce(p_correction_note, ''))) < 2 then
    perform app.fail('notices.correction_note_required');
  end if;
  select max(version) + 1 into v_next from app.notice_versions where notice_id = n.id;
  insert into app.notice_versions (notice_id, version, title, correction_note, written_by)
  values (n.id, v_next, btrim(coalesce(p_content ->> 'title', '')), btrim(p_correction_note), (select auth.uid()));
  perform app.write_notice_content(n.id, v_next, p_content);
  perform app.audit(n.community_id, 'notice.correct', 'notice', n.id::text,
                    jsonb_build_object('version', v_next, 'note', p_correction_note));
  return public.submit_notice(n.id);
exception
  when check_violation or not_null_violation or invalid_text_representation or invalid_datetime_format
    or datetime_field_overflow or numeric_value_out_of_range then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.set_notice_pinned(p_notice_id uuid, p_pinned boolean) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare n app.notices := app.require_committee_of_notice(p_notice_id);
begin
  update app.notices set pinned = p_pinned where id = n.id;
  perform app.audit(n.community_id, case when p_pinned then 'notice.pin' else 'notice.unpin' end, 'notice', n.id::text);
  return jsonb_build_object('id', n.id, 'pinned', p_pinned);
end
$$;

-- ---------------------------------------------------------------- reading

-- One notice as the caller may see it: the latest version they may see (or the one asked for).
create function public.get_notice(p_notice_id uuid, p_version integer default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  n app.notices;
  v app.notice_versions;
  v_latest_published integer;
begin
  select * into n from app.notices where id = p_notice_id;
  if n.id is null then
    perform app.fail('notices.not_found');
  end if;
  select max(x.version) into v_latest_published from app.notice_versions x where x.notice_id = n.id and x.status = 'published';
  select * into v from app.notice_versions x
   where x.notice_id = n.id and (p_version is null or x.version = p_version)
   order by (x.status = 'published' and not app.has_role(n.community_id, '{committee}')) desc, x.version desc
   limit 1;
  if v.notice_id is null then
    perform app.fail('notices.not_found');
  end if;
  return jsonb_build_object(
    'id', n.id, 'communityId', n.community_id, 'category', n.category, 'pinned', n.pinned, 'important', n.important,
    'audienceGridIds', to_jsonb(n.audience_grid_ids), 'publishAt', n.publish_at, 'expiresAt', n.expires_at,
    'financePeriod', n.finance_period, 'firstPublishedAt', n.first_published_at,
    'version', jsonb_build_object(
      'version', v.version, 'status', v.status, 'title', v.title, 'body', v.body, 'images', v.images,
      'attachments', v.attachments, 'correctionNote', v.correction_note, 'writtenAt', v.written_at,
      'submittedAt', v.submitted_at, 'reviewComment', v.review_comment, 'reviewedAt', v.reviewed_at,
      'publishedAt', v.published_at, 'contentSha256', v.content_sha256),
    'latestPublishedVersion', v_latest_published,
    'corrected', coalesce(v_latest_published, 0) > 1,
    'versions', (select coalesce(jsonb_agg(jsonb_build_object('version', x.version, 'status', x.status, 'title', x.title,
                                 'publishedAt', x.published_at, 'correctionNote', x.correction_note) order by x.version desc), '[]'::jsonb)
                   from app.notice_versions x where x.notice_id = n.id),
    'finance', case when n.category = 'finance' then app.finance_json(n.id, v.version) end,
    'questions', case when app.notice_is_disclosure(n.category) then (
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', q.id, 'body', q.body, 'asker', app.masked_name_of(q.asker_id),
               'mine', q.asker_id = (select auth.uid()), 'checkStatus', q.check_status, 'createdAt', q.created_at,
               'answer', q.answer, 'answeredAt', q.answered_at, 'hidden', q.hidden_at is not null, 'hiddenReason', q.hidden_reason)
               order by q.created_at), '[]'::jsonb)
        from app.notice_questions q where q.notice_id = n.id) end,
    'readByMe', exists (select 1 from app.notice_reads r where r.notice_id = n.id and r.profile_id = (select auth.uid())),
    'canManage', app.has_role(n.community_id, '{committee}'),
    'canReview', app.has_role(n.community_id, '{supervisor}') and v.status = 'submitted');
end
$$;

-- Opening a notice records one read per person, however many requests race.
create function public.record_notice_read(p_notice_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_community uuid;
  v_new boolean;
begin
  if not app.can_read_notice(p_notice_id) then
    perform app.fail('notices.not_found');
  end if;
  select community_id into v_community from app.notices where id = p_notice_id;
  insert into app.notice_reads (notice_id, profile_id, household_id)
  values (p_notice_id, v_uid, (select m.household_id from app.memberships m
                                where m.profile_id = v_uid and m.community_id = v_community and m.role = 'resident' limit 1))
  on conflict (notice_id, profile_id) do nothing
  returning true into v_new;
  return jsonb_build_object('noticeId', p_notice_id, 'firstRead', coalesce(v_new, false));
end
$$;

create function app.notice_summary(n app.notices) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'id', n.id, 'category', n.category, 'pinned', n.pinned, 'important', n.important,
    'title', v.title, 'excerpt', left(regexp_replace(v.body, '\s+', ' ', 'g'), 60), 'publishedAt', coalesce(n.publish_at, n.first_published_at),
    'corrected', v.version > 1, 'expired', n.expires_at is not null and n.expires_at <= now(),
    'readByMe', exists (select 1 from app.notice_reads r where r.notice_id = n.id and r.profile_id = (select auth.uid())))
    from app.notice_versions v
   where v.notice_id = n.id and v.status = 'published'
   order by v.version desc limit 1;
$$;

-- Published notices of a community the caller may read, newest first; optionally one category.
create function public.list_notices(p_community_id uuid, p_category text default null, p_limit integer default 20,
                                    p_before timestamptz default null, p_include_expired boolean default false)
returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(app.notice_summary(x) order by coalesce(x.publish_at, x.first_published_at) desc), '[]'::jsonb)
    from (select n.* from app.notices n
           where n.community_id = p_community_id and app.can_read_notice(n.id)
             and (n.publish_at is null or n.publish_at <= now())
             and (p_category is null or n.category::text = p_category)
             and (p_include_expired or n.expires_at is null or n.expires_at > now())
             and (p_before is null or coalesce(n.publish_at, n.first_published_at) < p_before)
           order by coalesce(n.publish_at, n.first_published_at) desc
           limit least(greatest(p_limit, 1), 100)) x;
$$;

-- The home page: unread emergencies first, then pinned, then the latest.
create function public.get_notice_home(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  with visible as (
    select n.* from app.notices n
     where n.community_id = p_community_id and app.can_read_notice(n.id)
       and (n.publish_at is null or n.publish_at <= now())
       and (n.expires_at is null or n.expires_at > now()))
  select jsonb_build_object(
    'emergencies', (select coalesce(jsonb_agg(app.notice_summary(v) order by v.first_published_at desc), '[]'::jsonb)
                      from visible v where v.category = 'emergency'
                       and not exists (select 1 from app.notice_reads r where r.notice_id = v.id and r.profile_id = (select auth.uid()))),
    'pinned', (select coalesce(jsonb_agg(app.notice_summary(v) order by v.first_published_at desc), '[]'::jsonb)
                 from visible v where v.pinned),
    'latest', (select coalesce(jsonb_agg(app.notice_summary(x) order by coalesce(x.publish_at, x.first_published_at) desc), '[]'::jsonb)
                 from (select * from visible v where not v.pinned
                        order by coalesce(v.publish_at, v.first_published_at) desc limit 5) x));
$$;

-- Committee: drafts, returned and submitted; supervisors: what waits for their review.
create function public.list_notice_work(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'category', n.category, 'title', v.title, 'version', v.version, 'status', v.status,
           'writtenAt', v.written_at, 'submittedAt', v.submitted_at, 'reviewComment', v.review_comment,
           'correctionNote', v.correction_note, 'financePeriod', n.finance_period)
         order by v.written_at desc), '[]'::jsonb)
    from app.notice_versions v join app.notices n on n.id = v.notice_id
   where n.community_id = p_community_id and v.status <> 'published';
$$;

-- Who has read an important notice, by household, so grid workers can tell the rest in person.
create function public.get_notice_read_stats(p_notice_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare n app.notices;
begin
  perform app.require_uid();
  select * into n from app.notices where id = p_notice_id;
  if n.id is null or not app.can_read_notice(n.id) then
    perform app.fail('notices.not_found');
  end if;
  if not app.has_role(n.community_id, '{committee,grid_worker,admin}') then
    perform app.fail('core.forbidden');
  end if;
  return (
    with audience as (
      select h.id, b.name || ' ' || h.room as address, g.id as grid_id, g.name as grid_name
        from app.households h join app.buildings b on b.id = h.building_id join app.grids g on g.id = b.grid_id
       where h.community_id = n.community_id
         and (n.audience_grid_ids is null or g.id = any (n.audience_grid_ids))
         and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident')
         -- grid workers see their own grid's households; committee and admins all
         and (app.has_role(n.community_id, '{committee,admin}')
              or exists (select 1 from app.memberships gw where gw.profile_id = (select auth.uid())
                            and gw.role = 'grid_worker' and gw.grid_id = g.id))),
    read_households as (select distinct r.household_id from app.notice_reads r where r.notice_id = n.id)
    select jsonb_build_object(
      'noticeId', n.id, 'important', n.important,
      'readers', (select count(*) from app.notice_reads r where r.notice_id = n.id),
      'households', (select count(*) from audience),
      'householdsRead', (select count(*) from audience a where a.id in (select household_id from read_households)),
      'unreadHouseholds', (select coalesce(jsonb_agg(jsonb_build_object(
                              'householdId', a.id, 'address', a.address, 'gridName', a.grid_name,
                              'residents', (select jsonb_agg(app.mask_name(coalesce(p.real_name, p.display_name)))
                                              from app.memberships m join app.profiles p on p.id = m.profile_id
                                             where m.household_id = a.id and m.role = 'resident'))
                              order by a.grid_name, a.address), '[]'::jsonb)
                             from audience a where a.id not in (select household_id from read_households where household_id is not null))));
end
$$;

-- ---------------------------------------------------------------- questions

-- A question starts invisible to others ('pending') until the server's content check settles it.
create function public.ask_notice_question(p_notice_id uuid, p_body text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  n app.notices;
  q app.notice_questions;
begin
  select * into n from app.notices where id = p_notice_id;
  if n.id is null or not app.can_read_notice(n.id) then
    perform app.fail('notices.not_found');
  end if;
  if not app.notice_is_disclosure(n.category) then
    perform app.fail('notices.questions_not_open');
  end if;
  if not app.has_role(n.community_id, '{resident}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.notice_questions (notice_id, asker_id, body) values (n.id, v_uid, btrim(p_body)) returning * into q;
  perform app.audit(n.community_id, 'notice.question.ask', 'notice_question', q.id::text);
  return jsonb_build_object('id', q.id, 'checkStatus', q.check_status, 'createdAt', q.created_at);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- Server only: the outcome of the content check (WeChat msgSecCheck in production).
create function public.settle_question_check(p_question_id uuid, p_passed boolean, p_provider text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare q app.notice_questions;
begin
  update app.notice_questions set check_status = case when p_passed then 'passed' else 'rejected' end, check_provider = p_provider
   where id = p_question_id and check_status = 'pending'
  returning * into q;
  if q.id is null then
    perform app.fail('notices.question_not_found');
  end if;
  return jsonb_build_object('id', q.id, 'checkStatus', q.check_status);
end
$$;

-- A question that a committee member of its notice's community is about to act on (locked).
create function app.question_for_committee(p_question uuid) returns app.notice_questions
language plpgsql volatile security definer set search_path = '' as $$
declare q app.notice_questions;
begin
  perform app.require_uid();
  select * into q from app.notice_questions where id = p_question for update;
  if q.id is null then
    perform app.fail('notices.question_not_found');
  end if;
  perform app.require_committee_of_notice(q.notice_id);
  return q;
end
$$;

create function public.answer_notice_question(p_question_id uuid, p_answer text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare q app.notice_questions := app.question_for_committee(p_question_id);
begin
  if q.check_status <> 'passed' or q.hidden_at is not null then
    perform app.fail('notices.question_not_answerable');
  end if;
  update app.notice_questions set answer = btrim(p_answer), answered_by = (select auth.uid()), answered_at = now()
   where id = q.id returning * into q;
  perform app.audit((select n.community_id from app.notices n where n.id = q.notice_id), 'notice.question.answer',
                    'notice_question', q.id::text, '{}'::jsonb, q.asker_id);
  return jsonb_build_object('id', q.id, 'answer', q.answer, 'answeredAt', q.answered_at);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.hide_notice_question(p_question_id uuid, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare q app.notice_questions := app.question_for_committee(p_question_id);
begin
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  update app.notice_questions set hidden_reason = btrim(p_reason), hidden_by = (select auth.uid()), hidden_at = now()
   where id = q.id and hidden_at is null returning * into q;
  if q.id is null then
    perform app.fail('notices.question_not_found');
  end if;
  perform app.audit((select n.community_id from app.notices n where n.id = q.notice_id), 'notice.question.hide',
                    'notice_question', q.id::text, jsonb_build_object('reason', p_reason), q.asker_id);
  return jsonb_build_object('id', q.id, 'hidden', true, 'hiddenReason', q.hidden_reason);
end
$$;

-- ---------------------------------------------------------------- subscribe messages

-- After the resident accepted WeChat's subscribe prompt: one more message may be sent to them.
create function public.subscribe_notices(p_community_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_credits integer;
begin
  if not app.has_role(p_community_id, '{resident,committee,clerk,grid_worker,supervisor}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.message_subscriptions as s (profile_id, community_id, topic, credits)
  values (v_uid, p_community_id, 'notices', 1)
  on conflict (profile_id, community_id, topic) do update set credits = least(s.credits + 1, 1000), updated_at = now()
  returning credits into v_credits;
  return jsonb_build_object('topic', 'notices', 'credits', v_credits);
end
$$;

-- Server only: take due messages (skip those another sender holds), with the recipient's openid.
create function public.claim_outbox(p_limit integer default 20) returns jsonb
language sql volatile security definer set search_path = '' as $$
  with due as (
    select o.id from app.outbox o
     where o.status in ('pending', 'sending') and o.next_attempt_at <= now()
     order by o.next_attempt_at
     limit least(greatest(p_limit, 1), 100)
     for update skip locked),
  claimed as (
    update app.outbox o set status = 'sending', attempts = o.attempts + 1,
           next_attempt_at = now() + make_interval(mins => 5 * (o.attempts + 1))
      from due where o.id = due.id
    returning o.*)
  select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'kind', c.kind, 'payload', c.payload, 'attempts', c.attempts,
                                               'openid', p.wechat_openid)), '[]'::jsonb)
    from claimed c join app.profiles p on p.id = c.profile_id;
$$;

create function public.complete_outbox(p_id uuid, p_status text, p_error text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v_status text;
begin
  if p_status not in ('sent', 'failed', 'skipped', 'retry') then
    perform app.fail('core.invalid_input', 'status');
  end if;
  update app.outbox
     set status = case when p_status = 'retry' then (case when attempts >= 5 then 'failed' else 'pending' end) else p_status end,
         last_error = left(p_error, 500), sent_at = case when p_status = 'sent' then now() end
   where id = p_id and status = 'sending'
  returning status into v_status;
  return jsonb_build_object('id', p_id, 'status', v_status);
end
$$;

-- Server only: the person's openid, for WeChat's content check.
create function public.get_wechat_openid(p_profile_id uuid) returns text
language sql stable security definer set search_path = '' as $$
  select wechat_openid from app.profiles where id = p_profile_id;
$$;

-- ---------------------------------------------------------------- grants

-- New functions are executable by PUBLIC by default; each migration revokes and grants explicitly.
revoke execute on all functions in schema public from public, anon;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to authenticated, service_role;
-- This domain.
grant execute on function public.create_notice(uuid, text, jsonb, uuid[], boolean, boolean, timestamptz, timestamptz, text),
  public.update_notice_draft(uuid, jsonb, uuid[], boolean, boolean, timestamptz, timestamptz, text),
  public.submit_notice(uuid), public.review_notice(uuid, boolean, text), public.correct_notice(uuid, jsonb, text),
  public.set_notice_pinned(uuid, boolean), public.get_notice(uuid, integer), public.record_notice_read(uuid),
  public.list_notices(uuid, text, integer, timestamptz, boolean), public.get_notice_home(uuid),
  public.list_notice_work(uuid), public.get_notice_read_stats(uuid), public.ask_notice_question(uuid, text),
  public.answer_notice_question(uuid, text), public.hide_notice_question(uuid, text), public.subscribe_notices(uuid)
  to authenticated;
grant execute on function public.settle_question_check(uuid, boolean, text), public.claim_outbox(integer),
  public.complete_outbox(uuid, text, text), public.get_wechat_openid(uuid) to service_role;
-- Write helpers run only inside security definer functions.
revoke execute on function app.write_notice_content(uuid, integer, jsonb), app.publish_notice_version(uuid, integer)
  from authenticated;
