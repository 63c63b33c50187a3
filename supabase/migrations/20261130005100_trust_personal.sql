-- Trust (2/2): each resident's own data in their hands (个人信息保护法).
--
-- Rules enforced here:
--   * my data: a signed-in person can take out everything held about them as one JSON document
--     (public.get_my_data): profile, memberships, verification requests, consents, cases with their events,
--     bookings, help requests, volunteering, the points ledger, redemptions, 随手拍 reports, topics, co-signatures,
--     comments, questions, objections, files, messages and who looked at their data. Never other people's data, and
--     never how they voted (ballots are stored unlinkably; only that they took part is theirs);
--   * deleting an account: the person first sees their open obligations (public.get_my_obligations) and
--     confirms with their count, so nothing is settled they did not see. On confirmation, in one
--     transaction: open obligations are settled (unfinished cases withdrawn, unclaimed redemptions
--     cancelled and refunded, future sign-ups and bookings cancelled where still possible, help requests
--     closed, pending verifications withdrawn); every consent still granted is withdrawn; personal fields
--     are erased (name, phone, WeChat ids, verification details, case form data, ratings' comments, their own
--     questions, comments, objection reasons and topics nobody has taken up); their own uploads that belong to nothing
--     public are removed; memberships, rosters, volunteer registration, read receipts, subscriptions,
--     queued messages and in-app messages are deleted; the profile becomes 已注销用户 and its session
--     version rises, so every token stops at once. Records others rely on stay, pointing at the
--     pseudonymous profile id: cases handled, points ledger entries, redemptions, sign-ups and hours,
--     published decisions, meeting attendance, co-signatures, 随手拍 reports (the problem still needs fixing
--     and the grid worker's figures count it), the audit log. Nobody can undo it: a deleted
--     profile refuses any change that would give it a name, phone, WeChat id or a membership again;
--   * who looked at me: staff reading another person's case (with its form: ID numbers, phone numbers) or
--     their verification request (name and address) is recorded in the append-only audit log as an
--     'access.*' entry naming the person read (on_behalf_of), the reader and their role; the same reader
--     opening the same record again within 10 minutes is recorded once. The person sees these entries;
--     the community's supervisory committee and street admins see the community's;
--   * retention: every kind of record has a documented period (app.retention_periods); the scheduled job
--     (public.apply_retention) enforces the ones that expire.

-- ---------------------------------------------------------------- deleted accounts

alter table app.profiles add column deleted_at timestamptz;
comment on column app.profiles.deleted_at is 'When the person deleted their account: personal fields are erased and can never be set again.';

-- A deleted profile stays deleted: nothing gives it a name, a phone, a WeChat id or a membership again.
create function app.keep_deleted_profile_deleted() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_table_name = 'profiles' then
    if old.deleted_at is not null and (new.deleted_at is distinct from old.deleted_at or new.real_name is not null or new.phone is not null
        or new.wechat_openid is not null or new.wechat_unionid is not null or new.persona is not null
        or new.display_name is distinct from old.display_name) then
      raise exception using errcode = 'P0001', message = 'trust.account_deleted';
    end if;
    return new;
  end if;
  if exists (select 1 from app.profiles p where p.id = new.profile_id and p.deleted_at is not null) then
    raise exception using errcode = 'P0001', message = 'trust.account_deleted';
  end if;
  return new;
end
$$;
create trigger profiles_deleted_stay_deleted before update on app.profiles
  for each row execute function app.keep_deleted_profile_deleted();
create trigger memberships_not_for_deleted before insert on app.memberships
  for each row execute function app.keep_deleted_profile_deleted();
create trigger street_admins_not_for_deleted before insert on app.street_admins
  for each row execute function app.keep_deleted_profile_deleted();

-- As in 20261122000200_notices.sql, and a deleted account reads 已注销用户 everywhere.
create or replace function app.masked_name_of(p_profile uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case when p.deleted_at is not null then '已注销用户' else app.mask_name(coalesce(p.real_name, p.display_name)) end
    from app.profiles p where p.id = p_profile;
$$;

-- As in 20261122000300_volunteer.sql, and a deleted account reads 已注销用户.
create or replace function app.display_name_for_public(p_profile uuid, p_community uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case when p.deleted_at is not null then '已注销用户'
              when coalesce((select v.show_name from app.volunteer_profiles v where v.profile_id = p_profile and v.community_id = p_community), false)
              then coalesce(p.real_name, p.display_name)
              else app.mask_name(coalesce(p.real_name, p.display_name)) end
    from app.profiles p where p.id = p_profile;
$$;

-- ---------------------------------------------------------------- who looked at me (access log)

create index audit_log_access_subject_idx on app.audit_log (on_behalf_of, at desc, id desc) where action like 'access.%';
create index audit_log_access_community_idx on app.audit_log (community_id, at desc, id desc) where action like 'access.%';

-- The role the caller reads in: the first staff role they hold in the community, or a consented helper.
create function app.acting_role(p_community uuid) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce(
    (select r from unnest(array['committee', 'clerk', 'grid_worker', 'supervisor', 'admin']) with ordinality x(r, n)
      where app.has_role(p_community, array[x.r::app.role]) order by x.n limit 1),
    'helper');
$$;

-- Records that the caller read another person's data (once per reader and record within 10 minutes).
create function app.log_access(p_community uuid, p_subject uuid, p_what text, p_entity text, p_entity_id text, p_fields text[])
returns void language plpgsql volatile security definer set search_path = '' as $$
declare v_uid uuid := (select auth.uid());
begin
  if p_subject is null or v_uid is null or p_subject = v_uid then
    return;
  end if;
  if exists (select 1 from app.audit_log l
              where l.on_behalf_of = p_subject and l.action like 'access.%' and l.at > now() - interval '10 minutes'
                and l.actor_id = v_uid and l.action = 'access.' || p_what and l.entity_id = p_entity_id) then
    return;
  end if;
  perform app.audit(p_community, 'access.' || p_what, p_entity, p_entity_id,
                    jsonb_build_object('role', app.acting_role(p_community), 'fields', to_jsonb(coalesce(p_fields, '{}'))), p_subject);
end
$$;
comment on function app.log_access is 'Audit entry access.<what> for a read of another person''s data (on_behalf_of = whose data); deduplicated for 10 minutes.';

-- What a case shows besides its progress: the form's ID number and phone fields, when filled in.
create function app.case_sensitive_fields(a app.applications) returns text[]
language sql stable security definer set search_path = '' as $$
  select array['case'] || coalesce((select array_agg(distinct f ->> 'type' order by f ->> 'type')
                                      from app.service_items i, jsonb_array_elements(i.form) f
                                     where i.id = a.item_id and f ->> 'type' in ('phone', 'idcard')
                                       and coalesce(a.form_data ->> (f ->> 'key'), '') <> ''), '{}');
$$;

-- As in 20261122000500_hall.sql, and a read by anyone but the applicant is logged (volatile: it writes).
create or replace function public.get_application(p_application_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare a app.applications;
begin
  perform app.require_uid();
  select * into a from app.applications where id = p_application_id;
  if a.id is null or not app.can_see_application(a.id) then
    perform app.fail('hall.application_not_found');
  end if;
  if a.applicant_id <> (select auth.uid()) then
    perform app.log_access(a.community_id, a.applicant_id, 'case', 'application', a.id::text, app.case_sensitive_fields(a));
  end if;
  return app.application_json(a);
end
$$;

-- As in 20261130001600_core_lists.sql (same rows, same order), now security definer so that it can log: the
-- rows RLS let through — committee and admins all of the community's, grid workers those of their grids'
-- buildings, everyone their own — are chosen explicitly, and each request of another person shown is logged.
create or replace function public.list_verification_requests(p_community_id uuid, p_status text default 'pending', p_limit integer default 20,
                                                             p_cursor text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
  v_all boolean := app.has_role(p_community_id, '{committee,admin}');
  v_buildings uuid[] := '{}';
  v_ids uuid[];
  v_rows jsonb;
begin
  if p_status is not null and p_status not in ('pending', 'approved', 'refused', 'withdrawn') then
    perform app.fail('core.invalid_input', 'field:status');
  end if;
  if not v_all then
    select coalesce(array_agg(b.id), '{}') into v_buildings
      from app.memberships m join app.buildings b on b.grid_id = m.grid_id
     where m.profile_id = v_uid and m.role = 'grid_worker' and b.community_id = p_community_id;
  end if;
  -- One statement per shape: a status is an index prefix; "all" reads the community's range.
  if v_all and p_status is null then
    select array_agg(x.id order by x.created_at, x.id) into v_ids
      from (select r.id, r.created_at from app.verification_requests r
             where r.community_id = p_community_id and (r.created_at, r.id) > (c[1]::timestamptz, c[2]::uuid)
             order by r.created_at, r.id limit v_limit + 1) x;
  elsif v_all then
    select array_agg(x.id order by x.created_at, x.id) into v_ids
      from (select r.id, r.created_at from app.verification_requests r
             where r.community_id = p_community_id and r.status = p_status::app.verification_status
               and (r.created_at, r.id) > (c[1]::timestamptz, c[2]::uuid)
             order by r.created_at, r.id limit v_limit + 1) x;
  elsif p_status is null then
    select array_agg(x.id order by x.created_at, x.id) into v_ids
      from (select r.id, r.created_at from app.verification_requests r
             where r.community_id = p_community_id and (r.profile_id = v_uid or r.building_id = any (v_buildings))
               and (r.created_at, r.id) > (c[1]::timestamptz, c[2]::uuid)
             order by r.created_at, r.id limit v_limit + 1) x;
  else
    select array_agg(x.id order by x.created_at, x.id) into v_ids
      from (select r.id, r.created_at from app.verification_requests r
             where r.community_id = p_community_id and (r.profile_id = v_uid or r.building_id = any (v_buildings))
               and r.status = p_status::app.verification_status and (r.created_at, r.id) > (c[1]::timestamptz, c[2]::uuid)
             order by r.created_at, r.id limit v_limit + 1) x;
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', r.id, 'realName', r.real_name, 'relation', r.relation, 'phoneMasked', r.phone_masked,
           'address', b.name || ' ' || r.room, 'gridName', g.name, 'note', r.note, 'status', r.status,
           'reason', r.decision_reason, 'createdAt', r.created_at, 'decidedAt', r.decided_at),
           'c', app.encode_cursor(array[r.created_at::text, r.id::text])) order by r.created_at, r.id)
    into v_rows
    from app.verification_requests r
    join app.buildings b on b.id = r.building_id
    join app.grids g on g.id = b.grid_id
   where r.id = any (v_ids);
  -- The requests on this page that are someone else's: name, relation, address and note were read.
  perform app.log_access(r.community_id, r.profile_id, 'verification', 'verification_request', r.id::text, '{realName,address}')
     from app.verification_requests r
    where r.id = any (v_ids[1:v_limit]) and r.profile_id <> v_uid;
  return app.page(v_rows, v_limit);
end
$$;

create function app.access_entry_json(a app.audit_log, p_with_subject boolean) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('id', a.id, 'at', a.at, 'what', substr(a.action, 8), 'fields', coalesce(a.detail -> 'fields', '[]'::jsonb),
                            'role', a.detail ->> 'role', 'actor', app.masked_name_of(a.actor_id), 'entity', a.entity, 'entityId', a.entity_id,
                            'communityName', (select c.name from app.communities c where c.id = a.community_id))
         || case when p_with_subject then jsonb_build_object('subject', app.masked_name_of(a.on_behalf_of)) else '{}'::jsonb end;
$$;

-- Who looked at my data, newest first.
create function public.list_my_access_log(p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', '9223372036854775807']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', app.access_entry_json(a, false), 'c', app.encode_cursor(array[a.at::text, a.id::text]))
                   order by a.at desc, a.id desc)
    into v_rows
    from (select * from app.audit_log l
           where l.on_behalf_of = v_uid and l.action like 'access.%' and (l.at, l.id) < (c[1]::timestamptz, c[2]::bigint)
           order by l.at desc, l.id desc limit v_limit + 1) a;
  return app.page(v_rows, v_limit);
end
$$;

-- The community's reads of personal data: its supervisory committee (监督委员会) and street admins.
create function public.list_access_log(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', '9223372036854775807']);
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{supervisor,admin}') then
    if app.is_member(p_community_id) then
      perform app.fail('core.forbidden');
    end if;
    perform app.fail('core.community_not_found');
  end if;
  select jsonb_agg(jsonb_build_object('i', app.access_entry_json(a, true), 'c', app.encode_cursor(array[a.at::text, a.id::text]))
                   order by a.at desc, a.id desc)
    into v_rows
    from (select * from app.audit_log l
           where l.community_id = p_community_id and l.action like 'access.%' and (l.at, l.id) < (c[1]::timestamptz, c[2]::bigint)
           order by l.at desc, l.id desc limit v_limit + 1) a;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- my data

-- Everything held about the caller, as one document. Each list is capped at 10,000 rows (a person's whole
-- history fits many times over); 'truncated' names any list that reached the cap.
create function public.get_my_data() returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  p app.profiles;
  v jsonb;
  v_cap constant integer := 10000;
  k text;
  v_truncated jsonb := '[]'::jsonb;
begin
  select * into p from app.profiles where id = v_uid;
  v := jsonb_build_object(
    'format', 'cunju-mydata/1',
    'exportedAt', now(),
    'profile', jsonb_build_object('id', p.id, 'displayName', p.display_name, 'realName', p.real_name, 'phone', p.phone,
                                  'wechatOpenid', p.wechat_openid, 'wechatUnionid', p.wechat_unionid, 'createdAt', p.created_at,
                                  'lastLoginAt', p.last_login_at),
    'memberships', (select coalesce(jsonb_agg(jsonb_build_object('community', c.name, 'role', m.role, 'title', m.title,
                      'household', (select b.name || ' ' || h.room from app.households h join app.buildings b on b.id = h.building_id where h.id = m.household_id),
                      'grid', (select g.name from app.grids g where g.id = m.grid_id), 'since', m.created_at) order by m.created_at), '[]'::jsonb)
                      from app.memberships m join app.communities c on c.id = m.community_id where m.profile_id = v_uid),
    'streetAdmin', (select coalesce(jsonb_agg(jsonb_build_object('street', s.name, 'since', sa.created_at)), '[]'::jsonb)
                      from app.street_admins sa join app.streets s on s.id = sa.street_id where sa.profile_id = v_uid),
    'verifications', (select coalesce(jsonb_agg(jsonb_build_object('community', c.name, 'address', b.name || ' ' || r.room,
                        'realName', r.real_name, 'relation', r.relation, 'phone', r.phone, 'note', r.note, 'status', r.status,
                        'reason', r.decision_reason, 'createdAt', r.created_at, 'decidedAt', r.decided_at) order by r.created_at), '[]'::jsonb)
                        from app.verification_requests r join app.communities c on c.id = r.community_id join app.buildings b on b.id = r.building_id
                       where r.profile_id = v_uid),
    'consents', (select coalesce(jsonb_agg(jsonb_build_object('purpose', x.purpose, 'version', x.version, 'granted', x.granted, 'at', x.created_at)
                   order by x.created_at, x.id), '[]'::jsonb)
                   from (select * from app.consents where profile_id = v_uid order by created_at limit v_cap) x),
    'cases', (select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'community', c.name, 'item', i.name, 'status', a.status,
                'statusLabel', app.status_label(a.status), 'formData', a.form_data, 'attachments', a.attachments, 'dueOn', a.due_on,
                'createdAt', a.created_at, 'updatedAt', a.updated_at, 'rating', a.rating, 'ratingComment', a.rating_comment,
                'events', (select coalesce(jsonb_agg(jsonb_build_object('at', e.at, 'from', e.from_status, 'to', e.to_status, 'note', e.note,
                             'byMe', e.actor_id = v_uid, 'by', case when e.actor_id = v_uid then '本人' else app.masked_name_of(e.actor_id) end)
                             order by e.at, e.id), '[]'::jsonb)
                             from app.application_events e where e.application_id = a.id)) order by a.created_at), '[]'::jsonb)
                from (select * from app.applications where applicant_id = v_uid order by created_at limit v_cap) a
                join app.service_items i on i.id = a.item_id join app.communities c on c.id = a.community_id),
    'appointments', (select coalesce(jsonb_agg(jsonb_build_object('item', i.name, 'startsAt', s.starts_at, 'status', x.status,
                       'createdAt', x.created_at, 'cancelledAt', x.cancelled_at, 'arrivedAt', x.arrived_at) order by x.created_at), '[]'::jsonb)
                       from (select * from app.appointments where profile_id = v_uid order by created_at limit v_cap) x
                       join app.appointment_slots s on s.id = x.slot_id join app.service_items i on i.id = x.item_id),
    'helpRequests', (select coalesce(jsonb_agg(jsonb_build_object('item', i.name, 'note', x.note, 'status', x.status,
                       'helper', app.masked_name_of(x.helper_id), 'consentedAt', x.consented_at, 'createdAt', x.created_at) order by x.created_at), '[]'::jsonb)
                       from (select * from app.proxy_requests where resident_id = v_uid order by created_at limit v_cap) x
                       join app.service_items i on i.id = x.item_id),
    'volunteer', (select coalesce(jsonb_agg(jsonb_build_object('community', c.name, 'skills', to_jsonb(x.skills), 'availability', x.availability,
                    'showName', x.show_name, 'since', x.created_at)), '[]'::jsonb)
                    from app.volunteer_profiles x join app.communities c on c.id = x.community_id where x.profile_id = v_uid),
    'teams', (select coalesce(jsonb_agg(jsonb_build_object('team', t.name, 'status', x.status, 'reason', x.reason, 'since', x.created_at)), '[]'::jsonb)
                from app.team_members x join app.teams t on t.id = x.team_id where x.profile_id = v_uid),
    'signups', (select coalesce(jsonb_agg(jsonb_build_object('activity', ac.title, 'place', ac.place, 'startsAt', ac.starts_at, 'status', x.status,
                  'checkedInAt', x.checked_in_at, 'checkedOutAt', x.checked_out_at, 'minutes', x.minutes, 'points', x.points,
                  'createdAt', x.created_at, 'cancelledAt', x.cancelled_at) order by x.created_at), '[]'::jsonb)
                  from (select * from app.activity_signups where profile_id = v_uid order by created_at limit v_cap) x
                  join app.activities ac on ac.id = x.activity_id),
    'whistleResponses', (select coalesce(jsonb_agg(jsonb_build_object('call', w.title, 'etaMinutes', x.eta_minutes, 'at', x.responded_at)
                           order by x.responded_at), '[]'::jsonb)
                           from app.whistle_responses x join app.whistle_calls w on w.id = x.call_id where x.profile_id = v_uid),
    'pointAccounts', (select coalesce(jsonb_agg(jsonb_build_object('community', c.name, 'balance', x.balance)), '[]'::jsonb)
                        from app.point_accounts x join app.communities c on c.id = x.community_id where x.profile_id = v_uid),
    'pointEntries', (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'community', c.name, 'delta', x.delta, 'kind', x.kind,
                       'reason', x.reason, 'month', to_char(x.month, 'YYYY-MM'), 'createdAt', x.created_at) order by x.id), '[]'::jsonb)
                       from (select * from app.point_entries where profile_id = v_uid order by id limit v_cap) x
                       join app.communities c on c.id = x.community_id),
    'redemptions', (select coalesce(jsonb_agg(jsonb_build_object('goods', g.name, 'points', x.points_spent, 'status', x.status,
                      'pickupCode', x.pickup_code, 'createdAt', x.created_at, 'handedOverAt', x.handed_over_at, 'closedAt', x.closed_at)
                      order by x.created_at), '[]'::jsonb)
                      from (select * from app.redemptions where profile_id = v_uid order by created_at limit v_cap) x
                      join app.goods g on g.id = x.goods_id),
    'reports', (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'community', c.name, 'category', x.category,
                  'description', x.description, 'place', nullif(x.place_text, ''), 'anonymous', x.anonymous, 'status', x.status,
                  'createdAt', x.created_at, 'resolvedAt', x.resolved_at, 'rating', x.rating, 'ratingComment', x.rating_comment)
                  order by x.created_at), '[]'::jsonb)
                  from (select * from app.grid_reports where reporter_id = v_uid order by created_at limit v_cap) x
                  join app.communities c on c.id = x.community_id),
    'topics', (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'title', x.title, 'description', x.description, 'status', x.status,
                 'createdAt', x.created_at) order by x.created_at), '[]'::jsonb)
                 from (select * from app.topics where raised_by = v_uid order by created_at limit v_cap) x),
    'cosigns', (select coalesce(jsonb_agg(jsonb_build_object('topic', t.title, 'at', x.created_at) order by x.created_at), '[]'::jsonb)
                  from (select * from app.topic_cosigns where profile_id = v_uid order by created_at limit v_cap) x
                  join app.topics t on t.id = x.topic_id),
    'comments', (select coalesce(jsonb_agg(jsonb_build_object('topic', t.title, 'body', x.body, 'checkStatus', x.check_status,
                   'hiddenReason', x.hidden_reason, 'createdAt', x.created_at) order by x.created_at), '[]'::jsonb)
                   from (select * from app.topic_comments where author_id = v_uid order by created_at limit v_cap) x
                   join app.topics t on t.id = x.topic_id),
    'questions', (select coalesce(jsonb_agg(jsonb_build_object('notice', (select v.title from app.notice_versions v where v.notice_id = x.notice_id
                                                                           order by (v.status = 'published') desc, v.version desc limit 1),
                    'body', x.body, 'checkStatus', x.check_status, 'answer', x.answer, 'answeredAt', x.answered_at,
                    'hiddenReason', x.hidden_reason, 'createdAt', x.created_at) order by x.created_at), '[]'::jsonb)
                    from (select * from app.notice_questions where asker_id = v_uid order by created_at limit v_cap) x),
    'objections', (select coalesce(jsonb_agg(jsonb_build_object('entryId', x.entry_id, 'reason', x.reason, 'status', x.status,
                     'resolution', x.resolution, 'createdAt', x.created_at, 'resolvedAt', x.resolved_at) order by x.created_at), '[]'::jsonb)
                     from (select * from app.point_objections where objector_id = v_uid order by created_at limit v_cap) x),
    'pollsTakenPart', (select coalesce(jsonb_agg(jsonb_build_object('poll', pl.title, 'closesAt', pl.closes_at,
                         'as', case when pl.electorate = 'households' then '本户' else '本人' end) order by pl.closes_at), '[]'::jsonb)
                         from app.poll_voters pv join app.polls pl on pl.id = pv.poll_id
                        where pv.voter_key = v_uid
                           or (pl.electorate = 'households' and pv.voter_key in (select m.household_id from app.memberships m
                                                                                   where m.profile_id = v_uid and m.household_id is not null))),
    'noticesRead', (select coalesce(jsonb_agg(jsonb_build_object('notice', (select v.title from app.notice_versions v where v.notice_id = x.notice_id
                                                                            and v.status = 'published' order by v.version desc limit 1),
                      'firstReadAt', x.first_read_at) order by x.first_read_at), '[]'::jsonb)
                      from (select * from app.notice_reads where profile_id = v_uid order by first_read_at limit v_cap) x),
    'subscriptions', (select coalesce(jsonb_agg(jsonb_build_object('community', c.name, 'topic', x.topic, 'credits', x.credits)), '[]'::jsonb)
                        from app.message_subscriptions x join app.communities c on c.id = x.community_id where x.profile_id = v_uid),
    'notifications', (select coalesce(jsonb_agg(jsonb_build_object('title', x.title, 'body', x.body, 'createdAt', x.created_at, 'readAt', x.read_at)
                        order by x.created_at), '[]'::jsonb)
                        from (select * from app.notifications where profile_id = v_uid order by created_at desc limit v_cap) x),
    'files', (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'name', x.original_name, 'kind', x.kind, 'purpose', x.purpose,
                'contentType', x.content_type, 'size', x.size, 'status', x.status, 'attachedTo', x.entity, 'createdAt', x.created_at)
                order by x.created_at), '[]'::jsonb)
                from (select * from app.files where owner_id = v_uid order by created_at limit v_cap) x),
    'accessLog', (select coalesce(jsonb_agg(app.access_entry_json(a, false) order by a.at desc, a.id desc), '[]'::jsonb)
                    from (select * from app.audit_log l where l.on_behalf_of = v_uid and l.action like 'access.%'
                           order by l.at desc, l.id desc limit v_cap) a),
    'notes', jsonb_build_object(
      'votes', '投票时只记录您（或您家）投过票，不记录投给了谁，所以这里只列出参加过的投票。',
      'others', '这里只有您自己的信息；办件里工作人员的姓名只显示打码后的样子。'));
  for k in select key from jsonb_each(v) where jsonb_typeof(value) = 'array' loop
    if jsonb_array_length(v -> k) >= v_cap then
      v_truncated := v_truncated || to_jsonb(k);
    end if;
  end loop;
  return v || jsonb_build_object('truncated', v_truncated);
