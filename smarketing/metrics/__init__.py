"""The metric layer (MetricFlow, ``dbt/models/semantic/``) as the pipeline uses it."""
