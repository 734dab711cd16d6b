-- The last delivery that brought rows, and how long ago it was (hours, wall clock: load times
-- are real times, whatever --as-of says).
select
    max(finished_at) as last_delivery_at,
    round((epoch(now()) - epoch(max(finished_at))) / 3600, 2) as hours_since_last_delivery,
    count(*) as files_loaded
from audit.load_audit
where status in ('loaded', 'loaded_with_rejects')
