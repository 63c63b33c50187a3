-- A department called onto a 随手拍 answers 报到 with after-photos, but its contact is street staff, not a
-- member of the community: let them upload photos for reports (attaching still needs a call on that very
-- report, app.can_attach). As in 20261130003000_files.sql otherwise.
create or replace function public.create_upload(p_community_id uuid, p_kind text, p_purpose text, p_name text, p_size integer,
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
  -- Members of the community; and a street department's contact for photos of the 随手拍 they answer.
  if not app.is_member(p_community_id)
     and not (p_purpose = 'grid_report' and exists (
       select 1 from app.department_contacts ct join app.departments d on d.id = ct.department_id
         join app.communities c on c.street_id = d.street_id
        where ct.profile_id = v_uid and c.id = p_community_id)) then
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
