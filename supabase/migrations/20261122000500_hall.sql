-- Service hall (便民服务大厅): the catalog, applications with their state machine, working-day due dates,
-- appointments, proxy handling (帮办代办), ratings (好差评) with follow-up, and in-app notifications.
--
-- Rules enforced here:
--   * an application moves only along these edges, each by its role:
--       submitted → accepted | returned | rejected          (clerk)
--       accepted  → processing | returned | rejected        (clerk)
--       processing → completed | returned                   (clerk)
--       returned  → submitted                               (the applicant, or their consented helper)
--     every step is an append-only event with who, for whom, when and a note; returning and rejecting need one;
--   * the form is validated against the item's form definition (required fields, types, options);
--   * due dates count working days: weekends and holidays skipped, make-up workdays counted (app.holidays);
--   * one rating per case, by the applicant, after completion; 1–2 stars open a follow-up (整改) due in
--     15 working days that a clerk closes with a note;
--   * appointment slots are never overbooked (one conditional update), one active booking per person and
--     item, cancel before the cut-off;
--   * a helper acts for a resident only after the resident consented, and only on that request's case;
--   * nobody but the applicant, their consented helper and the community's clerks (and committee,
--     supervisors, admins) can read a case: to anyone else it does not exist.

create type app.application_status as enum ('submitted', 'accepted', 'processing', 'completed', 'returned', 'rejected');

create table app.service_items (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  name text not null check (char_length(name) between 2 and 40),
  department text not null check (char_length(department) between 2 and 40),
  theme text not null check (theme in ('社保', '医保', '养老', '就业', '证明开具', '困难救助', '证照办理', '计生', '残疾人', '其他')),
  eligibility text not null default '',
  materials jsonb not null default '[]'::jsonb check (jsonb_typeof(materials) = 'array'),
  steps jsonb not null default '[]'::jsonb check (jsonb_typeof(steps) = 'array'),
  time_limit_days integer not null check (time_limit_days between 0 and 90),
  fee text not null default '免费',
  offline_address text not null default '',
  offline_hours text not null default '',
  online boolean not null default true,
  appointment boolean not null default false,
  proxy_allowed boolean not null default true,
  form jsonb not null default '[]'::jsonb check (jsonb_typeof(form) = 'array'),
  created_at timestamptz not null default now(),
  unique (community_id, name)
);
comment on table app.service_items is '事项清单: one service a community offers, with what to bring and the online form definition.';

create table app.holidays (
  community_id uuid not null references app.communities (id),
  day date not null,
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null default '',
  primary key (community_id, day)
);
comment on table app.holidays is 'Public holidays and make-up workdays (调休) used to count working days; committees edit them.';

create table app.applications (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  item_id uuid not null references app.service_items (id),
  applicant_id uuid not null references app.profiles (id),
  status app.application_status not null default 'submitted',
  form_data jsonb not null default '{}'::jsonb check (jsonb_typeof(form_data) = 'object'),
  attachments jsonb not null default '[]'::jsonb check (jsonb_typeof(attachments) = 'array'),
  due_on date not null,
  idempotency_key text not null,
  created_by uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  rating integer check (rating between 1 and 5),
  rating_comment text check (rating_comment is null or char_length(rating_comment) <= 300),
  rated_at timestamptz,
  unique (created_by, idempotency_key),
  check ((rating is null) = (rated_at is null)),
  check (rating is null or status = 'completed')
);
comment on table app.applications is 'A case (办件): one application for one service item, through its states.';
create index applications_community_status_idx on app.applications (community_id, status, due_on);
create index applications_applicant_idx on app.applications (applicant_id, created_at desc);
create index applications_item_idx on app.applications (item_id);
create index applications_created_by_idx on app.applications (created_by);

create table app.application_events (
  id bigint generated always as identity primary key,
  application_id uuid not null references app.applications (id),
  at timestamptz not null default now(),
  actor_id uuid references app.profiles (id),
  on_behalf_of uuid references app.profiles (id),
  from_status app.application_status,
  to_status app.application_status not null,
  note text not null default ''
);
comment on table app.application_events is 'Every step of a case: who, for whom, when, from which state to which, and why. Append-only.';
create index application_events_application_idx on app.application_events (application_id, at);
create index application_events_actor_idx on app.application_events (actor_id);
create index application_events_on_behalf_idx on app.application_events (on_behalf_of);
create trigger application_events_append_only before update or delete on app.application_events
  for each row execute function app.forbid_change();

create table app.rectifications (
  id uuid primary key default gen_random_uuid(),
  application_id uuid not null unique references app.applications (id),
  community_id uuid not null references app.communities (id),
  due_on date not null,
  status text not null default 'open' check (status in ('open', 'closed')),
  closed_note text,
  closed_by uuid references app.profiles (id),
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'closed') = (closed_at is not null and char_length(btrim(coalesce(closed_note, ''))) >= 2))
);
comment on table app.rectifications is '差评整改: a 1–2 star rating opens one; a clerk closes it with a note before the due date.';
create index rectifications_community_idx on app.rectifications (community_id, status, due_on);
create index rectifications_closed_by_idx on app.rectifications (closed_by);