end
$$;

-- ---------------------------------------------------------------- deleting an account

-- What is still open for the caller, and what deleting the account does to each.
create function public.get_my_obligations() returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_items jsonb;
begin
  select coalesce(jsonb_agg(x.j order by x.at), '[]'::jsonb) into v_items from (
    select a.created_at as at, jsonb_build_object('kind', 'case', 'id', a.id, 'title', i.name, 'status', app.status_label(a.status),
             'outcome', '撤回这件申请，窗口不再办理') as j
      from app.applications a join app.service_items i on i.id = a.item_id
     where a.applicant_id = v_uid and a.status in ('submitted', 'accepted', 'processing', 'returned')
    union all
    select r.created_at, jsonb_build_object('kind', 'redemption', 'id', r.id, 'title', g.name, 'status', '待领取',
             'outcome', '取消兑换，商品放回货架，积分退回后随账号一起注销')
      from app.redemptions r join app.goods g on g.id = r.goods_id
     where r.profile_id = v_uid and r.status = 'reserved'
    union all
    select ac.starts_at, jsonb_build_object('kind', 'signup', 'id', s.id, 'title', ac.title,
             'status', case when s.status = 'waitlisted' then '候补中' else '已报名' end,
             'outcome', case when now() <= ac.cancel_until then '取消报名，名额让给其他人'
                             else '已过取消截止时间，报名保留，组织者会看到“已注销用户”' end)
      from app.activity_signups s join app.activities ac on ac.id = s.activity_id
     where s.profile_id = v_uid and s.status in ('confirmed', 'waitlisted') and ac.starts_at > now()
    union all
    select sl.starts_at, jsonb_build_object('kind', 'appointment', 'id', ap.id, 'title', i.name, 'status', '已预约',
             'outcome', '取消预约（开始前 2 小时内的预约请打电话告知窗口）')
      from app.appointments ap join app.appointment_slots sl on sl.id = ap.slot_id join app.service_items i on i.id = ap.item_id
     where ap.profile_id = v_uid and ap.status = 'booked' and sl.starts_at > now()
    union all
    select pr.created_at, jsonb_build_object('kind', 'help_request', 'id', pr.id, 'title', i.name, 'status', '帮办中',
             'outcome', '结束这次帮办代办')
      from app.proxy_requests pr join app.service_items i on i.id = pr.item_id
     where pr.resident_id = v_uid and pr.status <> 'closed'
    union all
    select r.created_at, jsonb_build_object('kind', 'verification', 'id', r.id, 'title', c.name, 'status', '认证审核中',
             'outcome', '撤回认证申请')
      from app.verification_requests r join app.communities c on c.id = r.community_id
     where r.profile_id = v_uid and r.status = 'pending') x;
  return jsonb_build_object('count', jsonb_array_length(v_items), 'items', v_items);
