-- Consultation: topics pass the content check before neighbours see them; lists are pages.
--
--   * a topic's title and description are resident-written text shown to the whole community: like
--     comments and questions, a new topic is 'pending' until the server's content check settles it; its
--     author and the community's staff see it at once, everyone else only once it passed; a rejected topic
--     is seen by its author only;
--   * topics are listed with the ones awaiting the committee's answer first, then newest first — two index
--     ranges merged by one keyset; publications, polls and rosters are pages.

alter table app.topics add column check_status text not null default 'passed' check (check_status in ('pending', 'passed', 'rejected'));
alter table app.topics add column check_provider text;
alter table app.topics alter column check_status set default 'pending';
comment on column app.topics.check_status is 'Content check of the title and description: only passed topics are shown to neighbours.';

create index topics_list_idx on app.topics (community_id, created_at, id);
create index topics_awaiting_idx on app.topics (community_id, created_at, id) where threshold_reached_at is not null and status = 'collecting';
create index affairs_publications_list_idx on app.affairs_publications (community_id, published_at, id);
create index polls_list_idx on app.polls (community_id, closes_at, id);
create index member_tags_roster_list_idx on app.member_tags (community_id, tag, profile_id);

-- Who may see a topic: staff of the community and its author always; other members once it passed the check.
create function app.can_see_topic(t app.topics) returns boolean
language sql stable security definer set search_path = '' as $$
  select t.raised_by = (select auth.uid())
      or app.is_staff(t.community_id)
      or (t.check_status = 'passed' and app.is_member(t.community_id));
$$;