create table app.appointment_slots (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  item_id uuid not null references app.service_items (id),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  capacity integer not null check (capacity between 1 and 200),
  booked integer not null default 0,
  check (ends_at > starts_at),
  check (booked between 0 and capacity),
  unique (item_id, starts_at)
);
comment on table app.appointment_slots is '预约 time slots per item; booked never exceeds capacity.';
create index appointment_slots_community_idx on app.appointment_slots (community_id, starts_at);

create table app.appointments (
  id uuid primary key default gen_random_uuid(),
  slot_id uuid not null references app.appointment_slots (id),
  item_id uuid not null references app.service_items (id),
  profile_id uuid not null references app.profiles (id),
  status text not null default 'booked' check (status in ('booked', 'cancelled', 'arrived')),
  idempotency_key text not null,
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  arrived_at timestamptz,
  marked_by uuid references app.profiles (id),
  unique (profile_id, idempotency_key)
);
comment on table app.appointments is 'Bookings: at most one active booking per person and item.';
create unique index appointments_one_active_idx on app.appointments (profile_id, item_id) where status = 'booked';
create index appointments_slot_idx on app.appointments (slot_id);
create index appointments_item_idx on app.appointments (item_id);
create index appointments_marked_by_idx on app.appointments (marked_by);

create table app.proxy_requests (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  item_id uuid not null references app.service_items (id),
  resident_id uuid not null references app.profiles (id),
  application_id uuid references app.applications (id),
  note text not null default '' check (char_length(note) <= 300),
  status text not null default 'requested' check (status in ('requested', 'assigned', 'consented', 'closed')),
  helper_id uuid references app.profiles (id),
  assigned_by uuid references app.profiles (id),
  consented_at timestamptz,
  created_at timestamptz not null default now(),
  check (status = 'requested' or helper_id is not null),
  check ((status = 'consented') = (consented_at is not null) or status = 'closed')
);
comment on table app.proxy_requests is '帮办代办: a resident asks for help; a clerk assigns a helper; the resident consents; the helper acts on that case only.';
create index proxy_requests_community_idx on app.proxy_requests (community_id, status);
create index proxy_requests_resident_idx on app.proxy_requests (resident_id);
create index proxy_requests_helper_idx on app.proxy_requests (helper_id);
create index proxy_requests_application_idx on app.proxy_requests (application_id);
create index proxy_requests_item_idx on app.proxy_requests (item_id);
create index proxy_requests_assigned_by_idx on app.proxy_requests (assigned_by);

