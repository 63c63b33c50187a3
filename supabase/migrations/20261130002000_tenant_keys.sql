-- The tenant key on every tenant table.
--
-- A province outgrows one Postgres; the plan (docs/scale.md) is to distribute tables by community with
-- Citus, which needs the distribution column on every distributed table so a community's rows live
-- together. Child tables that reached their community only through their parent (a read through its
-- notice, an event through its case, a ballot through its poll) now carry community_id themselves:
--   * filled from the parent on insert by one trigger (writers need not change), backfilled here;
--   * tied to the parent by a composite foreign key (parent id, community_id), so it can never disagree;
--   * indexed leading with community_id.
-- Reference tables stay global (streets, communities, profiles, street_admins, consents, notifications,
-- outbox, rate_limits): see the catalog test and docs/scale.md.

create function app.fill_community_id() returns trigger
language plpgsql security definer set search_path = '' as $$
declare v uuid;
begin
  if new.community_id is null then
    -- tg_argv: the parent table and the column that names the parent row.
    execute format('select p.community_id from app.%I p where p.id = $1', tg_argv[0])
       into v using (to_jsonb(new) ->> tg_argv[1])::uuid;
    new.community_id := v;
  end if;
  return new;
end
$$;
comment on function app.fill_community_id is 'Before insert on child tables: copy community_id from the parent row (tg_argv: parent table, parent id column).';

do $$
declare
  r record;
begin
  -- Parents first: meetings take their community from topics before meeting_attendance takes it from meetings.
  for r in select * from (values
      ('notice_versions', 'notices', 'notice_id'),
      ('finance_lines', 'notices', 'notice_id'),
      ('notice_questions', 'notices', 'notice_id'),
      ('notice_reads', 'notices', 'notice_id'),
      ('application_events', 'applications', 'application_id'),
      ('appointments', 'appointment_slots', 'slot_id'),
      ('goods_stock_changes', 'goods', 'goods_id'),
      ('activity_signups', 'activities', 'activity_id'),
      ('team_members', 'teams', 'team_id'),
      ('whistle_responses', 'whistle_calls', 'call_id'),
      ('point_objections', 'point_publications', 'publication_id'),
      ('poll_voters', 'polls', 'poll_id'),
      ('poll_ballots', 'polls', 'poll_id'),
      ('procedure_steps', 'procedure_templates', 'template_id'),
      ('topic_comments', 'topics', 'topic_id'),
      ('topic_cosigns', 'topics', 'topic_id'),
      ('topic_steps', 'topics', 'topic_id'),
      ('meetings', 'topics', 'topic_id'),
      ('meeting_attendance', 'meetings', 'meeting_id')
    ) as v(child, parent, fk)
  loop
    execute format('alter table app.%I add column community_id uuid', r.child);
    -- Append-only and sealing triggers refuse updates; this one-time backfill is the only exception.
    execute format('alter table app.%I disable trigger user', r.child);
    execute format('update app.%I c set community_id = p.community_id from app.%I p where p.id = c.%I', r.child, r.parent, r.fk);
    execute format('alter table app.%I enable trigger user', r.child);
    execute format('alter table app.%I alter column community_id set not null', r.child);
    execute format('create unique index if not exists %I on app.%I (id, community_id)', r.parent || '_id_community_key', r.parent);
    execute format('alter table app.%I add constraint %I foreign key (%I, community_id) references app.%I (id, community_id)',
                   r.child, r.child || '_tenant_fk', r.fk, r.parent);
    execute format('create index %I on app.%I (community_id, %I)', r.child || '_tenant_idx', r.child, r.fk);
    execute format('create trigger %I before insert on app.%I for each row execute function app.fill_community_id(%L, %L)',
                   r.child || '_fill_community', r.child, r.parent, r.fk);
    execute format('comment on column app.%I.community_id is %L', r.child, 'Tenant key, copied from ' || r.parent || ' (composite foreign key).');
  end loop;
end
$$;
