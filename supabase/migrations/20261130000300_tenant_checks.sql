-- Tenant checks: ids from another community or another person, refusals that leak, and audit gaps.
--
-- A security review of every write function in public that takes the id of a person or of a row. Each
-- function below is replaced with the same signature (grants survive `create or replace`); its body is
-- the one from the migration that last defined it, changed only where said.
--
-- Ids from another community (BOLA):
--   * request_point_deduction took any p_profile_id: a committee member of one community could file a
--     deduction against a resident of another (and then read their masked name in the deduction list).
--     The person must now be a resident of the community, or hold a points account in it;
--     decide_point_deduction checks the same before approving (requests filed before this fix);
--   * blow_whistle took any p_team_id (app.whistle_calls.team_id has no composite foreign key): a call of
--     one community could name another community's team. The team must belong to the community;
--   * update_notice_draft took any p_audience_grid_ids, while create_notice checks them: a notice could be
--     limited to another community's grids. Both now check the same way;
--   * decide_team_join let anyone, of any community, approve or refuse join requests of a team without a
--     leader: `not (leader_id = uid or has_role(...))` is null when leader_id is null, and an IF treats
--     null as false. The comparisons are now null-safe.
--
-- Refusals to outsiders: these answered core.forbidden (403) to everyone who lacked the role, people of
-- other communities included, and to made-up ids as well. That told an outsider nothing about existence,
-- but it is not what the rest of the domain says: a row of another community does not exist for them
-- (*_not_found, 404). They now answer not-found to anyone who is neither a member of the row's community
-- nor the row's own person, and core.forbidden to members who lack the role — the convention
-- topic_for_committee, review_notice and decide_verification already follow: decide_point_deduction,
-- resolve_points_objection, decide_team_join, correct_attendance, create_appointment_slots, mark_arrival,
-- assign_proxy, close_rectification, hide_topic_comment.
--
-- Audit: every write that changes someone else's data, is a staff action, or is a person's own act that
-- others rely on (as sign-ups, bookings and questions already are) appends to app.audit_log:
--   * create_appointment_slots (a clerk's action) and cancel_appointment (frees a seat; booking was
--     audited, cancelling was not) wrote nothing;
--   * comment_on_topic (residents and committee members), cosign_topic (a signature that counts towards
--     the threshold obliging the committee to answer) and check_in_activity (presence that becomes points)
--     wrote nothing;
--   * close_rectification did not say for whom (the applicant whose complaint was followed up).
-- Deliberately not audited (supabase/tests/security.test.ts keeps the list): cast_vote (a secret ballot
-- must stay unlinkable to its voter and time), the server's own bookkeeping run by the service role
-- (sign-in, rate limits, outbox, content-check outcomes), and a person's own read receipts and
-- subscribe-message credits, which change nothing anyone else sees.

-- ---------------------------------------------------------------- points