create table app.notifications (
  id bigint generated always as identity primary key,
  profile_id uuid not null references app.profiles (id),
  title text not null,
  body text not null default '',
  link text,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
comment on table app.notifications is 'In-app messages to one person (e.g. each state change of their case).';
create index notifications_profile_idx on app.notifications (profile_id, created_at desc);

-- Consenting to a helper acting for you is a consent of its own.
alter table app.consents drop constraint consents_purpose_check;
alter table app.consents add constraint consents_purpose_check
  check (purpose in ('privacy_policy', 'phone_number', 'public_name', 'proxy_handling'));

-- Case progress can also reach the applicant as a WeChat subscribe message.
alter table app.message_subscriptions drop constraint message_subscriptions_topic_check;
alter table app.message_subscriptions add constraint message_subscriptions_topic_check check (topic in ('notices', 'whistle', 'hall'));

-- ---------------------------------------------------------------- RLS

alter table app.service_items enable row level security;
alter table app.holidays enable row level security;
alter table app.applications enable row level security;
alter table app.application_events enable row level security;
alter table app.rectifications enable row level security;
alter table app.appointment_slots enable row level security;
alter table app.appointments enable row level security;
alter table app.proxy_requests enable row level security;
alter table app.notifications enable row level security;

grant select on app.service_items, app.holidays, app.applications, app.application_events, app.rectifications,
  app.appointment_slots, app.appointments, app.proxy_requests, app.notifications to authenticated;
grant all on app.service_items, app.holidays, app.applications, app.application_events, app.rectifications,
  app.appointment_slots, app.appointments, app.proxy_requests, app.notifications to service_role;

-- May the caller see this case? Applicant, consented helper, and the community's staff.
create function app.can_see_application(p_application uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.applications a where a.id = p_application and (
    a.applicant_id = (select auth.uid())
    or app.has_role(a.community_id, '{clerk,committee,supervisor,admin}')
    or exists (select 1 from app.proxy_requests p where p.application_id = a.id and p.helper_id = (select auth.uid())
                  and p.status = 'consented')));
$$;

create policy "Members read their community's catalog" on app.service_items
  for select to authenticated using (app.has_role(community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}'));
create policy "Members read their community's holidays" on app.holidays
  for select to authenticated using (app.has_role(community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}'));
create policy "Cases are read by applicant, consented helper and staff" on app.applications
  for select to authenticated using (app.can_see_application(id));
create policy "Case events go with their case" on app.application_events
  for select to authenticated using (app.can_see_application(application_id));
create policy "Staff and the applicant read follow-ups" on app.rectifications
  for select to authenticated using (app.can_see_application(application_id));
create policy "Members read slots" on app.appointment_slots
  for select to authenticated using (app.has_role(community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}'));
create policy "People read their bookings; clerks read all" on app.appointments
  for select to authenticated using (profile_id = (select auth.uid()) or exists (
    select 1 from app.appointment_slots s where s.id = appointments.slot_id and app.has_role(s.community_id, '{clerk,committee,admin}')));
create policy "Residents, helpers and clerks read proxy requests" on app.proxy_requests
  for select to authenticated using (resident_id = (select auth.uid()) or helper_id = (select auth.uid())
    or app.has_role(community_id, '{clerk,committee,admin}'));
create policy "People read their own notifications" on app.notifications
  for select to authenticated using (profile_id = (select auth.uid()));

-- ---------------------------------------------------------------- helpers

create function app.is_working_day(p_community uuid, p_day date) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select h.kind = 'workday' from app.holidays h where h.community_id = p_community and h.day = p_day),
                  extract(isodow from p_day) < 6);
$$;

-- The date n working days after p_from (p_from itself not counted).
create function app.add_working_days(p_community uuid, p_from date, p_days integer) returns date
language plpgsql stable security definer set search_path = '' as $$
declare
  d date := p_from;
  n integer := 0;
begin
  while n < p_days loop
    d := d + 1;
    if app.is_working_day(p_community, d) then
      n := n + 1;
    end if;
  end loop;
  return d;
end
$$;

create function app.today() returns date
language sql stable set search_path = '' as $$
  select (now() at time zone 'Asia/Shanghai')::date;
$$;

-- Checks form data against the item's form definition; raises hall.field_invalid with the field's key.
create function app.validate_form(p_form jsonb, p_data jsonb) returns void
language plpgsql immutable set search_path = '' as $$
declare
  f jsonb;
  v text;
  k text;
begin
  for k in select jsonb_object_keys(p_data) loop
    if not exists (select 1 from jsonb_array_elements(p_form) x where x ->> 'key' = k) then
      raise exception using errcode = 'P0001', message = 'hall.field_invalid', detail = 'field:' || k;
    end if;
  end loop;
  for f in select * from jsonb_array_elements(p_form) loop
    v := btrim(p_data ->> (f ->> 'key'));
    if v is null or v = '' then
      if coalesce((f ->> 'required')::boolean, false) then
        raise exception using errcode = 'P0001', message = 'hall.field_required', detail = 'field:' || (f ->> 'key');
      end if;
      continue;
    end if;
    if char_length(v) > 500
       or (f ->> 'type' = 'number' and v !~ '^-?[0-9]+(\.[0-9]+)?$')
       or (f ->> 'type' = 'date' and v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
       or (f ->> 'type' = 'phone' and v !~ '^1[3-9][0-9]{9}$')
       or (f ->> 'type' = 'idcard' and v !~ '^[0-9]{17}[0-9Xx]$')
       or (f ->> 'type' = 'select' and not (f -> 'options') ? v) then
      raise exception using errcode = 'P0001', message = 'hall.field_invalid', detail = 'field:' || (f ->> 'key');
    end if;
  end loop;
end
$$;

create function app.notify(p_profile uuid, p_title text, p_body text, p_link text) returns void
language sql volatile security definer set search_path = '' as $$
  insert into app.notifications (profile_id, title, body, link) values (p_profile, p_title, p_body, p_link);
$$;

create function app.status_label(p app.application_status) returns text
language sql immutable set search_path = '' as $$
  select case p when 'submitted' then '已提交' when 'accepted' then '已受理' when 'processing' then '办理中'
                when 'completed' then '已办结' when 'returned' then '退回补正' when 'rejected' then '不予受理' end;
$$;

-- Records a step and tells the applicant.
create function app.record_step(a app.applications, p_from app.application_status, p_note text, p_on_behalf uuid)
returns void language plpgsql volatile security definer set search_path = '' as $$
declare v_item text;
begin
  insert into app.application_events (application_id, actor_id, on_behalf_of, from_status, to_status, note)
  values (a.id, (select auth.uid()), p_on_behalf, p_from, a.status, coalesce(p_note, ''));
  select name into v_item from app.service_items where id = a.item_id;
  if a.applicant_id <> (select auth.uid()) then
    perform app.notify(a.applicant_id, v_item || '：' || app.status_label(a.status), coalesce(p_note, ''),
                       'packages/hall/case/index?id=' || a.id);
    -- And a WeChat subscribe message, when the applicant accepted one (each acceptance allows one).
    with spent as (
      update app.message_subscriptions ms set credits = ms.credits - 1, updated_at = now()
       where ms.profile_id = a.applicant_id and ms.community_id = a.community_id and ms.topic = 'hall' and ms.credits > 0
      returning ms.profile_id)
    insert into app.outbox (kind, profile_id, dedupe_key, payload)
    select 'wechat_subscribe', spent.profile_id, 'case:' || a.id || ':' || a.status || ':' || (select count(*) from app.application_events e where e.application_id = a.id),
           jsonb_build_object('template', 'case', 'page', 'packages/hall/case/index?id=' || a.id,
                              'title', v_item || ' ' || app.status_label(a.status),
                              'community', (select c.name from app.communities c where c.id = a.community_id),
                              'category', 'case', 'publishedAt', now())
      from spent on conflict (dedupe_key) do nothing;
  end if;
  perform app.audit(a.community_id, 'application.' || a.status, 'application', a.id::text,
                    jsonb_build_object('from', p_from, 'note', p_note), coalesce(p_on_behalf, a.applicant_id));
end
$$;

create function app.application_json(a app.applications) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', a.id, 'status', a.status, 'statusLabel', app.status_label(a.status), 'itemId', a.item_id,
    'itemName', i.name, 'department', i.department, 'formData', a.form_data, 'form', i.form, 'attachments', a.attachments,
    'dueOn', a.due_on, 'overdue', a.due_on < app.today() and a.status not in ('completed', 'rejected'),
    'createdAt', a.created_at, 'updatedAt', a.updated_at,
    'applicant', case when a.applicant_id = (select auth.uid()) then (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = a.applicant_id)
                      else app.masked_name_of(a.applicant_id) end,
    'mine', a.applicant_id = (select auth.uid()),
    'rating', a.rating, 'ratingComment', a.rating_comment, 'ratedAt', a.rated_at,
    'canProcess', app.has_role(a.community_id, '{clerk}'),
    'helper', (select jsonb_build_object('requestId', p.id, 'name', app.masked_name_of(p.helper_id), 'status', p.status,
                                          'isMe', p.helper_id = (select auth.uid()))
                 from app.proxy_requests p where p.application_id = a.id and p.status in ('assigned', 'consented') limit 1),
    'rectification', (select jsonb_build_object('id', r.id, 'status', r.status, 'dueOn', r.due_on, 'closedNote', r.closed_note)
                        from app.rectifications r where r.application_id = a.id),
    'timeline', (select coalesce(jsonb_agg(jsonb_build_object(
                   'at', e.at, 'from', e.from_status, 'to', e.to_status, 'toLabel', app.status_label(e.to_status), 'note', e.note,
                   'actor', app.masked_name_of(e.actor_id), 'onBehalfOf', app.masked_name_of(e.on_behalf_of),
                   'byApplicant', e.actor_id = a.applicant_id) order by e.at, e.id), '[]'::jsonb)
                   from app.application_events e where e.application_id = a.id))
    from app.service_items i where i.id = a.item_id;
$$;

-- ---------------------------------------------------------------- catalog

create function public.search_service_items(p_community_id uuid, p_q text default null, p_theme text default null) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', i.id, 'name', i.name, 'department', i.department, 'theme', i.theme, 'timeLimitDays', i.time_limit_days,
           'fee', i.fee, 'online', i.online, 'appointment', i.appointment, 'proxyAllowed', i.proxy_allowed)
         order by (i.name ilike '%' || coalesce(p_q, '') || '%') desc, i.theme, i.name), '[]'::jsonb)
    from app.service_items i
   where i.community_id = p_community_id
     and (p_theme is null or i.theme = p_theme)
     and (p_q is null or btrim(p_q) = '' or
          (i.name || ' ' || i.department || ' ' || i.theme || ' ' || i.eligibility || ' ' || i.materials::text)
            ilike '%' || replace(replace(btrim(p_q), '%', ''), '_', '') || '%');