end
$$;

-- Deletes the caller's account (see the header). p_obligations: how many open obligations the person was
-- shown; if that changed meanwhile, nothing happens and they are asked to look again.
create function public.delete_my_account(p_obligations integer) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  p app.profiles;
  r record;
  a app.applications;
  v_from app.application_status;
  v_keys jsonb;
begin
  select * into p from app.profiles where id = v_uid for update;
  if p.id is null or p.deleted_at is not null then
    perform app.fail('trust.account_deleted');
  end if;
  if p_obligations is distinct from (public.get_my_obligations() ->> 'count')::integer then
    perform app.fail('trust.obligations_changed');
  end if;

  -- Open obligations.
  for r in select x.id, x.community_id from app.redemptions x where x.profile_id = v_uid and x.status = 'reserved' loop
    perform app.close_redemption(r.id, 'cancelled', '注销账号，取消兑换');
    perform app.audit(r.community_id, 'mall.cancel', 'redemption', r.id::text, '{"reason": "account_deleted"}'::jsonb);
  end loop;
  for r in select s.activity_id from app.activity_signups s join app.activities ac on ac.id = s.activity_id
            where s.profile_id = v_uid and s.status in ('confirmed', 'waitlisted') and ac.starts_at > now() loop
    begin
      perform public.cancel_signup(r.activity_id);
    exception when others then
      null; -- past the cut-off: the sign-up stays, under the pseudonymous profile
    end;
  end loop;
  for r in select ap.id from app.appointments ap join app.appointment_slots sl on sl.id = ap.slot_id
            where ap.profile_id = v_uid and ap.status = 'booked' and sl.starts_at > now() loop
    begin
      perform public.cancel_appointment(r.id);
    exception when others then
      null; -- within the cut-off: the window sees 已注销用户 and a booking nobody will come to
    end;
  end loop;
  for r in select x.id from app.applications x where x.applicant_id = v_uid and x.status in ('submitted', 'accepted', 'processing', 'returned')
            for update loop
    select status into v_from from app.applications where id = r.id;
    update app.applications set status = 'rejected', updated_at = now() where id = r.id returning * into a;
    perform app.record_step(a, v_from, '申请人注销账号，撤回申请', null);
  end loop;
  update app.proxy_requests set status = 'closed' where resident_id = v_uid and status <> 'closed';
  update app.verification_requests set status = 'withdrawn' where profile_id = v_uid and status = 'pending';

  -- Consents still granted are withdrawn (the consent history itself stays: it holds nothing personal).
  insert into app.consents (profile_id, purpose, version, granted)
  select v_uid, x.purpose, x.version, false
    from (select distinct on (c.purpose) c.purpose, c.version, c.granted from app.consents c
           where c.profile_id = v_uid order by c.purpose, c.created_at desc, c.id desc) x
   where x.granted;

  -- Their own uploads that belong to nothing public: unattached, on their own cases, on topics erased below.
  with gone as (
    delete from app.files f
     where (f.owner_id = v_uid and f.entity is null)
        or (f.entity = 'application' and f.entity_id in (select x.id from app.applications x where x.applicant_id = v_uid))
        or (f.entity = 'topic' and f.entity_id in (select t.id from app.topics t where t.raised_by = v_uid and t.status = 'collecting'))
    returning f.storage_key)
  select coalesce(jsonb_agg(storage_key), '[]'::jsonb) into v_keys from gone;

  -- Personal fields and their own words.
  update app.verification_requests set real_name = '已注销', phone = null, note = '' where profile_id = v_uid;
  update app.applications set form_data = '{}'::jsonb, attachments = '[]'::jsonb, rating_comment = null where applicant_id = v_uid;
  update app.proxy_requests set note = '' where resident_id = v_uid;
  update app.grid_reports set rating_comment = null where reporter_id = v_uid;
  update app.notice_questions set body = '（提问人已注销账号，内容已删除）' where asker_id = v_uid;
  update app.topic_comments set body = '（评论人已注销账号，内容已删除）' where author_id = v_uid;
  update app.point_objections set reason = '（异议人已注销账号，理由已删除）' where objector_id = v_uid;
  update app.topics set title = '（已注销用户的议题）', description = '发起人已注销账号，议题内容已按其要求删除。'
   where raised_by = v_uid and status = 'collecting';

  -- What only served the person.
  delete from app.notice_reads where profile_id = v_uid;
  delete from app.message_subscriptions where profile_id = v_uid;
  delete from app.outbox where profile_id = v_uid;
  delete from app.notifications where profile_id = v_uid;
  delete from app.volunteer_profiles where profile_id = v_uid;
  delete from app.team_members where profile_id = v_uid;
  update app.teams set leader_id = null where leader_id = v_uid;
  delete from app.member_tags where profile_id = v_uid;
  delete from app.memberships where profile_id = v_uid;
  delete from app.street_admins where profile_id = v_uid;

  -- The profile: pseudonymous from now on, and every token stops at once.
  update app.profiles
     set wechat_openid = null, wechat_unionid = null, persona = null, display_name = '已注销用户', real_name = null, phone = null,
         last_login_at = null, deleted_at = now(), session_version = session_version + 1
   where id = v_uid;
  perform app.audit(null, 'account.delete', 'profile', v_uid::text, jsonb_build_object('obligations', p_obligations));
  return jsonb_build_object('deleted', true, 'storageKeys', v_keys);
