-- Consultation on public affairs (议事协商): topics and co-signing, the statutory procedures with meetings
-- and quorum, published decisions, and resident polls with secret ballots.
--
-- Rules enforced here:
--   * residents raise and co-sign topics of their own community; at the community's threshold the committee
--     must take the topic up or answer publicly with a reason;
--   * a topic moves through its procedure's steps in order, each run only by the step's role; a step may
--     send the topic back to an earlier step with a reason; a meeting step completes only with a recorded,
--     passing meeting;
--   * a meeting is recorded only when attendance is MORE than the quorum fraction of its roster (default 2/3,
--     村民委员会组织法) and every attendee is on the roster; a motion passes only with MORE than the pass
--     fraction of those present (default 1/2): a tie fails;
--   * published decisions and results are never updated or deleted; a correction is a new record pointing to
--     the old one; each carries the SHA-256 of its content;
--   * one ballot per person (or per household, in household polls), even under concurrent requests; who voted
--     is stored apart from what they voted, with nothing that links the two; only verified residents of the
--     community vote, only while the poll is open; results stay hidden until close unless live results were
--     chosen.

create table app.affairs_settings (
  community_id uuid primary key references app.communities (id),
  cosign_threshold integer not null default 10 check (cosign_threshold between 1 and 10000),
  quorum_num integer not null default 2 check (quorum_num >= 1),
  quorum_den integer not null default 3 check (quorum_den >= 1),
  pass_num integer not null default 1 check (pass_num >= 1),
  pass_den integer not null default 2 check (pass_den >= 1),
  check (quorum_num < quorum_den and pass_num < pass_den)
);
comment on table app.affairs_settings is 'Per-community thresholds: co-signatures to force a response, meeting quorum and pass fractions (strictly more than).';

create table app.member_tags (
  profile_id uuid not null references app.profiles (id),
  community_id uuid not null references app.communities (id),
  tag text not null check (tag in ('representative', 'party_member')),
  primary key (profile_id, community_id, tag)
);
comment on table app.member_tags is 'Who sits on which roster: 居民/村民代表 and 党员 of a community.';
create index member_tags_roster_idx on app.member_tags (community_id, tag);

create table app.procedure_templates (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  name text not null check (char_length(name) between 2 and 40),
  unique (community_id, name)
);
comment on table app.procedure_templates is 'A community''s consultation procedure: the six-step community procedure, 四议两公开 …';

create table app.procedure_steps (
  template_id uuid not null references app.procedure_templates (id),
  step_no integer not null check (step_no between 1 and 20),
  name text not null check (char_length(name) between 2 and 40),
  run_by app.role not null check (run_by in ('committee', 'supervisor')),
  roster text check (roster in ('representative', 'party_member')),
  publishes text check (publishes in ('decision', 'result')),
  primary key (template_id, step_no)
);
comment on table app.procedure_steps is 'Steps of a procedure: who runs each, whether it is a meeting with a vote (roster), whether it publishes.';

create table app.topics (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  title text not null check (char_length(title) between 4 and 60),
  description text not null check (char_length(description) between 10 and 3000),
  raised_by uuid not null references app.profiles (id),
  status text not null default 'collecting' check (status in ('collecting', 'answered', 'in_procedure', 'decided', 'rejected')),
  threshold_reached_at timestamptz,
  template_id uuid references app.procedure_templates (id),
  current_step integer,
  answer text,
  answered_by uuid references app.profiles (id),
  created_at timestamptz not null default now(),
  check ((status = 'answered') = (answer is not null)),
  check ((status in ('in_procedure', 'decided', 'rejected')) = (template_id is not null))
);
comment on table app.topics is '议题: raised by a resident or committee member, co-signed, then taken up into a procedure or answered.';
create index topics_community_idx on app.topics (community_id, created_at desc);
create index topics_raised_by_idx on app.topics (raised_by);
create index topics_template_idx on app.topics (template_id);
create index topics_answered_by_idx on app.topics (answered_by);

create table app.topic_cosigns (
  topic_id uuid not null references app.topics (id),
  profile_id uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  primary key (topic_id, profile_id)
);
comment on table app.topic_cosigns is '联名: one signature per resident per topic (the raiser signs first).';
create index topic_cosigns_profile_idx on app.topic_cosigns (profile_id);

create table app.topic_comments (
  id uuid primary key default gen_random_uuid(),
  topic_id uuid not null references app.topics (id),
  author_id uuid not null references app.profiles (id),
  body text not null check (char_length(body) between 2 and 500),
  check_status text not null default 'pending' check (check_status in ('pending', 'passed', 'rejected')),
  check_provider text,
  hidden_reason text,
  hidden_by uuid references app.profiles (id),
  hidden_at timestamptz,
  created_at timestamptz not null default now(),
  check ((hidden_at is null) = (hidden_reason is null))
);
comment on table app.topic_comments is 'Comments under a topic: shown after the content check, hidden only with a recorded reason.';
create index topic_comments_topic_idx on app.topic_comments (topic_id, created_at);
create index topic_comments_author_idx on app.topic_comments (author_id);
create index topic_comments_hidden_by_idx on app.topic_comments (hidden_by);