$$;

create function public.get_service_item(p_item_id uuid) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare i app.service_items;
begin
  select * into i from app.service_items where id = p_item_id;
  if i.id is null then
    perform app.fail('hall.item_not_found');
  end if;
  return jsonb_build_object('id', i.id, 'name', i.name, 'department', i.department, 'theme', i.theme, 'eligibility', i.eligibility,
    'materials', i.materials, 'steps', i.steps, 'timeLimitDays', i.time_limit_days, 'fee', i.fee,
    'offlineAddress', i.offline_address, 'offlineHours', i.offline_hours, 'online', i.online, 'appointment', i.appointment,
    'proxyAllowed', i.proxy_allowed, 'form', i.form, 'communityId', i.community_id);
end
$$;

create function public.set_holiday(p_community_id uuid, p_day date, p_kind text, p_name text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if p_kind is null then
    delete from app.holidays where community_id = p_community_id and day = p_day;
  else
    insert into app.holidays (community_id, day, kind, name) values (p_community_id, p_day, p_kind, coalesce(p_name, ''))
    on conflict (community_id, day) do update set kind = excluded.kind, name = excluded.name;
  end if;
  perform app.audit(p_community_id, 'holiday.set', 'holiday', p_day::text, jsonb_build_object('kind', p_kind, 'name', p_name));
  return jsonb_build_object('day', p_day, 'kind', p_kind);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- ---------------------------------------------------------------- applications

-- Submit a case (as the applicant, or as their consented helper through p_proxy_request_id).
create function public.submit_application(p_item_id uuid, p_form_data jsonb, p_attachments jsonb, p_idempotency_key text,
                                          p_proxy_request_id uuid default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  i app.service_items;
  a app.applications;
  p app.proxy_requests;
  v_applicant uuid := v_uid;
begin
  select * into a from app.applications where created_by = v_uid and idempotency_key = p_idempotency_key;
  if a.id is not null then
    return app.application_json(a);
  end if;
  select * into i from app.service_items where id = p_item_id;
  if i.id is null or not app.has_role(i.community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}') then
    perform app.fail('hall.item_not_found');
  end if;
  if p_proxy_request_id is not null then
    select * into p from app.proxy_requests where id = p_proxy_request_id for update;
    if p.id is null or p.helper_id is distinct from v_uid or p.item_id <> i.id or p.application_id is not null then
      perform app.fail('hall.not_your_case');
    end if;
    if p.status <> 'consented' then
      perform app.fail('hall.consent_required');
    end if;
    v_applicant := p.resident_id;
  elsif not app.has_role(i.community_id, '{resident}') then
    perform app.fail('volunteer.resident_required');
  end if;
  if not i.online then
    perform app.fail('hall.offline_only');
  end if;
  perform app.validate_form(i.form, coalesce(p_form_data, '{}'::jsonb));
  insert into app.applications (community_id, item_id, applicant_id, form_data, attachments, due_on, idempotency_key, created_by)
  values (i.community_id, i.id, v_applicant, coalesce(p_form_data, '{}'::jsonb), coalesce(p_attachments, '[]'::jsonb),
          app.add_working_days(i.community_id, app.today(), i.time_limit_days), p_idempotency_key, v_uid)
  returning * into a;
  if p.id is not null then
    update app.proxy_requests set application_id = a.id where id = p.id;
  end if;
  perform app.record_step(a, null, case when p.id is not null then '帮办人代为提交' else '' end,
                          case when p.id is not null then v_applicant end);
  return app.application_json(a);
exception
  when unique_violation then
    select * into a from app.applications where created_by = v_uid and idempotency_key = p_idempotency_key;
    if a.id is not null then
      return app.application_json(a);
    end if;
    raise;
end
$$;

create function public.get_application(p_application_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare a app.applications;
begin
  perform app.require_uid();
  select * into a from app.applications where id = p_application_id;
  if a.id is null or not app.can_see_application(a.id) then
    perform app.fail('hall.application_not_found');
  end if;
  return app.application_json(a);
end
$$;

-- Clerk steps along the allowed edges.
create function public.advance_application(p_application_id uuid, p_to text, p_note text default '') returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a app.applications;
  v_from app.application_status;
  v_to app.application_status;
begin
  perform app.require_uid();
  select * into a from app.applications where id = p_application_id for update;
  if a.id is null or not app.can_see_application(a.id) then
    perform app.fail('hall.application_not_found');
  end if;
  if not app.has_role(a.community_id, '{clerk}') then
    perform app.fail('core.forbidden');
  end if;
  v_to := p_to::app.application_status;
  v_from := a.status;
  if not ((v_from = 'submitted' and v_to in ('accepted', 'returned', 'rejected'))
       or (v_from = 'accepted' and v_to in ('processing', 'returned', 'rejected'))
       or (v_from = 'processing' and v_to in ('completed', 'returned'))) then
    perform app.fail('hall.invalid_transition', v_from || '->' || v_to);
  end if;
  if v_to in ('returned', 'rejected') and char_length(btrim(coalesce(p_note, ''))) < 2 then
    perform app.fail('hall.note_required');
  end if;
  update app.applications set status = v_to, updated_at = now() where id = a.id returning * into a;
  perform app.record_step(a, v_from, btrim(coalesce(p_note, '')), null);
  return app.application_json(a);
exception
  when invalid_text_representation then
    perform app.fail('hall.invalid_transition', p_to);
end
$$;

-- 退回补正: the applicant (or their consented helper) supplies what was missing; the same case continues.
create function public.resubmit_application(p_application_id uuid, p_form_data jsonb, p_attachments jsonb, p_note text default '')
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a app.applications;
  v_helper boolean;
begin
  perform app.require_uid();
  select * into a from app.applications where id = p_application_id for update;
  if a.id is null or not app.can_see_application(a.id) then
    perform app.fail('hall.application_not_found');
  end if;
  v_helper := exists (select 1 from app.proxy_requests p where p.application_id = a.id and p.helper_id = (select auth.uid()) and p.status = 'consented');
  if a.applicant_id <> (select auth.uid()) and not v_helper then
    perform app.fail('core.forbidden');
  end if;
  if a.status <> 'returned' then
    perform app.fail('hall.invalid_transition', a.status || '->submitted');
  end if;
  perform app.validate_form((select i.form from app.service_items i where i.id = a.item_id), coalesce(p_form_data, '{}'::jsonb));
  update app.applications set status = 'submitted', form_data = coalesce(p_form_data, '{}'::jsonb),
         attachments = coalesce(p_attachments, attachments), updated_at = now()
   where id = a.id returning * into a;
  perform app.record_step(a, 'returned', coalesce(nullif(btrim(p_note), ''), '已补正材料'), case when v_helper then a.applicant_id end);
  return app.application_json(a);
end
$$;

create function public.list_my_applications() returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'itemName', i.name, 'status', a.status, 'statusLabel', app.status_label(a.status),
           'dueOn', a.due_on, 'createdAt', a.created_at, 'updatedAt', a.updated_at, 'rating', a.rating,
           'forMe', a.applicant_id = (select auth.uid())) order by a.updated_at desc), '[]'::jsonb)
    from app.applications a join app.service_items i on i.id = a.item_id
   where a.applicant_id = (select auth.uid())
      or exists (select 1 from app.proxy_requests p where p.application_id = a.id and p.helper_id = (select auth.uid()) and p.status = 'consented');
