-- The street dashboard's export is audited like every other export (export_register audits the registers).
create function public.audit_street_export(p_street_id uuid, p_from date, p_to date, p_rows integer) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
begin
  if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = app.require_uid()) then
    perform app.fail('admin.street_admin_only');
  end if;
  perform app.check_period(p_from, p_to);
  perform app.audit(null, 'export.street_dashboard', 'street', p_street_id::text, jsonb_build_object('from', p_from, 'to', p_to, 'rows', p_rows));
  return jsonb_build_object('audited', true);
end
$$;
grant execute on function public.audit_street_export(uuid, date, date, integer) to authenticated;