create or replace function public.request_point_deduction(p_profile_id uuid, p_community_id uuid, p_points integer, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare r app.point_deduction_requests;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  -- Only a person of this community's ledger: a resident, or someone who holds points here.
  if not (app.has_role_of(p_profile_id, p_community_id, '{resident}')
          or exists (select 1 from app.point_accounts a where a.profile_id = p_profile_id and a.community_id = p_community_id)) then
    perform app.fail('volunteer.resident_required');
  end if;
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  insert into app.point_deduction_requests (community_id, profile_id, points, reason, requested_by)
  values (p_community_id, p_profile_id, p_points, btrim(p_reason), (select auth.uid())) returning * into r;
  perform app.audit(p_community_id, 'points.deduction_request', 'point_deduction', r.id::text,
                    jsonb_build_object('points', p_points, 'reason', p_reason), p_profile_id);
  return jsonb_build_object('id', r.id, 'status', r.status);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- The second committee member approves (the entry is written) or rejects.
create or replace function public.decide_point_deduction(p_request_id uuid, p_approve boolean) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  r app.point_deduction_requests;
  e app.point_entries;
begin
  perform app.require_uid();
  select * into r from app.point_deduction_requests where id = p_request_id for update;
  if r.id is null or not app.is_member(r.community_id) then
    perform app.fail('points.deduction_not_found');
  end if;
  if not app.has_role(r.community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if r.status <> 'pending' then
    perform app.fail('points.deduction_decided');
  end if;
  if r.requested_by = (select auth.uid()) then
    perform app.fail('points.second_approver_required');
  end if;
  if p_approve then
    -- A request filed against someone outside this community's ledger (possible before 20261130000300).
    if not (app.has_role_of(r.profile_id, r.community_id, '{resident}')
            or exists (select 1 from app.point_accounts a where a.profile_id = r.profile_id and a.community_id = r.community_id)) then
      perform app.fail('volunteer.resident_required');
    end if;
    e := app.post_points(r.profile_id, r.community_id, -r.points, 'deduction', r.reason, 'deduction:' || r.id,
                         'deduction:' || r.id, (select auth.uid()), null, r.requested_by);
  end if;
  update app.point_deduction_requests set status = case when p_approve then 'approved' else 'rejected' end,
         decided_by = (select auth.uid()), decided_at = now(), entry_id = e.id
   where id = r.id returning * into r;
  perform app.audit(r.community_id, 'points.deduction_' || r.status, 'point_deduction', r.id::text, '{}'::jsonb, r.profile_id);
  return jsonb_build_object('id', r.id, 'status', r.status, 'entryId', r.entry_id);
end
$$;

create or replace function public.resolve_points_objection(p_objection_id uuid, p_uphold boolean, p_resolution text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  o app.point_objections;
  e app.point_entries;
begin
  perform app.require_uid();
  select * into o from app.point_objections where id = p_objection_id for update;
  select * into e from app.point_entries where id = o.entry_id;
  if o.id is null or not (app.is_member(e.community_id) or o.objector_id = (select auth.uid())) then
    perform app.fail('points.objection_not_found');
  end if;
  if not app.has_role(e.community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if o.status <> 'open' then
    perform app.fail('points.objection_decided');
  end if;
  if char_length(btrim(coalesce(p_resolution, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  if p_uphold then
    -- The objection was right: reverse the entry (once, whatever the number of objections to it).
    perform app.post_points(e.profile_id, e.community_id, -e.delta, 'objection', left('积分公示异议成立：' || btrim(p_resolution), 200),
                            'objection:' || o.id, 'objection:' || e.id, null, e.id);
  end if;
  update app.point_objections set status = case when p_uphold then 'upheld' else 'dismissed' end,
         resolution = btrim(p_resolution), resolved_by = (select auth.uid()), resolved_at = now()
   where id = o.id returning * into o;
  perform app.audit(e.community_id, 'points.objection_' || o.status, 'point_objection', o.id::text,
                    jsonb_build_object('resolution', p_resolution), e.profile_id);
  return jsonb_build_object('id', o.id, 'status', o.status);
end
$$;

-- ---------------------------------------------------------------- volunteers

create or replace function public.decide_team_join(p_team_id uuid, p_profile_id uuid, p_approve boolean, p_reason text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.teams;
  v_status text;
begin
  perform app.require_uid();
  select * into t from app.teams where id = p_team_id;
  if t.id is null or not (app.is_member(t.community_id) or t.leader_id is not distinct from (select auth.uid())) then
    perform app.fail('volunteer.team_not_found');
  end if;
  -- `is not distinct from`: a team without a leader (leader_id null) made `leader_id = uid` null, and
  -- `not (null or false)` is null, which an IF treats as false: anyone could decide for a leaderless team.
  if not (t.leader_id is not distinct from (select auth.uid()) or app.has_role(t.community_id, '{committee}')) then
    perform app.fail('core.forbidden');
  end if;
  if not p_approve and char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  update app.team_members set status = case when p_approve then 'approved' else 'refused' end,
         decided_by = (select auth.uid()), decided_at = now(), reason = nullif(btrim(coalesce(p_reason, '')), '')
   where team_id = t.id and profile_id = p_profile_id and status = 'pending'
  returning status into v_status;
  if v_status is null then
    perform app.fail('volunteer.request_not_found');
  end if;
  perform app.audit(t.community_id, 'team.join_' || v_status, 'team', t.id::text, jsonb_build_object('reason', p_reason), p_profile_id);
  return jsonb_build_object('teamId', t.id, 'profileId', p_profile_id, 'status', v_status);
end
$$;

-- Check in or out with the code on the organiser's phone.
create or replace function public.check_in_activity(p_activity_id uuid, p_code text, p_direction text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  a app.activities;
  s app.activity_signups;
  v_window bigint := app.checkin_window();
begin
  select * into a from app.activities where id = p_activity_id;
  if a.id is null or not app.can_see_activity(a.id) then
    perform app.fail('volunteer.activity_not_found');
  end if;
  if p_code is null or p_code not in (app.checkin_code(a.code_secret, v_window), app.checkin_code(a.code_secret, v_window - 1)) then
    perform app.fail('volunteer.code_invalid');
  end if;
  if now() < a.starts_at - interval '30 minutes' or now() > a.ends_at + interval '1 hour' or a.status <> 'open' then
    perform app.fail('volunteer.not_during_activity');
  end if;
  select * into s from app.activity_signups where activity_id = a.id and profile_id = v_uid and status = 'confirmed' for update;
  if s.id is null then
    perform app.fail('volunteer.not_signed_up');
  end if;
  if p_direction = 'in' then
    update app.activity_signups set checked_in_at = coalesce(checked_in_at, now()) where id = s.id returning * into s;
  elsif p_direction = 'out' then
    if s.checked_in_at is null then
      perform app.fail('volunteer.not_checked_in');
    end if;
    update app.activity_signups set checked_out_at = now() where id = s.id returning * into s;
  else
    perform app.fail('core.invalid_input', 'direction');
  end if;
  -- Presence becomes minutes and points at confirmation: keep the trail of when it was recorded.
  perform app.audit(a.community_id, 'activity.check_' || p_direction, 'activity_signup', s.id::text,
                    jsonb_build_object('activity', a.id));
  return jsonb_build_object('activityId', a.id, 'checkedInAt', s.checked_in_at, 'checkedOutAt', s.checked_out_at);
end
$$;

-- Correct one person's minutes with a reason: the difference in points is a new ledger entry.
create or replace function public.correct_attendance(p_signup_id uuid, p_minutes integer, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  s app.activity_signups;
  a app.activities;
  v_points integer;
begin
  perform app.require_uid();
  select * into s from app.activity_signups where id = p_signup_id for update;
  if s.id is null or not (app.can_see_activity(s.activity_id) or s.profile_id = (select auth.uid())) then
    perform app.fail('volunteer.signup_not_found');
  end if;
  if not app.can_organize(s.activity_id) then
    perform app.fail('core.forbidden');
  end if;
  select * into a from app.activities where id = s.activity_id;
  if s.confirmed_at is null then
    perform app.fail('volunteer.not_confirmed');
  end if;
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  if p_minutes is null or p_minutes < 0 or p_minutes > extract(epoch from (a.ends_at - a.starts_at)) / 60 then
    perform app.fail('volunteer.minutes_out_of_range');
  end if;
  v_points := app.points_for(a, p_minutes);
  if v_points <> coalesce(s.points, 0) then
    perform app.post_points(s.profile_id, a.community_id, v_points - coalesce(s.points, 0), 'correction',
                            left('时长更正：' || btrim(p_reason), 200), 'activity:' || a.id,
                            'correction:' || s.id || ':' || coalesce(s.points, 0) || '->' || v_points);
  end if;
  update app.activity_signups set minutes = p_minutes, points = v_points, correction_reason = btrim(p_reason) where id = s.id;
  perform app.audit(a.community_id, 'activity.correct', 'activity_signup', s.id::text,
                    jsonb_build_object('minutes', p_minutes, 'reason', p_reason), s.profile_id);
  return public.get_activity(a.id);
end
$$;

create or replace function public.blow_whistle(p_community_id uuid, p_title text, p_detail text, p_place text,
                                               p_grid_id uuid default null, p_team_id uuid default null, p_hours integer default 4)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  c app.whistle_calls;
  v_community_name text;
begin
  perform app.require_uid();
  if not (app.has_role(p_community_id, '{committee}')
          or (app.has_role(p_community_id, '{grid_worker}') and p_grid_id is not null and exists (
                select 1 from app.memberships m where m.profile_id = (select auth.uid()) and m.role = 'grid_worker' and m.grid_id = p_grid_id))) then
    perform app.fail('core.forbidden');
  end if;
  -- whistle_calls.team_id references teams by id only: the team must be this community's.
  if p_team_id is not null and not exists (select 1 from app.teams t where t.id = p_team_id and t.community_id = p_community_id) then
    perform app.fail('volunteer.team_not_found');
  end if;
  insert into app.whistle_calls (community_id, grid_id, team_id, title, detail, place, created_by, closes_at)
  values (p_community_id, p_grid_id, p_team_id, btrim(p_title), coalesce(btrim(p_detail), ''), btrim(p_place), (select auth.uid()),
          now() + make_interval(hours => least(greatest(coalesce(p_hours, 4), 1), 48)))
  returning * into c;
  select name into v_community_name from app.communities where id = p_community_id;
  -- One subscribe message to each subscribed volunteer the call is for.
  with spent as (
    update app.message_subscriptions s set credits = s.credits - 1, updated_at = now()
     where s.community_id = p_community_id and s.topic = 'whistle' and s.credits > 0
       and exists (select 1 from app.volunteer_profiles v where v.profile_id = s.profile_id and v.community_id = p_community_id)
       and (c.grid_id is null or exists (select 1 from app.memberships m join app.households h on h.id = m.household_id
                                          join app.buildings b on b.id = h.building_id
                                         where m.profile_id = s.profile_id and m.community_id = p_community_id and b.grid_id = c.grid_id))
       and (c.team_id is null or exists (select 1 from app.team_members tm where tm.team_id = c.team_id and tm.profile_id = s.profile_id and tm.status = 'approved'))
    returning s.profile_id)
  insert into app.outbox (kind, profile_id, dedupe_key, payload)
  select 'wechat_subscribe', spent.profile_id, 'whistle:' || c.id || ':' || spent.profile_id,
         jsonb_build_object('template', 'whistle', 'page', 'packages/volunteer/whistle/index?id=' || c.id,
                            'title', c.title, 'community', v_community_name, 'category', 'whistle', 'publishedAt', c.created_at)
    from spent on conflict (dedupe_key) do nothing;
  perform app.audit(p_community_id, 'whistle.blow', 'whistle_call', c.id::text);
  return jsonb_build_object('id', c.id, 'closesAt', c.closes_at);
exception
  when check_violation or foreign_key_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- ---------------------------------------------------------------- notices

-- Edit the version being written (a draft, or one returned by the supervisor).
create or replace function public.update_notice_draft(p_notice_id uuid, p_content jsonb,
                                                      p_audience_grid_ids uuid[] default null, p_pinned boolean default false,
                                                      p_important boolean default false, p_publish_at timestamptz default null,
                                                      p_expires_at timestamptz default null, p_finance_period text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  n app.notices := app.require_committee_of_notice(p_notice_id);
  v app.notice_versions;
begin
  -- The same check as create_notice: an audience is made of this community's grids only.
  if p_audience_grid_ids is not null and exists (
       select 1 from unnest(p_audience_grid_ids) g(id)
        where not exists (select 1 from app.grids x where x.id = g.id and x.community_id = n.community_id)) then
    perform app.fail('notices.grid_not_found');
  end if;
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

-- ---------------------------------------------------------------- service hall

create or replace function public.close_rectification(p_rectification_id uuid, p_note text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  r app.rectifications;
  v_applicant uuid;
begin
  perform app.require_uid();
  select * into r from app.rectifications where id = p_rectification_id for update;
  if r.id is null or not (app.is_member(r.community_id) or app.can_see_application(r.application_id)) then
    perform app.fail('hall.rectification_not_found');
  end if;
  if not app.has_role(r.community_id, '{clerk}') then
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
  select a.applicant_id into v_applicant from app.applications a where a.id = r.application_id;
  perform app.notify(v_applicant, '您的差评已整改', btrim(p_note), 'packages/hall/case/index?id=' || r.application_id);
  perform app.audit(r.community_id, 'rectification.close', 'rectification', r.id::text, jsonb_build_object('note', p_note), v_applicant);
  return jsonb_build_object('id', r.id, 'status', r.status, 'closedNote', r.closed_note);
end
$$;

create or replace function public.create_appointment_slots(p_item_id uuid, p_day date, p_times text[], p_minutes integer, p_capacity integer)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  i app.service_items;
  v_n integer;
begin
  perform app.require_uid();
  select * into i from app.service_items where id = p_item_id;
  if i.id is null or not app.is_member(i.community_id) then
    perform app.fail('hall.item_not_found');
  end if;
  if not app.has_role(i.community_id, '{clerk,committee}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.appointment_slots (community_id, item_id, starts_at, ends_at, capacity)
  select i.community_id, i.id, (p_day + t::time) at time zone 'Asia/Shanghai',
         (p_day + t::time) at time zone 'Asia/Shanghai' + make_interval(mins => p_minutes), p_capacity
    from unnest(p_times) t
  on conflict (item_id, starts_at) do nothing;
  get diagnostics v_n = row_count;
  perform app.audit(i.community_id, 'appointment.slots_create', 'service_item', i.id::text,
                    jsonb_build_object('day', p_day, 'times', to_jsonb(p_times), 'minutes', p_minutes, 'capacity', p_capacity,
                                       'created', v_n));
  return jsonb_build_object('created', v_n);
exception
  when invalid_datetime_format or check_violation or datetime_field_overflow then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create or replace function public.cancel_appointment(p_appointment_id uuid) returns jsonb
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
  perform app.audit(s.community_id, 'appointment.cancel', 'appointment', a.id::text, jsonb_build_object('slot', s.id));
  return jsonb_build_object('id', a.id, 'status', 'cancelled');
end
$$;

create or replace function public.mark_arrival(p_appointment_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a app.appointments;
  v_community uuid;
begin
  perform app.require_uid();
  select * into a from app.appointments where id = p_appointment_id for update;
  select community_id into v_community from app.appointment_slots where id = a.slot_id;
  if a.id is null or not (app.is_member(v_community) or a.profile_id = (select auth.uid())) then
    perform app.fail('hall.appointment_not_found');
  end if;
  if not app.has_role(v_community, '{clerk}') then
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

create or replace function public.assign_proxy(p_request_id uuid, p_helper_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare p app.proxy_requests;
begin
  perform app.require_uid();
  select * into p from app.proxy_requests where id = p_request_id for update;
  if p.id is null or not (app.is_member(p.community_id) or p.resident_id = (select auth.uid())
                          or p.helper_id is not distinct from (select auth.uid())) then
    perform app.fail('hall.proxy_not_found');
  end if;
  if not app.has_role(p.community_id, '{clerk}') then
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

-- ---------------------------------------------------------------- consultation

create or replace function public.cosign_topic(p_topic_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  v_count integer;
  v_new boolean;
begin
  perform app.require_uid();
  select * into t from app.topics where id = p_topic_id for update;
  if t.id is null or not app.is_member(t.community_id) then
    perform app.fail('affairs.topic_not_found');
  end if;
  if not app.has_role(t.community_id, '{resident}') then
    perform app.fail('affairs.resident_required');
  end if;
  if t.status <> 'collecting' then
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
  return app.topic_json(t);
end
$$;

create or replace function public.comment_on_topic(p_topic_id uuid, p_body text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  c app.topic_comments;
begin
  perform app.require_uid();
  select * into t from app.topics where id = p_topic_id;
  if t.id is null or not app.is_member(t.community_id) then
    perform app.fail('affairs.topic_not_found');
  end if;
  if not app.has_role(t.community_id, '{resident,committee}') then
    perform app.fail('affairs.resident_required');
  end if;
  insert into app.topic_comments (topic_id, author_id, body) values (t.id, (select auth.uid()), btrim(p_body)) returning * into c;
  perform app.audit(t.community_id, 'topic.comment', 'topic_comment', c.id::text, jsonb_build_object('topic', t.id));
  return jsonb_build_object('id', c.id, 'checkStatus', c.check_status);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create or replace function public.hide_topic_comment(p_comment_id uuid, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  c app.topic_comments;
  v_community uuid;
begin
  perform app.require_uid();
  select * into c from app.topic_comments where id = p_comment_id for update;
  select community_id into v_community from app.topics where id = c.topic_id;
  if c.id is null or not app.is_member(v_community) then
    perform app.fail('affairs.comment_not_found');
  end if;
  if not app.has_role(v_community, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  update app.topic_comments set hidden_reason = btrim(p_reason), hidden_by = (select auth.uid()), hidden_at = now() where id = c.id;
  perform app.audit(v_community, 'topic.comment.hide', 'topic_comment', c.id::text, jsonb_build_object('reason', p_reason), c.author_id);
  return jsonb_build_object('id', c.id, 'hidden', true);
end
$$;