$$;

-- The clerk's queue: open cases by due date (overdue first), open follow-ups, today's appointments.
create function public.get_hall_workbench(p_community_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{clerk,committee,supervisor,admin}') then
    perform app.fail('core.forbidden');
  end if;
  return jsonb_build_object(
    'cases', (select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'itemName', i.name, 'status', a.status,
                'statusLabel', app.status_label(a.status), 'applicant', app.masked_name_of(a.applicant_id), 'dueOn', a.due_on,
                'overdue', a.due_on < app.today(), 'updatedAt', a.updated_at) order by a.due_on, a.created_at), '[]'::jsonb)
                from app.applications a join app.service_items i on i.id = a.item_id
               where a.community_id = p_community_id and a.status not in ('completed', 'rejected')),
    'rectifications', (select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'applicationId', r.application_id, 'itemName', i.name,
                         'rating', a.rating, 'comment', a.rating_comment, 'dueOn', r.due_on, 'overdue', r.due_on < app.today())
                         order by r.due_on), '[]'::jsonb)
                         from app.rectifications r join app.applications a on a.id = r.application_id join app.service_items i on i.id = a.item_id
                        where r.community_id = p_community_id and r.status = 'open'),
    'appointments', (select coalesce(jsonb_agg(jsonb_build_object('id', ap.id, 'itemName', i.name, 'startsAt', s.starts_at,
                       'name', app.masked_name_of(ap.profile_id), 'status', ap.status) order by s.starts_at), '[]'::jsonb)
                       from app.appointments ap join app.appointment_slots s on s.id = ap.slot_id join app.service_items i on i.id = ap.item_id
                      where s.community_id = p_community_id and ap.status <> 'cancelled'
                        and (s.starts_at at time zone 'Asia/Shanghai')::date = app.today()),
    'proxyRequests', (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'itemName', i.name, 'resident', app.masked_name_of(p.resident_id),
                        'note', p.note, 'status', p.status, 'helper', app.masked_name_of(p.helper_id), 'createdAt', p.created_at)
                        order by p.created_at), '[]'::jsonb)
                        from app.proxy_requests p join app.service_items i on i.id = p.item_id
                       where p.community_id = p_community_id and p.status in ('requested', 'assigned')));