create table app.meetings (
  id uuid primary key default gen_random_uuid(),
  topic_id uuid not null references app.topics (id),
  step_no integer not null,
  roster text not null,
  roster_size integer not null check (roster_size > 0),
  present integer not null check (present >= 0),
  motion text not null check (char_length(motion) between 4 and 300),
  yes integer not null check (yes >= 0),
  no integer not null check (no >= 0),
  abstain integer not null check (abstain >= 0),
  passed boolean not null,
  held_at timestamptz not null default now(),
  recorded_by uuid not null references app.profiles (id),
  check (present <= roster_size and yes + no + abstain <= present)
);
comment on table app.meetings is 'A meeting at a procedure step: roster size, attendance, the motion and its tally. Only quorate meetings are recorded.';
create index meetings_topic_idx on app.meetings (topic_id, step_no);
create index meetings_recorded_by_idx on app.meetings (recorded_by);
create trigger meetings_append_only before update or delete on app.meetings for each row execute function app.forbid_change();

create table app.meeting_attendance (
  meeting_id uuid not null references app.meetings (id),
  profile_id uuid not null references app.profiles (id),
  primary key (meeting_id, profile_id)
);
comment on table app.meeting_attendance is 'Who attended a meeting (from its roster).';
create index meeting_attendance_profile_idx on app.meeting_attendance (profile_id);

create table app.topic_steps (
  id bigint generated always as identity primary key,
  topic_id uuid not null references app.topics (id),
  step_no integer not null,
  name text not null,
  outcome text not null check (outcome in ('done', 'sent_back')),
  sent_back_to integer,
  minutes text not null default '' check (char_length(minutes) <= 5000),
  meeting_id uuid references app.meetings (id),
  run_by uuid not null references app.profiles (id),
  run_at timestamptz not null default now(),
  check ((outcome = 'sent_back') = (sent_back_to is not null)),
  check (outcome <> 'sent_back' or char_length(btrim(minutes)) >= 2)
);
comment on table app.topic_steps is 'What happened at each step: who ran it, when, the minutes (纪要), the meeting; or a send-back with its reason.';
create index topic_steps_topic_idx on app.topic_steps (topic_id, run_at);
create index topic_steps_meeting_idx on app.topic_steps (meeting_id);
create index topic_steps_run_by_idx on app.topic_steps (run_by);
create trigger topic_steps_append_only before update or delete on app.topic_steps for each row execute function app.forbid_change();

create table app.affairs_publications (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  topic_id uuid not null references app.topics (id),
  kind text not null check (kind in ('decision', 'result')),
  title text not null,
  body text not null,
  content_sha256 text not null,
  corrects uuid references app.affairs_publications (id),
  published_by uuid not null references app.profiles (id),
  published_at timestamptz not null default now()
);
comment on table app.affairs_publications is '决议公示 and 实施结果公开: never changed; a correction is a new record pointing to the old one.';
create index affairs_publications_community_idx on app.affairs_publications (community_id, published_at desc);
create index affairs_publications_topic_idx on app.affairs_publications (topic_id);
create index affairs_publications_corrects_idx on app.affairs_publications (corrects);
create index affairs_publications_published_by_idx on app.affairs_publications (published_by);
create trigger affairs_publications_append_only before update or delete on app.affairs_publications
  for each row execute function app.forbid_change();

create table app.polls (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  title text not null check (char_length(title) between 4 and 60),
  description text not null default '' check (char_length(description) <= 2000),
  multiple boolean not null default false,
  options jsonb not null check (jsonb_typeof(options) = 'array' and jsonb_array_length(options) between 2 and 20),
  electorate text not null check (electorate in ('residents', 'households')),
  live_results boolean not null default false,
  opens_at timestamptz not null default now(),
  closes_at timestamptz not null,
  created_by uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  check (closes_at > opens_at)
);
comment on table app.polls is '意见征集 / 满意度调查: options, open and close time, electorate (each resident or one vote per household).';
create index polls_community_idx on app.polls (community_id, closes_at desc);
create index polls_created_by_idx on app.polls (created_by);

-- Who has voted (a person, or a household) — with no link to what they voted.
create table app.poll_voters (
  poll_id uuid not null references app.polls (id),
  voter_key uuid not null,
  idempotency_key text not null,
  primary key (poll_id, voter_key)
);
comment on table app.poll_voters is 'One row per voter (person or household) per poll. Deliberately no time and no ballot reference.';

