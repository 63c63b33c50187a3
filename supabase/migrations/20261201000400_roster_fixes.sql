-- Fixes to the roster import and to moving out (a review of 20261201000100):
--   1. A sheet with rows that could not be read (no phone, a malformed one, no roster, a bad name) takes nobody
--      off a roster: any of those rows may be the person. The dry run lists who would have come off, and why not.
--      (A repeated line is not such a row: its phone number is already on the sheet.)
--   2. Every roster line the import puts into effect is remembered with the phone number it was listed under
--      (app.roster_tag_entries, claimed), also for residents put on the roster at once. A person is matched
--      against the next sheet by that number or their profile's; someone whose number is unknown to us
--      (withdrawn phone consent, put on the roster before this) is never taken off by a sheet: the dry run says so.
--   3. Coming off a roster forgets their line; a claimed line whose person is no longer on the roster is opened
--      again when a later sheet lists the number, so the next resident to sign in with it joins.
--   4. A resident who moves out, dies or is away for long leaves the community's 代表/党员 rosters with their
--      membership (rosters are the quorum's denominator); the audit entry says which.
--   5. Waiting lines coming off the roster are locked before anyone is taken off, and only unclaimed ones deleted,
--      against a sign-in at that moment; a dry run locks nothing. Moving out and deleting an account take the
--      community's import lock first, so they wait for an import instead of deadlocking with it.
--   6. Each person added to or taken off a roster is audited; deleting an account deletes the office's lines
--      (households, rosters, staff invitations) it had claimed.

-- Lines a person claimed (account deletion, and matching people against a sheet by the number they were listed under).
create index roster_tag_entries_claimed_idx on app.roster_tag_entries (claimed_by) where claimed_by is not null;
create index roster_entries_claimed_idx on app.roster_entries (claimed_by) where claimed_by is not null;
create index staff_invitations_claimed_idx on app.staff_invitations (claimed_by) where claimed_by is not null;

create or replace function public.import_roster(p_community_id uuid, p_rows jsonb, p_dry_run boolean, p_sha256 text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  x record;
  v_tag text;
  v_reason text;
  v_profile uuid;
  v_entry app.roster_tag_entries;
  v_out jsonb := '[]'::jsonb;
  v_seen text[] := '{}';
  v_tags text[] := '{}';
  v_unreadable integer := 0;
  n_created integer := 0;
  n_updated integer := 0;
  n_unchanged integer := 0;
  n_refused integer := 0;
  v_label text;
  v_village boolean;
begin
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  if jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) > 20000 then
    perform app.fail('admin.import_too_large');
  end if;
  perform pg_advisory_xact_lock(hashtextextended('import:' || p_community_id::text, 0));
  v_village := (select c.kind from app.communities c where c.id = p_community_id) = 'village';
  for x in
    select coalesce((e ->> 'row')::integer, o::integer + 1) as row_no, btrim(coalesce(e ->> 'name', '')) as name,
           regexp_replace(coalesce(e ->> 'phone', ''), '[\s-]', '', 'g') as phone, btrim(coalesce(e ->> 'roster', '')) as roster
      from jsonb_array_elements(p_rows) with ordinality as t(e, o)
  loop
    v_reason := null;
    v_tag := app.roster_tag_of(x.roster);
    if x.roster = '' then v_reason := '缺少名册（居民代表、村民代表 或 党员）';
    elsif v_tag is null then v_reason := '名册应为 居民代表、村民代表 或 党员：' || left(x.roster, 20);
    elsif char_length(x.name) not between 2 and 20 then v_reason := '姓名应为 2 到 20 个字';
    elsif x.phone = '' then v_reason := '缺少手机号（用手机号找到本人）';
    elsif x.phone !~ '^1[3-9][0-9]{9}$' then v_reason := '手机号格式不对：' || left(x.phone, 20);
    elsif (v_tag || '|' || x.phone) = any (v_seen) then v_reason := '与前面的行重复（同一名册、同一手机号）';
    end if;
    if v_reason is not null then
      n_refused := n_refused + 1;
      if v_reason not like '与前面的行重复%' then v_unreadable := v_unreadable + 1; end if;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'refused', 'reason', v_reason, 'building', '', 'room', '');
      continue;
    end if;
    v_label := case when v_tag = 'party_member' then '党员' when v_village then '村民代表' else '居民代表' end;
    v_seen := v_seen || (v_tag || '|' || x.phone);
    if not v_tag = any (v_tags) then v_tags := v_tags || v_tag; end if;
    -- A resident of this community with that phone number joins the roster now.
    select p.id into v_profile from app.profiles p
     where p.phone = x.phone and exists (select 1 from app.memberships m where m.profile_id = p.id and m.community_id = p_community_id and m.role = 'resident')
     order by p.created_at limit 1;
    if v_profile is not null then
      if exists (select 1 from app.member_tags t where t.profile_id = v_profile and t.community_id = p_community_id and t.tag = v_tag) then
        n_unchanged := n_unchanged + 1;
      else
        n_created := n_created + 1;
        v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'create', 'reason', app.mask_name(x.name) || ' 加入' || v_label || '名册',
                                             'building', '', 'room', '');
        if not p_dry_run then
          insert into app.member_tags (profile_id, community_id, tag) values (v_profile, p_community_id, v_tag) on conflict do nothing;
          perform app.audit(p_community_id, 'roster.add', 'member_tag', v_tag, jsonb_build_object('name', app.mask_name(x.name)), v_profile);
        end if;
      end if;
      if not p_dry_run then
        -- The line they are listed under, remembered (quietly, also for those listed before this was kept).
        insert into app.roster_tag_entries as e (community_id, tag, phone, name, imported_by, claimed_by, claimed_at)
        values (p_community_id, v_tag, x.phone, x.name, v_uid, v_profile, now())
        on conflict (community_id, tag, phone) do update set name = excluded.name, claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
         where e.claimed_by is distinct from excluded.claimed_by or e.name <> excluded.name;
      end if;
      continue;
    end if;
    -- (A dry run locks nothing: a resident signing in meanwhile must not miss their line.)
    if p_dry_run then
      select * into v_entry from app.roster_tag_entries e where e.community_id = p_community_id and e.tag = v_tag and e.phone = x.phone;
    else
      select * into v_entry from app.roster_tag_entries e where e.community_id = p_community_id and e.tag = v_tag and e.phone = x.phone for update;
    end if;
    if v_entry.id is null then
      n_created := n_created + 1;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'create', 'reason',
                                           '登记 ' || app.mask_name(x.name) || ' 为' || v_label || '（本人用此手机号登录、成为本社区认证居民后加入名册）', 'building', '', 'room', '');
      if not p_dry_run then
        insert into app.roster_tag_entries (community_id, tag, phone, name, imported_by) values (p_community_id, v_tag, x.phone, x.name, v_uid)
        returning * into v_entry;
        perform app.audit(p_community_id, 'roster.register', 'roster_tag_entry', v_entry.id::text,
                          jsonb_build_object('tag', v_tag, 'name', app.mask_name(x.name)));
      end if;
    elsif v_entry.claimed_at is not null
          and not exists (select 1 from app.member_tags t where t.profile_id = v_entry.claimed_by and t.community_id = p_community_id and t.tag = v_tag) then
      -- Claimed once, but that person is no longer on the roster: the line waits again for whoever signs in with it.
      n_created := n_created + 1;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'create', 'reason',
                                           '登记 ' || app.mask_name(x.name) || ' 为' || v_label || '（本人用此手机号登录、成为本社区认证居民后加入名册）', 'building', '', 'room', '');
      if not p_dry_run then
        update app.roster_tag_entries set claimed_by = null, claimed_at = null, name = x.name, imported_by = v_uid, imported_at = now() where id = v_entry.id;
        perform app.audit(p_community_id, 'roster.register', 'roster_tag_entry', v_entry.id::text,
                          jsonb_build_object('tag', v_tag, 'name', app.mask_name(x.name)));
      end if;
    elsif v_entry.name <> x.name and v_entry.claimed_at is null then
      n_updated := n_updated + 1;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'update', 'reason', '更正姓名 ' || app.mask_name(x.name), 'building', '', 'room', '');
      if not p_dry_run then
        update app.roster_tag_entries set name = x.name where id = v_entry.id;
        perform app.audit(p_community_id, 'roster.rename', 'roster_tag_entry', v_entry.id::text,
                          jsonb_build_object('tag', v_tag, 'name', app.mask_name(x.name)));
      end if;
    else
      n_unchanged := n_unchanged + 1;
    end if;
  end loop;
  -- Waiting lines not on the sheet first, locked (not in a dry run) before anyone is taken off: a sign-in that
  -- claims one of them either has committed by now, and the removals below see its person on the roster, or
  -- finds the line locked and skips it.
  if not p_dry_run then
    perform 1 from app.roster_tag_entries e
     where e.community_id = p_community_id and e.claimed_at is null and e.tag = any (v_tags) and not ((e.tag || '|' || e.phone) = any (v_seen))
       for update;
  end if;
  for x in
    select e.id, e.name, e.tag from app.roster_tag_entries e
     where e.community_id = p_community_id and e.claimed_at is null and e.tag = any (v_tags) and not ((e.tag || '|' || e.phone) = any (v_seen))
     order by e.tag, e.id
  loop
    if v_unreadable > 0 then
      v_out := v_out || jsonb_build_object('row', 0, 'action', 'refused', 'reason', '暂不撤销登记 ' || app.mask_name(x.name) || '（不在表里，但表里有 '
                                           || v_unreadable || ' 行没有通过；改好后再导入）', 'building', '', 'room', '');
    else
      n_updated := n_updated + 1;
      v_out := v_out || jsonb_build_object('row', 0, 'action', 'update', 'reason', '撤销登记 ' || app.mask_name(x.name) || '（不在表里）', 'building', '', 'room', '');
      if not p_dry_run then
        delete from app.roster_tag_entries where id = x.id and claimed_at is null;
        perform app.audit(p_community_id, 'roster.unregister', 'roster_tag_entry', x.id::text,
                          jsonb_build_object('tag', x.tag, 'name', app.mask_name(x.name)));
      end if;
    end if;
  end loop;
  -- The sheet is the whole roster for each roster it names: whoever is on it and not on the sheet comes off,
  -- unless some rows could not be read (any of them may be that person) or we can't tell their number.
  for x in
    select t.profile_id, t.tag, app.masked_name_of(t.profile_id) as name,
           (p.phone is not null or exists (select 1 from app.roster_tag_entries e
                                            where e.community_id = p_community_id and e.tag = t.tag and e.claimed_by = t.profile_id)) as known
      from app.member_tags t join app.profiles p on p.id = t.profile_id
     where t.community_id = p_community_id and t.tag = any (v_tags)
       and not ((t.tag || '|' || coalesce(p.phone, '')) = any (v_seen))
       and not exists (select 1 from app.roster_tag_entries e
                        where e.community_id = p_community_id and e.tag = t.tag and e.claimed_by = t.profile_id and (e.tag || '|' || e.phone) = any (v_seen))
     order by t.tag, t.profile_id
  loop
    v_label := case when x.tag = 'party_member' then '党员' when v_village then '村民代表' else '居民代表' end;
    if not x.known then
      v_out := v_out || jsonb_build_object('row', 0, 'action', 'refused', 'reason', '不移出 ' || x.name || '：本人没有授权手机号，无法与表核对（仍在'
                                           || v_label || '名册）', 'building', '', 'room', '');
    elsif v_unreadable > 0 then
      v_out := v_out || jsonb_build_object('row', 0, 'action', 'refused', 'reason', '暂不移出 ' || x.name || '（不在表里，但表里有 ' || v_unreadable
                                           || ' 行没有通过，可能就是本人；改好后再导入）', 'building', '', 'room', '');
    else
      n_updated := n_updated + 1;
      v_out := v_out || jsonb_build_object('row', 0, 'action', 'update', 'reason', x.name || ' 不在表里，移出' || v_label || '名册',
                                           'building', '', 'room', '');
      if not p_dry_run then
        delete from app.member_tags where profile_id = x.profile_id and community_id = p_community_id and tag = x.tag;
        delete from app.roster_tag_entries where community_id = p_community_id and tag = x.tag and claimed_by = x.profile_id;
        perform app.audit(p_community_id, 'roster.remove', 'member_tag', x.tag, jsonb_build_object('name', x.name), x.profile_id);
      end if;
    end if;
  end loop;
  if not p_dry_run then
    insert into app.imports (community_id, kind, sha256, rows, created, updated, unchanged, refused, imported_by)
    values (p_community_id, 'roster', p_sha256, jsonb_array_length(p_rows), n_created, n_updated, n_unchanged, n_refused, v_uid);
    perform app.audit(p_community_id, 'import.roster', 'community', p_community_id::text,
                      jsonb_build_object('rows', jsonb_array_length(p_rows), 'created', n_created, 'updated', n_updated, 'refused', n_refused, 'sha256', p_sha256));
  end if;
  return jsonb_build_object('dryRun', p_dry_run, 'rows', jsonb_array_length(p_rows), 'created', n_created, 'updated', n_updated,
                            'unchanged', n_unchanged, 'refused', n_refused, 'details', v_out);