end
$$;

-- ---------------------------------------------------------------- ratings and follow-ups

create function public.rate_application(p_application_id uuid, p_rating integer, p_comment text default '') returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare a app.applications;
begin
  perform app.require_uid();
  select * into a from app.applications where id = p_application_id for update;
  if a.id is null or not app.can_see_application(a.id) then
    perform app.fail('hall.application_not_found');
  end if;
  if a.applicant_id <> (select auth.uid()) then
    perform app.fail('core.forbidden');
  end if;
  if a.status <> 'completed' then
    perform app.fail('hall.not_completed');
  end if;
  if a.rating is not null then
    perform app.fail('hall.already_rated');
  end if;
  if p_rating is null or p_rating not between 1 and 5 then
    perform app.fail('core.invalid_input', 'rating');
  end if;
  update app.applications set rating = p_rating, rating_comment = nullif(btrim(coalesce(p_comment, '')), ''), rated_at = now()
   where id = a.id returning * into a;
  if p_rating <= 2 then
    insert into app.rectifications (application_id, community_id, due_on)
    values (a.id, a.community_id, app.add_working_days(a.community_id, app.today(), 15));
  end if;
  perform app.audit(a.community_id, 'application.rate', 'application', a.id::text, jsonb_build_object('rating', p_rating));
  return app.application_json(a);
end
$$;

create function public.close_rectification(p_rectification_id uuid, p_note text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare r app.rectifications;
begin
  perform app.require_uid();
  select * into r from app.rectifications where id = p_rectification_id for update;
  if r.id is null or not app.has_role(r.community_id, '{clerk}') then
    perform app.fail('core.forbidden');
  end if;
  if r.status <> 'open' then
    perform app.fail('hall.rectification_closed');
  end if;
  if char_length(btrim(coalesce(p_note, ''))) < 2 then
    perform app.fail('hall.note_required');
  end if;
  update app.rectifications set status = 'closed', closed_note = btrim(p_note), closed_by = (select auth.uid()), closed_at = now()
   where id = r.id returning * into r;
  perform app.notify((select a.applicant_id from app.applications a where a.id = r.application_id), '您的差评已整改', btrim(p_note),
                     'packages/hall/case/index?id=' || r.application_id);
  perform app.audit(r.community_id, 'rectification.close', 'rectification', r.id::text, jsonb_build_object('note', p_note));
  return jsonb_build_object('id', r.id, 'status', r.status, 'closedNote', r.closed_note);
end
$$;

-- ---------------------------------------------------------------- appointments

create function public.create_appointment_slots(p_item_id uuid, p_day date, p_times text[], p_minutes integer, p_capacity integer)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  i app.service_items;
  v_n integer;
begin
  perform app.require_uid();
  select * into i from app.service_items where id = p_item_id;
  if i.id is null or not app.has_role(i.community_id, '{clerk,committee}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.appointment_slots (community_id, item_id, starts_at, ends_at, capacity)
  select i.community_id, i.id, (p_day + t::time) at time zone 'Asia/Shanghai',
         (p_day + t::time) at time zone 'Asia/Shanghai' + make_interval(mins => p_minutes), p_capacity
    from unnest(p_times) t
  on conflict (item_id, starts_at) do nothing;
  get diagnostics v_n = row_count;
  return jsonb_build_object('created', v_n);
exception
  when invalid_datetime_format or check_violation or datetime_field_overflow then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.list_appointment_slots(p_item_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'startsAt', s.starts_at, 'endsAt', s.ends_at, 'capacity', s.capacity,
           'booked', s.booked, 'mine', exists (select 1 from app.appointments a where a.slot_id = s.id and a.profile_id = (select auth.uid()) and a.status = 'booked'))
         order by s.starts_at), '[]'::jsonb)
    from app.appointment_slots s where s.item_id = p_item_id and s.starts_at > now();