end
$$;

-- ---------------------------------------------------------------- retention

create table app.retention_periods (
  kind text primary key,
  keep interval,
  what text not null,
  why text not null,
  enforced_by text not null
);
comment on table app.retention_periods is
  'How long each kind of record is kept (keep null: kept for good, with the reason) and which job enforces it. Global: the same rules for every community.';

insert into app.retention_periods (kind, keep, what, why, enforced_by) values
  ('rate_limits', interval '1 day', '登录、提交和签到的请求计数', '只用来限制当前时间窗里的请求次数，过了就没有用处', 'retention'),
  ('outbox', interval '30 days', '已发出、发送失败或跳过的微信订阅消息', '留 30 天用来查“为什么没收到提醒”', 'retention'),
  ('notifications', interval '365 days', '站内消息（办件进度等）', '办件本身的进度一直可以在办件里看到，消息只是提醒', 'retention'),
  ('orphan_files', interval '1 day', '上传后一天内没有用在任何记录上的照片和文件', '没有用上的上传不应留下', 'files'),
  ('closed_case_details', interval '3 years', '已办结或不予受理的办件里填写的表单内容（姓名、身份证号、电话等）和附件',
   '办结后 3 年内可能需要复核、投诉或处理争议；之后只保留事项、状态和办理过程（不含个人信息）', 'retention'),
  ('closed_verifications', interval '180 days', '未通过或已撤回的居民认证申请里的姓名、手机号和备注',
   '半年内可以据此重新申请或说明情况；通过的申请已转为居民身份', 'retention'),
  ('audit_log', null, '操作记录和查阅记录（谁在什么时候做了什么、看了谁的信息）', '监督委员会和居民本人核查的依据，只增不改，不删除', 'none'),
  ('public_records', null, '已公开的公告、财务公开、决议、积分公示、投票结果和公开记录链', '公开记录是村(居)务档案，任何人都可以核验，不删除', 'none'),
  ('points_ledger', null, '积分流水', '积分余额由流水计算，更正只能追加冲销，不删除', 'none');