-- What was voted — with no link to who.
create table app.poll_ballots (
  id uuid primary key default gen_random_uuid(),
  poll_id uuid not null references app.polls (id),
  choices integer[] not null check (cardinality(choices) >= 1)
);
comment on table app.poll_ballots is 'Secret ballots: the choices only. Random ids, no time, no voter: nothing links a ballot to a voter.';
create index poll_ballots_poll_idx on app.poll_ballots (poll_id);

-- ---------------------------------------------------------------- RLS

alter table app.affairs_settings enable row level security;
alter table app.member_tags enable row level security;
alter table app.procedure_templates enable row level security;
alter table app.procedure_steps enable row level security;
alter table app.topics enable row level security;
alter table app.topic_cosigns enable row level security;
alter table app.topic_comments enable row level security;
alter table app.meetings enable row level security;
alter table app.meeting_attendance enable row level security;
alter table app.topic_steps enable row level security;
alter table app.affairs_publications enable row level security;
alter table app.polls enable row level security;
alter table app.poll_voters enable row level security;
alter table app.poll_ballots enable row level security;

grant select on app.affairs_settings, app.procedure_templates, app.procedure_steps, app.topics, app.topic_steps, app.meetings,
  app.affairs_publications, app.polls to authenticated;
grant all on app.affairs_settings, app.member_tags, app.procedure_templates, app.procedure_steps, app.topics, app.topic_cosigns,
  app.topic_comments, app.meetings, app.meeting_attendance, app.topic_steps, app.affairs_publications, app.polls, app.poll_voters,
  app.poll_ballots to service_role;

create function app.is_member(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.has_role(p_community, '{resident,committee,clerk,grid_worker,supervisor,admin}');
$$;

create policy "Members read settings" on app.affairs_settings for select to authenticated using (app.is_member(community_id));
create policy "Members read procedures" on app.procedure_templates for select to authenticated using (app.is_member(community_id));
create policy "Members read procedure steps" on app.procedure_steps for select to authenticated using (exists (
  select 1 from app.procedure_templates t where t.id = procedure_steps.template_id and app.is_member(t.community_id)));
create policy "Members read their community's topics" on app.topics for select to authenticated using (app.is_member(community_id));
create policy "Members read topic steps" on app.topic_steps for select to authenticated using (exists (
  select 1 from app.topics t where t.id = topic_steps.topic_id and app.is_member(t.community_id)));
create policy "Members read meetings" on app.meetings for select to authenticated using (exists (
  select 1 from app.topics t where t.id = meetings.topic_id and app.is_member(t.community_id)));
create policy "Members read publications" on app.affairs_publications for select to authenticated using (app.is_member(community_id));
create policy "Members read polls" on app.polls for select to authenticated using (app.is_member(community_id));
-- member_tags, topic_cosigns, topic_comments, meeting_attendance, poll_voters, poll_ballots: RLS on, no policy for
-- authenticated: read only through the functions below (names masked, ballots aggregated).

-- ---------------------------------------------------------------- helpers

create function app.affairs_settings_of(p_community uuid) returns app.affairs_settings
language sql stable security definer set search_path = '' as $$
  select coalesce((select s from app.affairs_settings s where s.community_id = p_community),
                  row(p_community, 10, 2, 3, 1, 2)::app.affairs_settings);
$$;

create function app.sha256_text(p text) returns text
language sql immutable set search_path = '' as $$
  select encode(sha256(convert_to(p, 'UTF8')), 'hex');
$$;

create function app.publish_affairs(p_topic app.topics, p_kind text, p_title text, p_body text, p_corrects uuid default null)
returns app.affairs_publications
language plpgsql volatile security definer set search_path = '' as $$
declare
  p app.affairs_publications;
  v_at timestamptz := now();
begin
  insert into app.affairs_publications (community_id, topic_id, kind, title, body, content_sha256, corrects, published_by, published_at)
  values (p_topic.community_id, p_topic.id, p_kind, p_title, p_body,
          app.sha256_text(p_kind || E'\n' || p_title || E'\n' || p_body || E'\n' || to_char(v_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
          p_corrects, (select auth.uid()), v_at)
  returning * into p;
  perform app.audit(p_topic.community_id, 'affairs.publish', 'affairs_publication', p.id::text, jsonb_build_object('kind', p_kind));
  return p;
end
$$;

create function app.publication_json(p app.affairs_publications) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('id', p.id, 'topicId', p.topic_id, 'kind', p.kind, 'title', p.title, 'body', p.body,
    'contentSha256', p.content_sha256, 'corrects', p.corrects, 'publishedAt', p.published_at,
    'correctedBy', (select x.id from app.affairs_publications x where x.corrects = p.id limit 1));
$$;

create function app.topic_json(t app.topics) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', t.id, 'title', t.title, 'description', t.description, 'status', t.status, 'raisedBy', app.masked_name_of(t.raised_by),
    'createdAt', t.created_at, 'cosigns', (select count(*) from app.topic_cosigns c where c.topic_id = t.id),
    'threshold', (app.affairs_settings_of(t.community_id)).cosign_threshold, 'thresholdReachedAt', t.threshold_reached_at,
    'cosignedByMe', exists (select 1 from app.topic_cosigns c where c.topic_id = t.id and c.profile_id = (select auth.uid())),
    'answer', t.answer, 'currentStep', t.current_step,
    'procedure', (select jsonb_build_object('id', pt.id, 'name', pt.name,
                   'steps', (select jsonb_agg(jsonb_build_object('stepNo', s.step_no, 'name', s.name, 'runBy', s.run_by, 'roster', s.roster,
                                                                 'publishes', s.publishes) order by s.step_no)
                               from app.procedure_steps s where s.template_id = pt.id))
                    from app.procedure_templates pt where pt.id = t.template_id),
    'history', (select coalesce(jsonb_agg(jsonb_build_object('stepNo', h.step_no, 'name', h.name, 'outcome', h.outcome, 'sentBackTo', h.sent_back_to,
                  'minutes', h.minutes, 'runBy', app.masked_name_of(h.run_by), 'runAt', h.run_at,
                  'meeting', (select jsonb_build_object('rosterSize', m.roster_size, 'present', m.present, 'motion', m.motion, 'yes', m.yes,
                                                        'no', m.no, 'abstain', m.abstain, 'passed', m.passed, 'heldAt', m.held_at)
                                from app.meetings m where m.id = h.meeting_id)) order by h.run_at, h.id), '[]'::jsonb)
                  from app.topic_steps h where h.topic_id = t.id),
    'pendingMeeting', (select jsonb_build_object('id', m.id, 'present', m.present, 'rosterSize', m.roster_size, 'yes', m.yes, 'no', m.no,
                                                 'abstain', m.abstain, 'passed', m.passed, 'motion', m.motion)
                         from app.meetings m where m.topic_id = t.id and m.step_no = t.current_step
                          and not exists (select 1 from app.topic_steps h where h.meeting_id = m.id)
                        order by m.held_at desc limit 1),
    'publications', (select coalesce(jsonb_agg(app.publication_json(p) order by p.published_at), '[]'::jsonb)
                       from app.affairs_publications p where p.topic_id = t.id),
    'comments', (select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'body', c.body, 'author', app.masked_name_of(c.author_id),
                   'mine', c.author_id = (select auth.uid()), 'createdAt', c.created_at, 'checkStatus', c.check_status,
                   'hidden', c.hidden_at is not null, 'hiddenReason', c.hidden_reason) order by c.created_at), '[]'::jsonb)
                   from app.topic_comments c where c.topic_id = t.id
                    and (c.author_id = (select auth.uid()) or app.has_role(t.community_id, '{committee,supervisor,admin}')
                         or (c.check_status = 'passed' and c.hidden_at is null))),
    'canManage', app.has_role(t.community_id, '{committee}'),
    'canSupervise', app.has_role(t.community_id, '{supervisor}'));
