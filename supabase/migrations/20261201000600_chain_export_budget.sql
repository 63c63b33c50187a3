-- An export page of the public record chain carried up to 500 entries with their full content, whatever their
-- size: a month's 积分公示 holds every ledger line of the month, so at a street's size (~1.16 M rows) a page of
-- 20 entries was 850 KB, and a page of 500 could be tens of MB. A page now also stops once its entries pass
-- about 256 KB (p_max_bytes; always at least one entry, so a single large record still comes whole). The
-- reader follows nextFromSeq as before; the file is the same.

drop function public.export_public_chain(uuid, bigint, integer);
create function public.export_public_chain(p_community_id uuid, p_from_seq bigint default 1, p_limit integer default 200,
                                           p_max_bytes integer default 262144) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_community jsonb := app.public_community_json(p_community_id);
  v_limit integer := least(greatest(coalesce(p_limit, 200), 1), 500);
  v_bytes integer := least(greatest(coalesce(p_max_bytes, 262144), 1024), 262144);
  v_from bigint := greatest(coalesce(p_from_seq, 1), 1);
  v_entries jsonb[] := '{}';
  v_size bigint := 0;
  v_last bigint;
  e app.chain_entries;
  j jsonb;
begin
  if v_community is null then
    perform app.fail('core.community_not_found');
  end if;
  -- Entries in order until the page holds v_limit of them or has passed the byte budget (the first one always
  -- goes in). An entry's content is built only when it goes on the page.
  for e in select * from app.chain_entries x where x.community_id = p_community_id and x.seq >= v_from order by x.seq limit v_limit loop
    exit when v_size >= v_bytes;
    j := app.chain_entry_json(e, true);
    v_entries := v_entries || j;
    v_size := v_size + octet_length(j::text);
    v_last := e.seq;
  end loop;
  return jsonb_build_object(
    'format', 'cunju-chain/1', 'community', v_community, 'head', app.chain_head_json(p_community_id),
    'exportedAt', app.chain_time(now()), 'fromSeq', v_from, 'entries', to_jsonb(v_entries),
    'nextFromSeq', case when exists (select 1 from app.chain_entries x where x.community_id = p_community_id and x.seq > v_last)
                        then v_last + 1 end);
end
$$;
revoke execute on function public.export_public_chain(uuid, bigint, integer, integer) from public;
grant execute on function public.export_public_chain(uuid, bigint, integer, integer) to service_role;