end
$$;

-- A resident leaves (see 4 above); otherwise as in 20261201000100.
create or replace function public.end_residence(p_membership_id uuid, p_reason text, p_note text, p_new_household_id uuid default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  m app.memberships;
  n app.memberships;
  v_rule text;
  v_available integer := 0;
  v_to uuid;
  v_points jsonb := null;
  v_rosters jsonb := '[]'::jsonb;
begin
  perform app.require_uid();
  -- The community's import lock first, as the imports take it: a move and a roster import of the same
  -- community (both change roster lines and tags) run one after the other instead of deadlocking.
  perform pg_advisory_xact_lock(hashtextextended('import:' || x.community_id::text, 0))
     from app.memberships x where x.id = p_membership_id;
  select * into m from app.memberships where id = p_membership_id for update;
  if m.id is null or m.role <> 'resident' or not app.can_manage(m.community_id) then
    perform app.fail('admin.member_not_found');
  end if;
  if p_reason not in ('moved_out', 'moved_household', 'deceased', 'long_absence') then
    perform app.fail('core.invalid_input', 'field:reason');
  end if;
  if p_reason = 'moved_household' then
    if p_new_household_id is null or p_new_household_id = m.household_id
       or not exists (select 1 from app.households h where h.id = p_new_household_id and h.community_id = m.community_id) then
      perform app.fail('admin.household_not_found', 'field:newHouseholdId');
    end if;
  end if;
  perform app.end_membership(m.id, p_reason, p_note);
  if p_reason = 'moved_household' then
    insert into app.memberships (profile_id, community_id, role, household_id, title, created_by)
    values (m.profile_id, m.community_id, 'resident', p_new_household_id, m.title, (select auth.uid())) returning * into n;
  end if;
  -- Leaving the community (not moving within it) takes them off its 代表/党员 rosters, unless they are still a
  -- resident here through another household.
  if p_reason <> 'moved_household'
     and not exists (select 1 from app.memberships x where x.profile_id = m.profile_id and x.community_id = m.community_id and x.role = 'resident') then
    with gone as (delete from app.member_tags t where t.profile_id = m.profile_id and t.community_id = m.community_id returning t.tag)
    select coalesce(jsonb_agg(tag order by tag), '[]'::jsonb) into v_rosters from gone;
    delete from app.roster_tag_entries e where e.community_id = m.community_id and e.claimed_by = m.profile_id;
  end if;
  if p_reason in ('moved_out', 'deceased') then
    v_rule := coalesce((select c.settings ->> 'points_on_move_out' from app.communities c where c.id = m.community_id), 'keep');
    select a.balance - app.pending_points(a.profile_id, a.community_id) into v_available
      from app.point_accounts a where a.profile_id = m.profile_id and a.community_id = m.community_id for update;
    v_available := greatest(coalesce(v_available, 0), 0);
    if v_rule = 'transfer' then
      select x.profile_id into v_to from app.memberships x
       where x.household_id = m.household_id and x.role = 'resident' and x.profile_id <> m.profile_id
       order by x.created_at, x.id limit 1;
    end if;
    if v_available > 0 and v_rule = 'transfer' and v_to is not null then
      perform app.post_points(m.profile_id, m.community_id, -v_available, 'transfer', '迁出，积分转给同户家人', m.id::text, 'move-out:' || m.id);
      perform app.post_points(v_to, m.community_id, v_available, 'transfer', '同户家人迁出，积分转入', m.id::text, 'move-in:' || m.id);
    elsif v_available > 0 and v_rule = 'close' then
      perform app.post_points(m.profile_id, m.community_id, -v_available, 'closure', '迁出，积分账户按社区规定清零', m.id::text, 'move-out:' || m.id);
    end if;
    v_points := jsonb_build_object('rule', v_rule, 'points', case when v_rule = 'keep' or (v_rule = 'transfer' and v_to is null) then 0 else v_available end,
                                   'to', case when v_to is null or v_available = 0 then null else app.masked_name_of(v_to) end);
  end if;
  perform app.audit(m.community_id, 'resident.' || p_reason, 'membership', m.id::text,
                    jsonb_build_object('note', p_note, 'to', p_new_household_id, 'points', v_points, 'rosters', v_rosters), m.profile_id);
  return jsonb_build_object('membershipId', m.id, 'ended', true, 'member', case when n.id is null then null else app.member_json(n) end, 'points', v_points);
end
$$;

-- Deleting an account (see 6 above); otherwise as in 20261130005100.
create or replace function public.delete_my_account(p_obligations integer) returns jsonb
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
  -- The import lock of each community whose roster lines or tags this deletion removes, in one order (an
  -- import running there finishes first; see end_residence).
  perform pg_advisory_xact_lock(hashtextextended('import:' || x.community_id::text, 0))
     from (select distinct y.community_id from (
             select t.community_id from app.member_tags t where t.profile_id = v_uid
             union select e.community_id from app.roster_tag_entries e where e.claimed_by = v_uid
             union select e.community_id from app.roster_entries e where e.claimed_by = v_uid) y
           order by y.community_id) x;
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
  -- The office's lines this account claimed (name and phone next to the account): gone with it. A sheet
  -- imported again lists the phone number afresh, to be claimed by whoever signs in with it.
  delete from app.roster_entries where claimed_by = v_uid;
  delete from app.roster_tag_entries where claimed_by = v_uid;
  delete from app.staff_invitations where claimed_by = v_uid;

  -- The profile: pseudonymous from now on, and every token stops at once.
  update app.profiles
     set wechat_openid = null, wechat_unionid = null, persona = null, display_name = '已注销用户', real_name = null, phone = null,
         last_login_at = null, deleted_at = now(), session_version = session_version + 1
   where id = v_uid;
  perform app.audit(null, 'account.delete', 'profile', v_uid::text, jsonb_build_object('obligations', p_obligations));
  return jsonb_build_object('deleted', true, 'storageKeys', v_keys);
end
$$;