$$;

create function public.book_appointment(p_slot_id uuid, p_idempotency_key text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  s app.appointment_slots;
  a app.appointments;
begin
  select * into a from app.appointments where profile_id = v_uid and idempotency_key = p_idempotency_key;
  if a.id is not null then
    return jsonb_build_object('id', a.id, 'slotId', a.slot_id, 'status', a.status);
  end if;
  select * into s from app.appointment_slots where id = p_slot_id;
  if s.id is null or not app.has_role(s.community_id, '{resident}') then
    perform app.fail('hall.slot_not_found');
  end if;
  if s.starts_at <= now() then
    perform app.fail('hall.slot_past');
  end if;
  update app.appointment_slots set booked = booked + 1 where id = s.id and booked < capacity returning * into s;
  if s.id is null then
    perform app.fail('hall.slot_full');
  end if;
  insert into app.appointments (slot_id, item_id, profile_id, idempotency_key) values (s.id, s.item_id, v_uid, p_idempotency_key)
  returning * into a;
  perform app.audit(s.community_id, 'appointment.book', 'appointment', a.id::text);
  return jsonb_build_object('id', a.id, 'slotId', a.slot_id, 'status', a.status, 'startsAt', s.starts_at);
exception
  when unique_violation then
    select * into a from app.appointments where profile_id = v_uid and idempotency_key = p_idempotency_key;
    if a.id is not null then
      return jsonb_build_object('id', a.id, 'slotId', a.slot_id, 'status', a.status);
    end if;
    perform app.fail('hall.already_booked');
end
$$;

create function public.cancel_appointment(p_appointment_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a app.appointments;
  s app.appointment_slots;
begin
  perform app.require_uid();
  select * into a from app.appointments where id = p_appointment_id and profile_id = (select auth.uid()) for update;
  if a.id is null then
    perform app.fail('hall.appointment_not_found');
  end if;
  select * into s from app.appointment_slots where id = a.slot_id;
  if a.status <> 'booked' then
    perform app.fail('hall.appointment_closed');
  end if;
  if now() > s.starts_at - interval '2 hours' then
    perform app.fail('hall.cancel_closed');
  end if;
  update app.appointments set status = 'cancelled', cancelled_at = now() where id = a.id;
  update app.appointment_slots set booked = booked - 1 where id = s.id;
  return jsonb_build_object('id', a.id, 'status', 'cancelled');
end
$$;

create function public.mark_arrival(p_appointment_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a app.appointments;
  v_community uuid;
begin
  perform app.require_uid();
  select * into a from app.appointments where id = p_appointment_id for update;
  select community_id into v_community from app.appointment_slots where id = a.slot_id;
  if a.id is null or not app.has_role(v_community, '{clerk}') then
    perform app.fail('core.forbidden');
  end if;
  if a.status <> 'booked' then
    perform app.fail('hall.appointment_closed');
  end if;
  update app.appointments set status = 'arrived', arrived_at = now(), marked_by = (select auth.uid()) where id = a.id;
  perform app.audit(v_community, 'appointment.arrive', 'appointment', a.id::text, '{}'::jsonb, a.profile_id);
  return jsonb_build_object('id', a.id, 'status', 'arrived');
end
$$;

create function public.list_my_appointments() returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'itemName', i.name, 'startsAt', s.starts_at, 'endsAt', s.ends_at,
           'status', a.status, 'address', i.offline_address) order by s.starts_at desc), '[]'::jsonb)
    from app.appointments a join app.appointment_slots s on s.id = a.slot_id join app.service_items i on i.id = a.item_id
   where a.profile_id = (select auth.uid());
$$;

-- ---------------------------------------------------------------- 帮办代办

create function public.request_proxy(p_item_id uuid, p_note text default '') returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  i app.service_items;
  p app.proxy_requests;
begin
  perform app.require_uid();
  select * into i from app.service_items where id = p_item_id;
  if i.id is null or not app.has_role(i.community_id, '{resident}') then
    perform app.fail('hall.item_not_found');
  end if;
  if not i.proxy_allowed then
    perform app.fail('hall.proxy_not_allowed');
  end if;
  insert into app.proxy_requests (community_id, item_id, resident_id, note)
  values (i.community_id, i.id, (select auth.uid()), coalesce(btrim(p_note), '')) returning * into p;
  perform app.audit(i.community_id, 'proxy.request', 'proxy_request', p.id::text);
  return jsonb_build_object('id', p.id, 'status', p.status);
end
$$;