alter table app.retention_periods enable row level security;
grant select on app.retention_periods to authenticated;
create policy "Everyone signed in reads the retention rules" on app.retention_periods for select to authenticated using (true);
grant all on app.retention_periods to service_role;

create function app.retention_of(p_kind text) returns interval
language sql stable security definer set search_path = '' as $$
  select keep from app.retention_periods where kind = p_kind;
$$;

create index outbox_finished_idx on app.outbox (created_at) where status in ('sent', 'failed', 'skipped');
create index notifications_created_idx on app.notifications (created_at);
create index applications_closed_details_idx on app.applications (updated_at)
  where status in ('completed', 'rejected') and form_data <> '{}'::jsonb;
create index verification_closed_details_idx on app.verification_requests (created_at)
  where status in ('refused', 'withdrawn') and (phone is not null or note <> '' or real_name <> '已清除');

-- The retention rules, for the privacy pages (public: nothing personal).
create function public.get_retention_policy() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
           'kind', r.kind, 'days', (extract(epoch from r.keep) / 86400)::integer, 'what', r.what, 'why', r.why) order by r.keep nulls last, r.kind), '[]'::jsonb))
    from app.retention_periods r;
$$;

-- Scheduled (service role): removes or erases what is past its period, at most p_limit rows of each kind per
-- run. Returns the storage keys of removed case attachments for the server to delete.
create function public.apply_retention(p_limit integer default 1000) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 1000), 1), 10000);
  v_rate integer;
  v_outbox integer;
  v_notifications integer;
  v_cases integer;
  v_verifications integer;
  v_keys jsonb;
