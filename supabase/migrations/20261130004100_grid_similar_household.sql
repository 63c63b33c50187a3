-- "同一件事？" for a report at my own household: with neither a building nor a place given, look at my
-- household's building (the form does not know the building id of "本户"). As in 20261130004000_grid.sql otherwise.
create or replace function public.find_similar_reports(p_community_id uuid, p_category text, p_building_id uuid default null, p_place_id uuid default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_building uuid := p_building_id;
begin
  if not app.is_member(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  if v_building is null and p_place_id is null then
    select h.building_id into v_building from app.memberships m join app.households h on h.id = m.household_id
     where m.profile_id = v_uid and m.community_id = p_community_id and m.role = 'resident' limit 1;
  end if;
  return (select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'categoryName', c.name, 'description', left(r.description, 60),
            'statusLabel', app.report_status_label(r.status), 'createdAt', r.created_at,
            'followers', (select count(*) from app.report_followers f where f.report_id = r.id)) order by r.created_at desc), '[]'::jsonb)
            from (select * from app.grid_reports x
                   where x.community_id = p_community_id and x.category = p_category and x.status in ('reported', 'accepted', 'in_progress')
                     and x.created_at > now() - interval '1 day'
                     and ((v_building is not null and x.building_id = v_building) or (p_place_id is not null and x.place_id = p_place_id))
                     -- Not the ones I already follow.
                     and not exists (select 1 from app.report_followers f where f.report_id = x.id and f.profile_id = v_uid)
                   order by x.created_at desc limit 5) r
            join app.report_categories c on c.community_id = r.community_id and c.code = r.category);
end
$$;

-- The households a grid worker (their grids) or the committee (the whole community) may visit or name as
-- parties to a dispute, by address, with residents' names masked.
create function public.list_grid_households(p_community_id uuid, p_q text default null, p_limit integer default 50, p_cursor text default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_all boolean := app.is_committee(p_community_id);
  v_grids uuid[] := app.my_worker_grid_ids();
  v_q text := nullif(btrim(coalesce(p_q, '')), '');
  v_rows jsonb;
begin
  perform app.require_uid();
  if not v_all and cardinality(v_grids) = 0 then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('householdId', x.id, 'address', x.address, 'gridName', x.grid_name,
           'residents', (select coalesce(jsonb_agg(app.mask_name(coalesce(p.real_name, p.display_name))), '[]'::jsonb)
                           from app.memberships m join app.profiles p on p.id = m.profile_id where m.household_id = x.id and m.role = 'resident')),
           'c', app.encode_cursor(array[x.address, x.id::text])) order by x.address, x.id)
    into v_rows
    from (select h.id, b.name || ' ' || h.room as address, g.name as grid_name
            from app.households h join app.buildings b on b.id = h.building_id join app.grids g on g.id = b.grid_id
           where h.community_id = p_community_id and (v_all or b.grid_id = any (v_grids))
             and (v_q is null or strpos(b.name || ' ' || h.room, v_q) > 0)
             and (b.name || ' ' || h.room, h.id) > (cur[1], cur[2]::uuid)
           order by b.name || ' ' || h.room, h.id limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;
grant execute on function public.list_grid_households(uuid, text, integer, text) to authenticated;
