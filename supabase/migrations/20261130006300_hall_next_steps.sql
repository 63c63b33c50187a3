-- A case's next steps in one place: the clerk's page shows what the database would accept (nextSteps in the
-- case's JSON) instead of keeping its own copy of the transitions. Nothing else changes.

create or replace function app.application_next_steps(p_from app.application_status) returns app.application_status[]
language sql immutable set search_path = '' as $$
  select case p_from
    when 'submitted' then array['accepted', 'returned', 'rejected']::app.application_status[]
    when 'accepted' then array['processing', 'returned', 'rejected']::app.application_status[]
    when 'processing' then array['completed', 'returned']::app.application_status[]
    else array[]::app.application_status[]
  end;
$$;
revoke execute on function app.application_next_steps(app.application_status) from public, anon, authenticated;

create or replace function app.application_json(a app.applications) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', a.id, 'status', a.status, 'statusLabel', app.status_label(a.status), 'itemId', a.item_id,
    'itemName', i.name, 'department', i.department, 'formData', a.form_data, 'form', i.form, 'attachments', a.attachments,
    'dueOn', a.due_on, 'overdue', a.due_on < app.today() and a.status not in ('completed', 'rejected'),
    'createdAt', a.created_at, 'updatedAt', a.updated_at,
    'applicant', case when a.applicant_id = (select auth.uid()) then (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = a.applicant_id)
                      else app.masked_name_of(a.applicant_id) end,
    'mine', a.applicant_id = (select auth.uid()),
    'rating', a.rating, 'ratingComment', a.rating_comment, 'ratedAt', a.rated_at,
    'canProcess', app.has_role(a.community_id, '{clerk}'),
    'nextSteps', case when app.has_role(a.community_id, '{clerk}') then to_jsonb(app.application_next_steps(a.status)) else '[]'::jsonb end,
    'helper', (select jsonb_build_object('requestId', p.id, 'name', app.masked_name_of(p.helper_id), 'status', p.status,
                                          'isMe', p.helper_id = (select auth.uid()))
                 from app.proxy_requests p where p.application_id = a.id and p.status in ('assigned', 'consented') limit 1),
    'rectification', (select jsonb_build_object('id', r.id, 'status', r.status, 'dueOn', r.due_on, 'closedNote', r.closed_note)
                        from app.rectifications r where r.application_id = a.id),
    'timeline', (select coalesce(jsonb_agg(jsonb_build_object(
                   'at', e.at, 'from', e.from_status, 'to', e.to_status, 'toLabel', app.status_label(e.to_status), 'note', e.note,
                   'actor', app.masked_name_of(e.actor_id), 'onBehalfOf', app.masked_name_of(e.on_behalf_of),
                   'byApplicant', e.actor_id = a.applicant_id) order by e.at, e.id), '[]'::jsonb)
                   from app.application_events e where e.application_id = a.id))
    from app.service_items i where i.id = a.item_id;
$$;


create or replace function public.advance_application(p_application_id uuid, p_to text, p_note text default '') returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a app.applications;
  v_from app.application_status;
  v_to app.application_status;
begin
  perform app.require_uid();
  select * into a from app.applications where id = p_application_id for update;
  if a.id is null or not app.can_see_application(a.id) then
    perform app.fail('hall.application_not_found');
  end if;
  if not app.has_role(a.community_id, '{clerk}') then
    perform app.fail('core.forbidden');
  end if;
  v_to := p_to::app.application_status;
  v_from := a.status;
  if not (v_to = any (app.application_next_steps(v_from))) then
    perform app.fail('hall.invalid_transition', v_from || '->' || v_to);
  end if;
  if v_to in ('returned', 'rejected') and char_length(btrim(coalesce(p_note, ''))) < 2 then
    perform app.fail('hall.note_required');
  end if;
  update app.applications set status = v_to, updated_at = now() where id = a.id returning * into a;
  perform app.record_step(a, v_from, btrim(coalesce(p_note, '')), null);
  return app.application_json(a);
exception
  when invalid_text_representation then
    perform app.fail('hall.invalid_transition', p_to);
end
$$;

