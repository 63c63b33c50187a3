-- What a Supabase database provides and a plain Postgres lacks.
-- Applied by scripts/migrate.ts only when the database is not Supabase (no `supabase_admin` role);
-- never pushed to a Supabase project. Idempotent: safe to run on every start.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    -- service_role bypasses RLS on Supabase; the same here.
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

-- Let the connecting user switch into the API roles, as Supabase's `authenticator` does.
do $$
begin
  execute format('grant anon, authenticated, service_role to %I', current_user);
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- PostgREST sets request.jwt.claims with set_config(..., true); once that transaction ends
-- the setting reads back as '' (not null), so every reader treats '' as "no claims".
create or replace function auth.jwt() returns jsonb
language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb;
$$;

create or replace function auth.uid() returns uuid
language sql stable as $$
  select nullif(auth.jwt() ->> 'sub', '')::uuid;
$$;

create or replace function auth.role() returns text
language sql stable as $$
  select nullif(auth.jwt() ->> 'role', '');
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

-- Supabase grants these on schema public by default.
grant usage on schema public to anon, authenticated, service_role;

-- pg_cron exists on Supabase; locally the Node server runs scheduled jobs with a timer instead.
