-- Hardening: who may execute what, sessions that can be revoked, and request limits kept in Postgres.
--
-- Rules enforced here:
--   * no function is executable by PUBLIC by default (Postgres grants EXECUTE to PUBLIC on every new
--     function); internals in schema app that write (volatile) are executable by no API role at all —
--     earlier migrations re-granted them to `authenticated`, which let a signed-in SQL caller run
--     app.post_points; read helpers that RLS policies and invoker functions need stay granted;
--   * every request of a signed-in person is checked against their profile first (public.check_request,
--     PostgREST's db-pre-request): the profile must exist and the token's session version must be the
--     current one, so "sign out everywhere", account deletion and a deleted profile take effect at once;
--   * request limits (per client address for sign-in, per person for writes, per person and activity for
--     check-in codes) are counted in one table shared by every API instance.

-- ---------------------------------------------------------------- execute privileges

-- From now on nothing the migrations create is executable by PUBLIC until granted explicitly.
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

revoke execute on all functions in schema app from public, anon, authenticated;

-- Read helpers (stable or immutable, no writes) are evaluated by RLS policies and security invoker
-- functions as the caller, so the caller needs EXECUTE on them. Helpers that answer questions about
-- another person (their consent, pending points, roles, public name) are only used inside security
-- definer functions and stay closed; app.masked_name_of (a masked name, what others may see) stays open.
do $$
declare f regprocedure;
begin
  for f in
    select p.oid::regprocedure
      from pg_catalog.pg_proc p
     where p.pronamespace = 'app'::regnamespace
       and p.prokind = 'f'
       and p.provolatile in ('s', 'i')
       and p.prorettype <> 'trigger'::regtype
       and p.proname not in ('has_consent', 'pending_points', 'points_summary', 'display_name_for_public',
                             'has_role_of')
  loop
    execute format('grant execute on function %s to authenticated', f);
  end loop;
end
$$;

-- ---------------------------------------------------------------- sessions

alter table app.profiles add column session_version integer not null default 1 check (session_version >= 1);
comment on column app.profiles.session_version is
  'Tokens carry the version they were issued under (claim sv); raising it signs the person out everywhere.';

-- Run before every request (our pg adapter calls it in the same transaction; on Supabase it is
-- PostgREST's db-pre-request). Only signed-in callers are checked.
create function public.check_request() returns void
language plpgsql stable security definer set search_path = '' as $$
declare
  v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  v_sub uuid;
  v_version integer;
begin
  if v_claims is null or v_claims ->> 'role' is distinct from 'authenticated' then
    return;
  end if;
  begin
    v_sub := (v_claims ->> 'sub')::uuid;
  exception when others then
    perform app.fail('auth.invalid_token');
  end;
  select p.session_version into v_version from app.profiles p where p.id = v_sub;
  if v_version is null or (v_claims ->> 'sv') is distinct from v_version::text then
    perform app.fail('auth.invalid_token');
  end if;
end
$$;
comment on function public.check_request is
  'db-pre-request: the token''s profile must exist and its session version must be current.';
-- PostgREST runs the pre-request as the request's role, anonymous callers included.
grant execute on function public.check_request() to anon, authenticated, service_role;

do $$
begin
  if exists (select 1 from pg_catalog.pg_roles where rolname = 'authenticator') then
    execute 'alter role authenticator set pgrst.db_pre_request = ''public.check_request''';
    notify pgrst, 'reload config';
  end if;
end
$$;

-- Sign out on every device: tokens issued before stop working on their next request.
create function public.revoke_my_sessions() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_version integer;
begin
  update app.profiles set session_version = session_version + 1 where id = v_uid
  returning session_version into v_version;
  perform app.audit(null, 'session.revoke_all', 'profile', v_uid::text);
  return jsonb_build_object('sessionVersion', v_version);
end
$$;
grant execute on function public.revoke_my_sessions() to authenticated;

-- Sign-in answers carry the session version the token is signed with.
create or replace function public.upsert_wechat_profile(p_openid text, p_unionid text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v app.profiles;
begin
  if p_openid is null or char_length(p_openid) not between 6 and 64 then
    perform app.fail('core.invalid_input', 'openid');
  end if;
  insert into app.profiles as p (wechat_openid, wechat_unionid, last_login_at)
  values (p_openid, p_unionid, now())
  on conflict (wechat_openid) do update
     set last_login_at = now(), wechat_unionid = coalesce(excluded.wechat_unionid, p.wechat_unionid)
  returning * into v;
  return jsonb_build_object('profile', app.profile_json(v), 'sessionVersion', v.session_version);
end
$$;

create or replace function public.dev_login_profile(p_persona text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v app.profiles;
begin
  update app.profiles set last_login_at = now() where persona = p_persona returning * into v;
  if v.id is null then
    perform app.fail('auth.unknown_persona');
  end if;
  return jsonb_build_object('profile', app.profile_json(v), 'sessionVersion', v.session_version);
end
$$;

-- ---------------------------------------------------------------- request limits

-- Counts one request in each bucket ({bucket, limit, window} in seconds) and refuses when any bucket is
-- over its limit in the current fixed window. The API runs it in its own transaction before the request's
-- own, so a refused or failed request is still counted.
create function public.enforce_rate_limits(p_limits jsonb) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  l jsonb;
  v_window_seconds integer;
  v_window timestamptz;
  v_hits integer;
begin
  for l in select value from jsonb_array_elements(coalesce(p_limits, '[]'::jsonb)) loop
    v_window_seconds := greatest((l ->> 'window')::integer, 1);
    v_window := to_timestamp(floor(extract(epoch from now()) / v_window_seconds) * v_window_seconds);
    insert into app.rate_limits as r (bucket, window_start, hits)
    values (left(l ->> 'bucket', 200), v_window, 1)
    on conflict (bucket, window_start) do update set hits = r.hits + 1
    returning hits into v_hits;
    if v_hits > (l ->> 'limit')::integer then
      raise exception using errcode = 'P0001', message = 'request.rate_limited',
        detail = 'retry:' || ceil(extract(epoch from (v_window + make_interval(secs => v_window_seconds) - now())))::integer;
    end if;
  end loop;
end
$$;
grant execute on function public.enforce_rate_limits(jsonb) to service_role;
create index rate_limits_window_idx on app.rate_limits (window_start);

-- Superseded by enforce_rate_limits.
drop function public.hit_rate_limit(text, integer, integer);