$$;

-- ---------------------------------------------------------------- topics

-- A topic a committee member of its community is about to act on (locked); others get not-found or forbidden.
create function app.topic_for_committee(p_topic uuid) returns app.topics
language plpgsql volatile security definer set search_path = '' as $$
declare t app.topics;
begin
  perform app.require_uid();
  select * into t from app.topics where id = p_topic for update;
  if t.id is null or not app.is_member(t.community_id) then
    perform app.fail('affairs.topic_not_found');
  end if;
  if not app.has_role(t.community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  return t;
end
$$;

create function public.raise_topic(p_community_id uuid, p_title text, p_description text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare t app.topics;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{resident,committee}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.topics (community_id, title, description, raised_by) values (p_community_id, btrim(p_title), btrim(p_description), (select auth.uid()))
  returning * into t;
  insert into app.topic_cosigns (topic_id, profile_id) values (t.id, (select auth.uid()));
  perform app.audit(p_community_id, 'topic.raise', 'topic', t.id::text);
  return app.topic_json(t);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.cosign_topic(p_topic_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  v_count integer;
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
  insert into app.topic_cosigns (topic_id, profile_id) values (t.id, (select auth.uid())) on conflict do nothing;
  select count(*) into v_count from app.topic_cosigns where topic_id = t.id;
  if v_count >= (app.affairs_settings_of(t.community_id)).cosign_threshold and t.threshold_reached_at is null then
    update app.topics set threshold_reached_at = now() where id = t.id returning * into t;
  end if;
  return app.topic_json(t);
end
$$;

create function public.get_topic(p_topic_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare t app.topics;
begin
  perform app.require_uid();
  select * into t from app.topics where id = p_topic_id;
  if t.id is null or not app.is_member(t.community_id) then
    perform app.fail('affairs.topic_not_found');
  end if;
  return app.topic_json(t);
end
$$;

create function public.list_topics(p_community_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when app.is_member(p_community_id) then (
    select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'title', t.title, 'status', t.status, 'createdAt', t.created_at,
             'cosigns', (select count(*) from app.topic_cosigns c where c.topic_id = t.id),
             'threshold', (app.affairs_settings_of(t.community_id)).cosign_threshold,
             'awaitingResponse', t.threshold_reached_at is not null and t.status = 'collecting',
             'cosignedByMe', exists (select 1 from app.topic_cosigns c where c.topic_id = t.id and c.profile_id = (select auth.uid())),
             'currentStepName', (select s.name from app.procedure_steps s where s.template_id = t.template_id and s.step_no = t.current_step))
           order by (t.threshold_reached_at is not null and t.status = 'collecting') desc, t.created_at desc), '[]'::jsonb)
      from app.topics t where t.community_id = p_community_id) else '[]'::jsonb end;
$$;

-- At (or before) the threshold the committee takes the topic up into a procedure …
create function public.take_up_topic(p_topic_id uuid, p_template_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare t app.topics;
begin
  t := app.topic_for_committee(p_topic_id);
  if t.status <> 'collecting' then
    perform app.fail('affairs.already_handled');
  end if;
  if not exists (select 1 from app.procedure_templates p where p.id = p_template_id and p.community_id = t.community_id) then
    perform app.fail('affairs.template_not_found');
  end if;
  update app.topics set status = 'in_procedure', template_id = p_template_id, current_step = 1 where id = t.id returning * into t;
  perform app.audit(t.community_id, 'topic.take_up', 'topic', t.id::text);
  return app.topic_json(t);
end
$$;

-- … or answers publicly why not.
create function public.answer_topic(p_topic_id uuid, p_answer text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare t app.topics;
begin
  t := app.topic_for_committee(p_topic_id);
  if t.status <> 'collecting' then
    perform app.fail('affairs.already_handled');
  end if;
  if char_length(btrim(coalesce(p_answer, ''))) < 10 then
    perform app.fail('affairs.answer_required');
  end if;
  update app.topics set status = 'answered', answer = btrim(p_answer), answered_by = (select auth.uid()) where id = t.id returning * into t;
  perform app.audit(t.community_id, 'topic.answer', 'topic', t.id::text);
  return app.topic_json(t);
end
$$;

create function app.current_step_of(t app.topics) returns app.procedure_steps
language sql stable security definer set search_path = '' as $$
  select s from app.procedure_steps s where s.template_id = t.template_id and s.step_no = t.current_step;
$$;

-- A topic in its procedure whose current step the caller's role runs (locked).
create function app.topic_at_own_step(p_topic uuid) returns app.topics
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  s app.procedure_steps;
begin
  perform app.require_uid();
  select * into t from app.topics where id = p_topic for update;
  if t.id is null or not app.is_member(t.community_id) then
    perform app.fail('affairs.topic_not_found');
  end if;
  if t.status <> 'in_procedure' then
    perform app.fail('affairs.not_in_procedure');
  end if;
  s := app.current_step_of(t);
  if not app.has_role(t.community_id, array[s.run_by]) then
    perform app.fail('affairs.wrong_role_for_step', s.run_by::text);
  end if;
  return t;
end
$$;

-- A meeting at the current step. Refused unless strictly more than the quorum fraction of the roster attended.
create function public.record_meeting(p_topic_id uuid, p_motion text, p_attendee_ids uuid[], p_yes integer, p_no integer, p_abstain integer)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  s app.procedure_steps;
  cfg app.affairs_settings;
  v_roster integer;
  v_present integer;
  v_passed boolean;
  m app.meetings;
begin
  t := app.topic_for_committee(p_topic_id);
  if t.status <> 'in_procedure' then
    perform app.fail('affairs.not_in_procedure');
  end if;
  s := app.current_step_of(t);
  if s.roster is null then
    perform app.fail('affairs.step_has_no_meeting');
  end if;
  cfg := app.affairs_settings_of(t.community_id);
  select count(*) into v_roster from app.member_tags where community_id = t.community_id and tag = s.roster;
  if v_roster = 0 then
    perform app.fail('affairs.roster_empty');
  end if;
  select count(distinct a) into v_present from unnest(coalesce(p_attendee_ids, '{}')) a;
  if exists (select 1 from unnest(coalesce(p_attendee_ids, '{}')) a
              where not exists (select 1 from app.member_tags mt where mt.profile_id = a and mt.community_id = t.community_id and mt.tag = s.roster)) then
    perform app.fail('affairs.not_in_roster');
  end if;
  -- 村民委员会组织法: more than 2/3 must be present (strictly); integers only, no rounding.
  if v_present * cfg.quorum_den <= v_roster * cfg.quorum_num then
    perform app.fail('affairs.quorum_not_met', v_present || '/' || v_roster);
  end if;
  if p_yes < 0 or p_no < 0 or p_abstain < 0 or p_yes + p_no + p_abstain > v_present then
    perform app.fail('affairs.tally_exceeds_attendance');
  end if;
  -- More than half of those present (strictly): a tie fails.
  v_passed := p_yes * cfg.pass_den > v_present * cfg.pass_num;
  insert into app.meetings (topic_id, step_no, roster, roster_size, present, motion, yes, no, abstain, passed, recorded_by)
  values (t.id, t.current_step, s.roster, v_roster, v_present, btrim(p_motion), p_yes, p_no, p_abstain, v_passed, (select auth.uid()))
  returning * into m;
  insert into app.meeting_attendance (meeting_id, profile_id) select distinct m.id, a from unnest(p_attendee_ids) a;
  perform app.audit(t.community_id, 'meeting.record', 'meeting', m.id::text,
                    jsonb_build_object('present', v_present, 'roster', v_roster, 'yes', p_yes, 'no', p_no, 'passed', v_passed));
  return jsonb_build_object('id', m.id, 'rosterSize', v_roster, 'present', v_present, 'yes', p_yes, 'no', p_no, 'abstain', p_abstain, 'passed', v_passed);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- Run the current step: only its role; a meeting step needs a recorded passing meeting; a publishing step publishes.
create function public.run_topic_step(p_topic_id uuid, p_minutes text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  s app.procedure_steps;
  m app.meetings;
  v_last integer;
  v_body text;
begin
  t := app.topic_at_own_step(p_topic_id);
  s := app.current_step_of(t);
  if s.roster is not null then
    select * into m from app.meetings x where x.topic_id = t.id and x.step_no = t.current_step
       and not exists (select 1 from app.topic_steps h where h.meeting_id = x.id)
     order by x.held_at desc limit 1;
    if m.id is null then
      perform app.fail('affairs.meeting_required');
    end if;
    if not m.passed then
      perform app.fail('affairs.motion_not_passed');
    end if;
  end if;
  insert into app.topic_steps (topic_id, step_no, name, outcome, minutes, meeting_id, run_by)
  values (t.id, s.step_no, s.name, 'done', coalesce(btrim(p_minutes), ''), m.id, (select auth.uid()));
  if s.publishes is not null then
    select string_agg(h.name || '：' || coalesce(nullif(h.minutes, ''), '已完成') ||
                      coalesce((select '（应到 ' || mm.roster_size || ' 人，实到 ' || mm.present || ' 人；赞成 ' || mm.yes || '，反对 ' || mm.no || '，弃权 ' || mm.abstain || '）'
                                  from app.meetings mm where mm.id = h.meeting_id), ''), E'\n' order by h.id)
      into v_body from app.topic_steps h where h.topic_id = t.id and h.outcome = 'done';
    perform app.publish_affairs(t, s.publishes, (case when s.publishes = 'decision' then '决议公示：' else '实施结果公开：' end) || t.title, v_body);
  end if;
  select max(step_no) into v_last from app.procedure_steps where template_id = t.template_id;
  update app.topics set current_step = case when s.step_no < v_last then s.step_no + 1 else current_step end,
         status = case when s.step_no >= v_last then 'decided' else status end
   where id = t.id returning * into t;
  perform app.audit(t.community_id, 'topic.step', 'topic', t.id::text, jsonb_build_object('step', s.step_no));
  return app.topic_json(t);
end
$$;

create function public.send_topic_back(p_topic_id uuid, p_to_step integer, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  s app.procedure_steps;
begin
  t := app.topic_at_own_step(p_topic_id);
  s := app.current_step_of(t);
  if p_to_step is null or p_to_step < 1 or p_to_step >= t.current_step then
    perform app.fail('affairs.invalid_send_back');
  end if;
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  insert into app.topic_steps (topic_id, step_no, name, outcome, sent_back_to, minutes, run_by)
  values (t.id, s.step_no, s.name, 'sent_back', p_to_step, btrim(p_reason), (select auth.uid()));
  update app.topics set current_step = p_to_step where id = t.id returning * into t;
  perform app.audit(t.community_id, 'topic.send_back', 'topic', t.id::text, jsonb_build_object('to', p_to_step, 'reason', p_reason));
  return app.topic_json(t);
end
$$;

-- 实施结果公开, or a correction of an earlier publication (a new record pointing to it).
create function public.publish_topic_result(p_topic_id uuid, p_body text, p_corrects uuid default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.topics;
  old app.affairs_publications;
  p app.affairs_publications;
begin
  t := app.topic_for_committee(p_topic_id);
  if t.status <> 'decided' then
    perform app.fail('affairs.not_decided');
  end if;
  if char_length(btrim(coalesce(p_body, ''))) < 4 then
    perform app.fail('core.invalid_input', 'body');
  end if;
  if p_corrects is not null then
    select * into old from app.affairs_publications where id = p_corrects and topic_id = t.id;
    if old.id is null then
      perform app.fail('affairs.publication_not_found');
    end if;
    p := app.publish_affairs(t, old.kind, '更正：' || old.title, btrim(p_body), old.id);
  else
    p := app.publish_affairs(t, 'result', '实施结果公开：' || t.title, btrim(p_body));
  end if;
  return app.publication_json(p);
end
$$;

create function public.list_affairs_publications(p_community_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when app.is_member(p_community_id) then
    (select coalesce(jsonb_agg(app.publication_json(p) order by p.published_at desc), '[]'::jsonb)
       from app.affairs_publications p where p.community_id = p_community_id) else '[]'::jsonb end;
$$;

create function public.list_roster(p_community_id uuid, p_tag text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee,supervisor}') then
    perform app.fail('core.forbidden');
  end if;
  return (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'name', coalesce(p.real_name, p.display_name)) order by coalesce(p.real_name, p.display_name)), '[]'::jsonb)
            from app.member_tags mt join app.profiles p on p.id = mt.profile_id
           where mt.community_id = p_community_id and mt.tag = p_tag);
end
$$;

create function public.list_procedures(p_community_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name,
           'steps', (select jsonb_agg(jsonb_build_object('stepNo', s.step_no, 'name', s.name, 'runBy', s.run_by, 'roster', s.roster, 'publishes', s.publishes)
                                      order by s.step_no) from app.procedure_steps s where s.template_id = t.id)) order by t.name), '[]'::jsonb)
    from app.procedure_templates t where t.community_id = p_community_id and app.is_member(p_community_id);
$$;

create function public.set_affairs_settings(p_community_id uuid, p_cosign_threshold integer, p_quorum_num integer, p_quorum_den integer,
                                            p_pass_num integer, p_pass_den integer) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.affairs_settings (community_id, cosign_threshold, quorum_num, quorum_den, pass_num, pass_den)
  values (p_community_id, p_cosign_threshold, p_quorum_num, p_quorum_den, p_pass_num, p_pass_den)
  on conflict (community_id) do update set cosign_threshold = excluded.cosign_threshold, quorum_num = excluded.quorum_num,
    quorum_den = excluded.quorum_den, pass_num = excluded.pass_num, pass_den = excluded.pass_den;
  perform app.audit(p_community_id, 'affairs.settings', 'affairs_settings', p_community_id::text);
  return jsonb_build_object('cosignThreshold', p_cosign_threshold);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- ---------------------------------------------------------------- comments

create function public.comment_on_topic(p_topic_id uuid, p_body text) returns jsonb
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
  return jsonb_build_object('id', c.id, 'checkStatus', c.check_status);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.settle_comment_check(p_comment_id uuid, p_passed boolean, p_provider text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare c app.topic_comments;
begin
  update app.topic_comments set check_status = case when p_passed then 'passed' else 'rejected' end, check_provider = p_provider
   where id = p_comment_id and check_status = 'pending' returning * into c;
  if c.id is null then
    perform app.fail('affairs.comment_not_found');
  end if;
  return jsonb_build_object('id', c.id, 'checkStatus', c.check_status);
end
$$;

create function public.hide_topic_comment(p_comment_id uuid, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  c app.topic_comments;
  v_community uuid;
begin
  perform app.require_uid();
  select * into c from app.topic_comments where id = p_comment_id for update;
  select community_id into v_community from app.topics where id = c.topic_id;
  if c.id is null or not app.has_role(v_community, '{committee}') then
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

-- ---------------------------------------------------------------- polls

create function public.create_poll(p_community_id uuid, p_title text, p_description text, p_options text[], p_multiple boolean,
                                   p_electorate text, p_live_results boolean, p_opens_at timestamptz, p_closes_at timestamptz) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare p app.polls;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  insert into app.polls (community_id, title, description, multiple, options, electorate, live_results, opens_at, closes_at, created_by)
  values (p_community_id, btrim(p_title), coalesce(p_description, ''), p_multiple,
          (select jsonb_agg(jsonb_build_object('id', i, 'label', btrim(o)) order by i) from unnest(p_options) with ordinality u(o, i)),
          p_electorate, p_live_results, coalesce(p_opens_at, now()), p_closes_at, (select auth.uid()))
  returning * into p;
  perform app.audit(p_community_id, 'poll.create', 'poll', p.id::text);
  return public.get_poll(p.id);
exception
  when check_violation or not_null_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- The voter key: the person, or their household in a household poll; null when not in the electorate.
create function app.voter_key(p app.polls) returns uuid
language sql stable security definer set search_path = '' as $$
  select case when p.electorate = 'residents' then
           (select m.profile_id from app.memberships m where m.profile_id = (select auth.uid()) and m.community_id = p.community_id and m.role = 'resident' limit 1)
         else
           (select m.household_id from app.memberships m where m.profile_id = (select auth.uid()) and m.community_id = p.community_id and m.role = 'resident' limit 1)
         end;
$$;

create function public.get_poll(p_poll_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  p app.polls;
  v_show boolean;
  v_key uuid;
begin
  perform app.require_uid();
  select * into p from app.polls where id = p_poll_id;
  if p.id is null or not app.is_member(p.community_id) then
    perform app.fail('affairs.poll_not_found');
  end if;
  v_show := p.closes_at <= now() or p.live_results;
  v_key := app.voter_key(p);
  return jsonb_build_object(
    'id', p.id, 'title', p.title, 'description', p.description, 'multiple', p.multiple, 'options', p.options,
    'electorate', p.electorate, 'liveResults', p.live_results, 'opensAt', p.opens_at, 'closesAt', p.closes_at,
    'open', p.opens_at <= now() and p.closes_at > now(), 'eligible', v_key is not null,
    'voted', v_key is not null and exists (select 1 from app.poll_voters v where v.poll_id = p.id and v.voter_key = v_key),
    'turnout', (select count(*) from app.poll_voters v where v.poll_id = p.id),
    'results', case when v_show then (
      select jsonb_agg(jsonb_build_object('id', (o ->> 'id')::integer, 'label', o ->> 'label',
               'votes', (select count(*) from app.poll_ballots b where b.poll_id = p.id and (o ->> 'id')::integer = any (b.choices)))
               order by (o ->> 'id')::integer)
        from jsonb_array_elements(p.options) o) end);
end
$$;

create function public.list_polls(p_community_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when app.is_member(p_community_id) then
    (select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'title', p.title, 'closesAt', p.closes_at,
             'open', p.opens_at <= now() and p.closes_at > now(), 'electorate', p.electorate,
             'voted', exists (select 1 from app.poll_voters v where v.poll_id = p.id and v.voter_key = app.voter_key(p)))
             order by p.closes_at desc), '[]'::jsonb)
       from app.polls p where p.community_id = p_community_id) else '[]'::jsonb end;
$$;

-- One ballot per person or household. The voter row and the ballot row share nothing.
create function public.cast_vote(p_poll_id uuid, p_choices integer[], p_idempotency_key text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  p app.polls;
  v_key uuid;
  v_existing text;
begin
  perform app.require_uid();
  select * into p from app.polls where id = p_poll_id;
  if p.id is null or not app.is_member(p.community_id) then
    perform app.fail('affairs.poll_not_found');
  end if;
  v_key := app.voter_key(p);
  if v_key is null then
    perform app.fail('affairs.not_in_electorate');
  end if;
  if now() < p.opens_at or now() >= p.closes_at then
    perform app.fail('affairs.poll_closed');
  end if;
  if p_choices is null or cardinality(p_choices) = 0 or (not p.multiple and cardinality(p_choices) > 1)
     or exists (select 1 from unnest(p_choices) c where c not between 1 and jsonb_array_length(p.options))
     or (select count(distinct c) from unnest(p_choices) c) <> cardinality(p_choices) then
    perform app.fail('affairs.invalid_choice');
  end if;
  insert into app.poll_voters (poll_id, voter_key, idempotency_key) values (p.id, v_key, p_idempotency_key)
  on conflict (poll_id, voter_key) do nothing;
  if not found then
    select idempotency_key into v_existing from app.poll_voters where poll_id = p.id and voter_key = v_key;
    if v_existing = p_idempotency_key then
      return jsonb_build_object('pollId', p.id, 'voted', true); -- a retry of the same ballot
    end if;
    perform app.fail('affairs.already_voted');
  end if;
  insert into app.poll_ballots (poll_id, choices) values (p.id, p_choices);
  return jsonb_build_object('pollId', p.id, 'voted', true);
end
$$;

-- ---------------------------------------------------------------- grants

revoke execute on all functions in schema public from public, anon;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to authenticated, service_role;
revoke execute on function app.publish_affairs(app.topics, text, text, text, uuid) from authenticated;
grant execute on function public.raise_topic(uuid, text, text), public.cosign_topic(uuid), public.get_topic(uuid), public.list_topics(uuid),
  public.take_up_topic(uuid, uuid), public.answer_topic(uuid, text), public.record_meeting(uuid, text, uuid[], integer, integer, integer),
  public.run_topic_step(uuid, text), public.send_topic_back(uuid, integer, text), public.publish_topic_result(uuid, text, uuid),
  public.list_affairs_publications(uuid), public.list_roster(uuid, text), public.list_procedures(uuid),
  public.set_affairs_settings(uuid, integer, integer, integer, integer, integer), public.comment_on_topic(uuid, text),
  public.hide_topic_comment(uuid, text), public.create_poll(uuid, text, text, text[], boolean, text, boolean, timestamptz, timestamptz),
  public.get_poll(uuid), public.list_polls(uuid), public.cast_vote(uuid, integer[], text)
  to authenticated;
grant execute on function public.settle_comment_check(uuid, boolean, text) to service_role;