create function public.assign_proxy(p_request_id uuid, p_helper_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare p app.proxy_requests;
begin
  perform app.require_uid();
  select * into p from app.proxy_requests where id = p_request_id for update;
  if p.id is null or not app.has_role(p.community_id, '{clerk}') then
    perform app.fail('core.forbidden');
  end if;
  if p.status not in ('requested', 'assigned') then
    perform app.fail('hall.proxy_closed');
  end if;
  if not (app.has_role_of(p_helper_id, p.community_id, '{grid_worker,clerk}')
          or exists (select 1 from app.volunteer_profiles v where v.profile_id = p_helper_id and v.community_id = p.community_id)) then
    perform app.fail('hall.helper_not_eligible');
  end if;
  update app.proxy_requests set helper_id = p_helper_id, status = 'assigned', assigned_by = (select auth.uid()), consented_at = null
   where id = p.id returning * into p;
  perform app.notify(p.resident_id, '帮办人已安排', '请在“我的办事”里确认同意 ' || app.masked_name_of(p_helper_id) || ' 为您代办', 'packages/hall/mine/index');
  perform app.audit(p.community_id, 'proxy.assign', 'proxy_request', p.id::text, jsonb_build_object('helper', p_helper_id), p.resident_id);
  return jsonb_build_object('id', p.id, 'status', p.status);
end
$$;

-- The resident's consent: only now may the helper act, and only on this request's case.
create function public.consent_proxy(p_request_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare p app.proxy_requests;
begin
  perform app.require_uid();
  update app.proxy_requests set status = 'consented', consented_at = now()
   where id = p_request_id and resident_id = (select auth.uid()) and status = 'assigned'
  returning * into p;
  if p.id is null then
    perform app.fail('hall.proxy_not_found');
  end if;
  insert into app.consents (profile_id, purpose, version, granted) values (p.resident_id, 'proxy_handling', p.id::text, true);
  perform app.audit(p.community_id, 'proxy.consent', 'proxy_request', p.id::text);
  return jsonb_build_object('id', p.id, 'status', p.status);
end
$$;

create function public.list_my_proxy_requests() returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'itemId', p.item_id, 'itemName', i.name, 'status', p.status, 'note', p.note,
           'helper', app.masked_name_of(p.helper_id), 'resident', app.masked_name_of(p.resident_id),
           'iAmHelper', p.helper_id = (select auth.uid()), 'applicationId', p.application_id, 'createdAt', p.created_at)
         order by p.created_at desc), '[]'::jsonb)
    from app.proxy_requests p join app.service_items i on i.id = p.item_id
   where p.resident_id = (select auth.uid()) or p.helper_id = (select auth.uid());
$$;

-- Who a clerk can assign as a helper: grid workers and registered volunteers of the community.
create function public.list_helpers(p_community_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{clerk,committee}') then
    perform app.fail('core.forbidden');
  end if;
  return (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'name', x.name, 'kind', x.kind) order by x.kind desc, x.name), '[]'::jsonb)
            from (select distinct p.id, coalesce(p.real_name, p.display_name) as name,
                         case when m.role = 'grid_worker' then '网格员' else '志愿者' end as kind
                    from app.profiles p
                    left join app.memberships m on m.profile_id = p.id and m.community_id = p_community_id and m.role = 'grid_worker'
                   where m.profile_id is not null
                      or exists (select 1 from app.volunteer_profiles v where v.profile_id = p.id and v.community_id = p_community_id)) x);
end
$$;

-- After the resident accepted WeChat's subscribe prompt on a case page: one progress message may be sent.
create function public.subscribe_hall(p_community_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v_credits integer;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{resident}') then
    perform app.fail('volunteer.resident_required');
  end if;
  insert into app.message_subscriptions as s (profile_id, community_id, topic, credits)
  values ((select auth.uid()), p_community_id, 'hall', 1)
  on conflict (profile_id, community_id, topic) do update set credits = least(s.credits + 1, 1000), updated_at = now()
  returning credits into v_credits;
  return jsonb_build_object('topic', 'hall', 'credits', v_credits);
end
$$;

create function public.list_notifications() returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', n.id, 'title', n.title, 'body', n.body, 'link', n.link, 'createdAt', n.created_at,
           'read', n.read_at is not null) order by n.id desc), '[]'::jsonb)
    from (select * from app.notifications x where x.profile_id = (select auth.uid()) order by x.id desc limit 50) n;
$$;

-- ---------------------------------------------------------------- grants

revoke execute on all functions in schema public from public, anon;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to authenticated, service_role;
revoke execute on function app.record_step(app.applications, app.application_status, text, uuid), app.notify(uuid, text, text, text)
  from authenticated;
grant execute on function public.search_service_items(uuid, text, text), public.get_service_item(uuid), public.set_holiday(uuid, date, text, text),
  public.submit_application(uuid, jsonb, jsonb, text, uuid), public.get_application(uuid), public.advance_application(uuid, text, text),
  public.resubmit_application(uuid, jsonb, jsonb, text), public.list_my_applications(), public.get_hall_workbench(uuid),
  public.rate_application(uuid, integer, text), public.close_rectification(uuid, text),
  public.create_appointment_slots(uuid, date, text[], integer, integer), public.list_appointment_slots(uuid),
  public.book_appointment(uuid, text), public.cancel_appointment(uuid), public.mark_arrival(uuid), public.list_my_appointments(),
  public.request_proxy(uuid, text), public.assign_proxy(uuid, uuid), public.list_helpers(uuid), public.consent_proxy(uuid), public.list_my_proxy_requests(),
  public.list_notifications(), public.subscribe_hall(uuid)
  to authenticated;