create or replace function public.raise_topic(p_community_id uuid, p_title text, p_description text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare t app.topics;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{resident,committee}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.topics (community_id, title, description, raised_by, check_status)
  values (p_community_id, btrim(p_title), btrim(p_description), (select auth.uid()), 'pending')
  returning * into t;
  insert into app.topic_cosigns (topic_id, profile_id) values (t.id, (select auth.uid()));
  perform app.audit(p_community_id, 'topic.raise', 'topic', t.id::text);
  return app.topic_json(t) || jsonb_build_object('checkStatus', t.check_status);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- The content check's verdict on a new topic (service role: the API, after asking the checker).
create function public.settle_topic_check(p_topic_id uuid, p_passed boolean, p_provider text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare t app.topics;
begin
  update app.topics set check_status = case when p_passed then 'passed' else 'rejected' end, check_provider = p_provider
   where id = p_topic_id and check_status = 'pending' returning * into t;
  if t.id is null then
    perform app.fail('affairs.topic_not_found');
  end if;
  return jsonb_build_object('id', t.id, 'checkStatus', t.check_status);
end
$$;

create or replace function public.get_topic(p_topic_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare t app.topics;
begin
  perform app.require_uid();
  select * into t from app.topics where id = p_topic_id;
  if t.id is null or not app.can_see_topic(t) then
    perform app.fail('affairs.topic_not_found');
  end if;
  return app.topic_json(t) || jsonb_build_object('checkStatus', t.check_status);
end
$$;

-- As in 20261130000300_tenant_checks.sql, and a topic not (yet) shown to neighbours cannot be co-signed.
create or replace function public.cosign_topic(p_topic_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  v_count integer;
  v_new boolean;
begin
  perform app.require_uid();
  select * into t from app.topics where id = p_topic_id for update;
  if t.id is null or not app.is_member(t.community_id) or not app.can_see_topic(t) then
    perform app.fail('affairs.topic_not_found');
  end if;
  if not app.has_role(t.community_id, '{resident}') then
    perform app.fail('affairs.resident_required');
  end if;
  if t.status <> 'collecting' or t.check_status <> 'passed' then
    perform app.fail('affairs.cosign_closed');
  end if;
  insert into app.topic_cosigns (topic_id, profile_id) values (t.id, (select auth.uid())) on conflict do nothing
  returning true into v_new;
  select count(*) into v_count from app.topic_cosigns where topic_id = t.id;
  if v_count >= (app.affairs_settings_of(t.community_id)).cosign_threshold and t.threshold_reached_at is null then
    update app.topics set threshold_reached_at = now() where id = t.id returning * into t;
  end if;
  -- A signature counts towards the threshold that obliges the committee to answer: record it (once).
  if v_new then
    perform app.audit(t.community_id, 'topic.cosign', 'topic', t.id::text, jsonb_build_object('cosigns', v_count));
  end if;
  return app.topic_json(t) || jsonb_build_object('checkStatus', t.check_status);
end
$$;

drop function public.list_topics(uuid);

-- Topics awaiting the committee's answer first (they reached the co-sign threshold), then newest first.
create function public.list_topics(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 3), array['0', 'infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_rank integer := c[1]::integer;
  -- Where each of the two ranges resumes: the cursor's own range from the cursor, a later range from its top.
  v_at0 timestamptz := case when v_rank = 0 then c[2]::timestamptz else '-infinity' end;
  v_id0 uuid := case when v_rank = 0 then c[3]::uuid else '00000000-0000-0000-0000-000000000000' end;
  v_at1 timestamptz := case when v_rank = 1 then c[2]::timestamptz else 'infinity' end;
  v_id1 uuid := case when v_rank = 1 then c[3]::uuid else 'ffffffff-ffff-ffff-ffff-ffffffffffff' end;
  v_staff boolean := app.is_staff(p_community_id);
  v_threshold integer := (app.affairs_settings_of(p_community_id)).cosign_threshold;
  v_rows jsonb;
begin
  if not app.is_member(p_community_id) then
    return app.page(null, v_limit);
  end if;
  with page as (
    (select t.*, 0 as rank from app.topics t
      where t.community_id = p_community_id and t.threshold_reached_at is not null and t.status = 'collecting'
        and (t.created_at, t.id) < (v_at0, v_id0)
        and (v_staff or t.check_status = 'passed' or t.raised_by = v_uid)
      order by t.created_at desc, t.id desc limit v_limit + 1)
    union all
    (select t.*, 1 as rank from app.topics t
      where t.community_id = p_community_id and not (t.threshold_reached_at is not null and t.status = 'collecting')
        and (t.created_at, t.id) < (v_at1, v_id1)
        and (v_staff or t.check_status = 'passed' or t.raised_by = v_uid)
      order by t.created_at desc, t.id desc limit v_limit + 1)
    order by rank, created_at desc, id desc limit v_limit + 1)
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', t.id, 'title', t.title, 'status', t.status, 'createdAt', t.created_at,
           'cosigns', (select count(*) from app.topic_cosigns x where x.topic_id = t.id),
           'threshold', v_threshold, 'awaitingResponse', t.rank = 0, 'checkStatus', t.check_status,
           'cosignedByMe', exists (select 1 from app.topic_cosigns x where x.topic_id = t.id and x.profile_id = v_uid),
           'currentStepName', (select s.name from app.procedure_steps s where s.template_id = t.template_id and s.step_no = t.current_step)),
           'c', app.encode_cursor(array[t.rank::text, t.created_at::text, t.id::text])) order by t.rank, t.created_at desc, t.id desc)
    into v_rows
    from page t;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_affairs_publications(uuid);

create function public.list_affairs_publications(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.is_member(p_community_id) then
    return app.page(null, v_limit);
  end if;
  select jsonb_agg(jsonb_build_object('i', app.publication_json(p), 'c', app.encode_cursor(array[p.published_at::text, p.id::text]))
                   order by p.published_at desc, p.id desc)
    into v_rows
    from (select * from app.affairs_publications x
           where x.community_id = p_community_id and (x.published_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
           order by x.published_at desc, x.id desc limit v_limit + 1) p;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_polls(uuid);

-- Polls, the latest closing first.
create function public.list_polls(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.is_member(p_community_id) then
    return app.page(null, v_limit);
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', p.id, 'title', p.title, 'closesAt', p.closes_at,
           'open', p.opens_at <= now() and p.closes_at > now(), 'electorate', p.electorate,
           'voted', exists (select 1 from app.poll_voters v where v.poll_id = p.id and v.voter_key = app.voter_key(p))),
           'c', app.encode_cursor(array[p.closes_at::text, p.id::text])) order by p.closes_at desc, p.id desc)
    into v_rows
    from (select * from app.polls x
           where x.community_id = p_community_id and (x.closes_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
           order by x.closes_at desc, x.id desc limit v_limit + 1) p;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_roster(uuid, text);

-- A meeting roster (居民/村民代表, 党员), by name.
create function public.list_roster(p_community_id uuid, p_tag text, p_limit integer default 100, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee,supervisor}') then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', x.id, 'name', x.name), 'c', app.encode_cursor(array[x.name, x.id::text]))
                   order by x.name, x.id)
    into v_rows
    from (select p.id, coalesce(p.real_name, p.display_name) as name
            from app.member_tags mt join app.profiles p on p.id = mt.profile_id
           where mt.community_id = p_community_id and mt.tag = p_tag
             and (coalesce(p.real_name, p.display_name), p.id) > (c[1], c[2]::uuid)
           order by 2, 1 limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

grant execute on function app.can_see_topic(app.topics) to authenticated;
grant execute on function public.settle_topic_check(uuid, boolean, text) to service_role;
grant execute on function public.list_topics(uuid, integer, text), public.list_affairs_publications(uuid, integer, text),
  public.list_polls(uuid, integer, text), public.list_roster(uuid, text, integer, text) to authenticated;
