-- Files: photos and documents uploaded from the phone, attached to the records they belong to.
--
-- Rules enforced here:
--   * an upload belongs to its uploader and one community; the uploader must be a member of it, and only
--     staff may upload for staff records (notices, 财务公开 vouchers, goods);
--   * size caps per kind (photo 10 MB before processing, document 20 MB); the API checks the type by its
--     bytes, re-encodes images without EXIF and records size and SHA-256 through complete_upload (service
--     role) — a file is 'ready' only after that;
--   * a file is attached once, to one record of its purpose, by someone who may change that record (the
--     applicant or a consented helper, the committee for a draft notice, …); attached files are never
--     detached, so a published notice's files are sealed with it;
--   * who may read a file: its uploader always; staff of its community; anyone who may see the record it is
--     attached to, once the content check passed (WeChat's media check in production) — as for text;
--   * uploads never attached are removed after a day by the scheduled job (expire_orphan_files).

create table app.files (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  owner_id uuid not null references app.profiles (id),
  kind text not null check (kind in ('photo', 'document')),
  purpose text not null check (purpose in ('application', 'notice', 'finance', 'goods', 'topic', 'activity', 'grid_report')),
  original_name text not null check (char_length(original_name) between 1 and 120),
  declared_size integer not null check (declared_size between 1 and 20971520),
  content_type text check (content_type is null or content_type in ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size integer check (size is null or size between 1 and 20971520),
  sha256 text check (sha256 is null or sha256 ~ '^[0-9a-f]{64}$'),
  width integer check (width is null or width between 1 and 20000),
  height integer check (height is null or height between 1 and 20000),
  storage_key text not null unique,
  status text not null default 'uploading' check (status in ('uploading', 'ready', 'refused')),
  refusal text check (refusal is null or char_length(refusal) <= 200),
  check_status text not null default 'pending' check (check_status in ('pending', 'passed', 'rejected')),
  check_provider text,
  check_trace_id text unique,
  entity text check (entity is null or entity in ('application', 'notice', 'finance', 'goods', 'topic', 'activity', 'grid_report')),
  entity_id uuid,
  idempotency_key text not null check (char_length(idempotency_key) between 8 and 100),
  created_at timestamptz not null default now(),
  ready_at timestamptz,
  attached_at timestamptz,
  unique (owner_id, idempotency_key),
  check ((entity is null) = (entity_id is null)),
  check ((entity is null) = (attached_at is null)),
  check (entity is null or status = 'ready'),
  check (kind = 'photo' and declared_size <= 10485760 or kind = 'document'),
  check ((status = 'ready') = (ready_at is not null and sha256 is not null and size is not null and content_type is not null))
);
comment on table app.files is 'Uploaded photos and documents: who uploaded, where they are stored, their checks, and the record they are attached to.';
create index files_entity_idx on app.files (community_id, entity, entity_id, attached_at) where entity is not null;
create index files_owner_idx on app.files (owner_id, created_at);
create index files_orphans_idx on app.files (created_at) where entity is null;

alter table app.files enable row level security;
grant select (id, community_id, owner_id, kind, purpose, original_name, content_type, size, width, height, status, check_status,
              entity, entity_id, created_at, ready_at, attached_at) on app.files to authenticated;
create policy "Uploaders see their own files" on app.files for select to authenticated using (owner_id = (select auth.uid()));
create policy "Staff see their community's files" on app.files for select to authenticated
  using (community_id = any ((select app.my_community_ids('{committee,clerk,grid_worker,supervisor,admin}'))::uuid[]));
grant all on app.files to service_role;

-- ---------------------------------------------------------------- who may attach to and read which record

-- The community of a record of a kind (null when there is no such record).
create function app.entity_community(p_entity text, p_entity_id uuid) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare v uuid;
begin
  case p_entity
    when 'application' then select community_id into v from app.applications where id = p_entity_id;
    when 'notice', 'finance' then select community_id into v from app.notices where id = p_entity_id;
    when 'goods' then select community_id into v from app.goods where id = p_entity_id;
    when 'topic' then select community_id into v from app.topics where id = p_entity_id;
    when 'activity' then select community_id into v from app.activities where id = p_entity_id;
    else v := null;
  end case;
  return v;
end
$$;

-- May the caller see the record (and so its checked files)?
create function app.can_read_entity(p_entity text, p_entity_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  t app.topics;
begin
  case p_entity
    when 'application' then return app.can_see_application(p_entity_id);
    when 'notice', 'finance' then
      return app.can_read_notice(p_entity_id)
          or exists (select 1 from app.notices n where n.id = p_entity_id and app.is_overseer(n.community_id));
    when 'goods' then return exists (select 1 from app.goods g where g.id = p_entity_id and app.is_member(g.community_id));
    when 'topic' then
      select * into t from app.topics where id = p_entity_id;
      return t.id is not null and app.can_see_topic(t);
    when 'activity' then return app.can_see_activity(p_entity_id);
    else return false;
  end case;
end
$$;

-- May the caller attach files to the record (change it)?
create function app.can_attach(p_entity text, p_entity_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare v_uid uuid := (select auth.uid());
begin
  case p_entity
    when 'application' then
      -- The applicant, a helper the applicant consented to, or the window's staff; not after the case closed.
      return exists (select 1 from app.applications a where a.id = p_entity_id and a.status not in ('completed', 'rejected') and (
               a.applicant_id = v_uid
               or app.has_role(a.community_id, '{clerk,committee}')
               or exists (select 1 from app.proxy_requests p where p.application_id = a.id and p.helper_id = v_uid and p.status = 'consented')));
    when 'notice', 'finance' then
      -- The committee, while the notice has never been published (a published notice is sealed).
      return exists (select 1 from app.notices n where n.id = p_entity_id and n.first_published_at is null
                        and app.has_role(n.community_id, '{committee,admin}'));
    when 'goods' then return exists (select 1 from app.goods g where g.id = p_entity_id and app.has_role(g.community_id, '{committee,clerk}'));
    when 'topic' then
      return exists (select 1 from app.topics t where t.id = p_entity_id and t.status = 'collecting'
                        and (t.raised_by = v_uid or app.has_role(t.community_id, '{committee}')));
    when 'activity' then return app.can_organize(p_entity_id);
    else return false;
  end case;
end
$$;

-- ---------------------------------------------------------------- uploads

create function app.file_json(f app.files) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', f.id, 'kind', f.kind, 'purpose', f.purpose, 'name', f.original_name, 'contentType', f.content_type,
                            'size', f.size, 'width', f.width, 'height', f.height, 'status', f.status, 'refusal', f.refusal,
                            'checkStatus', f.check_status, 'entity', f.entity, 'entityId', f.entity_id, 'createdAt', f.created_at,
                            'mine', coalesce(f.owner_id = (select auth.uid()), false));
$$;

-- Start an upload: a row that reserves a storage key. Retrying with the same key returns the same upload.
create function public.create_upload(p_community_id uuid, p_kind text, p_purpose text, p_name text, p_size integer,
                                     p_idempotency_key text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  f app.files;
  v_id uuid := gen_random_uuid();
begin
  select * into f from app.files where owner_id = v_uid and idempotency_key = p_idempotency_key;
  if f.id is not null then
    return app.file_json(f) || jsonb_build_object('storageKey', f.storage_key);
  end if;
  if not app.is_member(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  if p_purpose in ('notice', 'finance', 'goods') and not app.has_role(p_community_id, '{committee,clerk,admin}') then
    perform app.fail('core.forbidden');
  end if;
  if p_kind not in ('photo', 'document') then
    perform app.fail('core.invalid_input', 'field:kind');
  end if;
  if p_size is null or p_size < 1 or p_size > (case when p_kind = 'photo' then 10485760 else 20971520 end) then
    perform app.fail('files.too_large', 'field:size');
  end if;
  insert into app.files (id, community_id, owner_id, kind, purpose, original_name, declared_size, storage_key, idempotency_key)
  values (v_id, p_community_id, v_uid, p_kind, p_purpose, left(btrim(p_name), 120), p_size,
          p_community_id::text || '/' || to_char(now() at time zone 'Asia/Shanghai', 'YYYY/MM') || '/' || v_id::text,
          p_idempotency_key)
  returning * into f;
  perform app.audit(p_community_id, 'file.upload', 'file', f.id::text, jsonb_build_object('purpose', p_purpose, 'kind', p_kind));
  return app.file_json(f) || jsonb_build_object('storageKey', f.storage_key);
exception
  when unique_violation then
    select * into f from app.files where owner_id = v_uid and idempotency_key = p_idempotency_key;
    return app.file_json(f) || jsonb_build_object('storageKey', f.storage_key);
end
$$;

-- The API's view of an upload it is about to process (service role): whose it is and where it is stored.
create function public.get_upload_for_processing(p_file_id uuid, p_owner_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select app.file_json(f) || jsonb_build_object('storageKey', f.storage_key, 'declaredSize', f.declared_size, 'ownerId', f.owner_id)
    from app.files f where f.id = p_file_id and f.owner_id = p_owner_id;
$$;

-- The server recorded what it found in the bytes (service role): ready with type, size and hash, or refused.
create function public.complete_upload(p_file_id uuid, p_content_type text, p_size integer, p_sha256 text, p_width integer,
                                       p_height integer, p_refusal text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare f app.files;
begin
  if p_refusal is not null then
    update app.files set status = 'refused', refusal = left(p_refusal, 200)
     where id = p_file_id and status = 'uploading' returning * into f;
  else
    update app.files set status = 'ready', content_type = p_content_type, size = p_size, sha256 = p_sha256, width = p_width,
                         height = p_height, ready_at = now()
     where id = p_file_id and status = 'uploading' returning * into f;
  end if;
  if f.id is null then
    select * into f from app.files where id = p_file_id;
    if f.id is null then
      perform app.fail('files.not_found');
    end if;
  end if;
  return app.file_json(f);
end
$$;

-- The content check's verdict (service role), by file or by the check's trace id (WeChat answers later).
create function public.settle_file_check(p_file_id uuid, p_passed boolean, p_provider text, p_trace_id text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare f app.files;
begin
  update app.files set check_status = case when p_passed then 'passed' else 'rejected' end, check_provider = p_provider
   where (id = p_file_id or (p_trace_id is not null and check_trace_id = p_trace_id)) and check_status = 'pending'
  returning * into f;
  if f.id is null then
    perform app.fail('files.not_found');
  end if;
  return app.file_json(f);
end
$$;

-- WeChat's asynchronous media check answers with a trace id: remember it (service role).
create function public.set_file_check_trace(p_file_id uuid, p_trace_id text) returns void
language sql volatile security definer set search_path = '' as $$
  update app.files set check_trace_id = p_trace_id where id = p_file_id;
$$;

-- Attach the caller's ready uploads to a record they may change. All or nothing.
create function public.attach_files(p_entity text, p_entity_id uuid, p_file_ids uuid[]) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_community uuid := app.entity_community(p_entity, p_entity_id);
  v_count integer;
  v_total integer;
begin
  if v_community is null or not app.can_read_entity(p_entity, p_entity_id) then
    perform app.fail('files.record_not_found');
  end if;
  if not app.can_attach(p_entity, p_entity_id) then
    perform app.fail('core.forbidden');
  end if;
  if coalesce(cardinality(p_file_ids), 0) = 0 or cardinality(p_file_ids) > 9 then
    perform app.fail('files.too_many', 'field:fileIds');
  end if;
  select count(*) into v_total from app.files where entity = p_entity and entity_id = p_entity_id;
  if v_total + cardinality(p_file_ids) > 20 then
    perform app.fail('files.too_many', 'field:fileIds');
  end if;
  update app.files f set entity = p_entity, entity_id = p_entity_id, attached_at = now()
   where f.id = any (p_file_ids) and f.owner_id = v_uid and f.community_id = v_community and f.status = 'ready'
     and f.entity is null and f.purpose = p_entity;
  get diagnostics v_count = row_count;
  if v_count <> (select count(distinct x) from unnest(p_file_ids) x) then
    -- Someone else's file, another community's, another purpose's, not ready, or already attached.
    perform app.fail('files.not_attachable');
  end if;
  perform app.audit(v_community, 'file.attach', p_entity, p_entity_id::text, jsonb_build_object('files', to_jsonb(p_file_ids)));
  return (select jsonb_build_object('attached', v_count));
end
$$;

-- The files of a record the caller may see: checked ones (and the caller's own, and staff see all), newest
-- first, at most 20 (a record holds at most 20). Storage keys are for the API to sign links; it strips them.
create function public.list_files(p_entity text, p_entity_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_community uuid := app.entity_community(p_entity, p_entity_id);
  v_staff boolean;
begin
  if v_community is null or not app.can_read_entity(p_entity, p_entity_id) then
    perform app.fail('files.record_not_found');
  end if;
  v_staff := app.is_staff(v_community);
  return (select coalesce(jsonb_agg(app.file_json(f) || jsonb_build_object('storageKey', f.storage_key) order by f.attached_at, f.id), '[]'::jsonb)
            from (select * from app.files x
                   where x.community_id = v_community and x.entity = p_entity and x.entity_id = p_entity_id
                     and (x.check_status = 'passed' or x.owner_id = v_uid or v_staff)
                   order by x.attached_at, x.id limit 20) f);
end
$$;

-- One file (its own page or a download): the uploader, staff, or anyone who may see its record once checked.
create function public.get_file(p_file_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  f app.files;
begin
  select * into f from app.files where id = p_file_id;
  if f.id is null or not (
       f.owner_id = v_uid
       or app.is_staff(f.community_id)
       or (f.entity is not null and f.check_status = 'passed' and app.can_read_entity(f.entity, f.entity_id))) then
    perform app.fail('files.not_found');
  end if;
  if f.status <> 'ready' then
    perform app.fail('files.not_ready');
  end if;
  return app.file_json(f) || jsonb_build_object('storageKey', f.storage_key);
end
$$;

-- Remove one's own upload before it is attached (a wrong photo).
create function public.delete_upload(p_file_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  f app.files;
begin
  delete from app.files where id = p_file_id and owner_id = v_uid and entity is null returning * into f;
  if f.id is null then
    perform app.fail('files.not_found');
  end if;
  perform app.audit(f.community_id, 'file.delete', 'file', f.id::text);
  return jsonb_build_object('id', f.id, 'storageKey', f.storage_key);
end
$$;

-- Uploads never attached within a day (service role, scheduled): their rows go, their keys are returned so
-- the server removes the stored objects.
create function public.expire_orphan_files(p_limit integer default 200) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v jsonb;
begin
  with gone as (
    delete from app.files f
     where f.id in (select x.id from app.files x where x.entity is null and x.created_at < now() - interval '1 day'
                     order by x.created_at limit least(greatest(p_limit, 1), 1000) for update skip locked)
    returning f.storage_key)
  select coalesce(jsonb_agg(storage_key), '[]'::jsonb) into v from gone;
  return jsonb_build_object('removed', jsonb_array_length(v), 'storageKeys', v);
end
$$;

grant execute on function app.file_json(app.files), app.entity_community(text, uuid), app.can_read_entity(text, uuid),
  app.can_attach(text, uuid) to authenticated;
grant execute on function public.create_upload(uuid, text, text, text, integer, text), public.attach_files(text, uuid, uuid[]),
  public.list_files(text, uuid), public.get_file(uuid), public.delete_upload(uuid) to authenticated;
grant execute on function public.get_upload_for_processing(uuid, uuid), public.complete_upload(uuid, text, integer, text, integer, integer, text),
  public.settle_file_check(uuid, boolean, text, text), public.set_file_check_trace(uuid, text), public.expire_orphan_files(integer)
  to service_role;

-- Goods pictures: the newest checked photo attached to the good, if any (a link stays possible).
create or replace function app.goods_picture_key(p_goods uuid) returns text
language sql stable security definer set search_path = '' as $$
  select f.storage_key from app.files f
   where f.entity = 'goods' and f.entity_id = p_goods and f.status = 'ready' and f.check_status = 'passed' and f.kind = 'photo'
   order by f.attached_at desc limit 1;
$$;
grant execute on function app.goods_picture_key(uuid) to authenticated;

-- As in 20261122000400_mall.sql, plus the storage key of an uploaded picture (the API turns it into a link).
create or replace function app.goods_json(g app.goods) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', g.id, 'name', g.name, 'description', g.description, 'pictureUrl', g.picture_url, 'pricePoints', g.price_points,
    'stock', g.stock, 'reserved', g.reserved, 'handedOver', g.handed_over, 'totalStocked', g.total_stocked,
    'perPersonLimit', g.per_person_limit, 'limitPeriod', g.limit_period, 'availableFrom', g.available_from,
    'availableUntil', g.available_until, 'onShelf', g.on_shelf, 'pickupDays', g.pickup_days,
    'available', g.on_shelf and g.stock > 0 and (g.available_from is null or g.available_from <= now())
                 and (g.available_until is null or g.available_until > now()),
    'myCountThisPeriod', (select count(*) from app.redemptions r where r.goods_id = g.id and r.profile_id = (select auth.uid())
                           and r.status in ('reserved', 'handed_over') and r.created_at >= app.period_start(g.limit_period)),
    'pictureKey', app.goods_picture_key(g.id));
$$;