begin
  delete from app.rate_limits r
   where (r.bucket, r.window_start) in (select x.bucket, x.window_start from app.rate_limits x
                                         where x.window_start < now() - app.retention_of('rate_limits') limit v_limit);
  get diagnostics v_rate = row_count;

  delete from app.outbox o
   where o.id in (select x.id from app.outbox x where x.status in ('sent', 'failed', 'skipped')
                     and x.created_at < now() - app.retention_of('outbox') order by x.created_at limit v_limit);
  get diagnostics v_outbox = row_count;

  delete from app.notifications n
   where n.id in (select x.id from app.notifications x where x.created_at < now() - app.retention_of('notifications')
                   order by x.created_at limit v_limit);
  get diagnostics v_notifications = row_count;

  with due as (
    select x.id from app.applications x
     where x.status in ('completed', 'rejected') and x.form_data <> '{}'::jsonb
       and x.updated_at < now() - app.retention_of('closed_case_details')
     order by x.updated_at limit v_limit for update skip locked),
  gone as (
    delete from app.files f using due where f.entity = 'application' and f.entity_id = due.id returning f.storage_key)
  select coalesce(jsonb_agg(storage_key), '[]'::jsonb) into v_keys from gone;
  update app.applications a set form_data = '{}'::jsonb, attachments = '[]'::jsonb
   where a.id in (select x.id from app.applications x
                   where x.status in ('completed', 'rejected') and x.form_data <> '{}'::jsonb
                     and x.updated_at < now() - app.retention_of('closed_case_details')
                   order by x.updated_at limit v_limit);
  get diagnostics v_cases = row_count;

  update app.verification_requests r set real_name = '已清除', phone = null, note = ''
   where r.id in (select x.id from app.verification_requests x
                   where x.status in ('refused', 'withdrawn') and (x.phone is not null or x.note <> '' or x.real_name <> '已清除')
                     and x.created_at < now() - app.retention_of('closed_verifications')
                   order by x.created_at limit v_limit);
  get diagnostics v_verifications = row_count;

  if v_rate + v_outbox + v_notifications + v_cases + v_verifications > 0 then
    perform app.audit(null, 'retention.apply', 'retention', null, jsonb_build_object(
      'rateLimits', v_rate, 'outbox', v_outbox, 'notifications', v_notifications, 'caseDetails', v_cases,
      'verifications', v_verifications, 'files', jsonb_array_length(v_keys)));
  end if;
  return jsonb_build_object('rateLimits', v_rate, 'outbox', v_outbox, 'notifications', v_notifications, 'caseDetails', v_cases,
                            'verifications', v_verifications, 'files', jsonb_array_length(v_keys), 'storageKeys', v_keys);
end
$$;

-- ---------------------------------------------------------------- grants

grant execute on function public.list_my_access_log(integer, text), public.list_access_log(uuid, integer, text), public.get_my_data(),
  public.get_my_obligations(), public.delete_my_account(integer), public.get_retention_policy() to authenticated;
grant execute on function public.get_retention_policy(), public.apply_retention(integer) to service_role;
