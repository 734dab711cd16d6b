-- Each stage time of marts.fct_lead_funnel beside the latest earlier stage the cycle reached
-- (a skipped stage is ignored): a cycle is in order when every stage is at or after it.
select
    unified_lead_id,
    cycle,
    created_at,
    mql_at,
    created_at as before_mql_at,
    handoff_at,
    coalesce(mql_at, created_at) as before_handoff_at,
    sal_at,
    coalesce(handoff_at, mql_at, created_at) as before_sal_at,
    sql_at,
    coalesce(sal_at, handoff_at, mql_at, created_at) as before_sql_at,
    opportunity_at,
    coalesce(sql_at, sal_at, handoff_at, mql_at, created_at) as before_opportunity_at,
    won_at,
    lost_at,
    coalesce(opportunity_at, sql_at, sal_at, handoff_at, mql_at, created_at) as before_close_at,
    disqualified_at,
    current_stage
from marts.fct_lead_funnel
