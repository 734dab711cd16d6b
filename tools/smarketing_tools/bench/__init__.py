"""Benchmark of the pipeline, stage by stage: wall seconds, rows/s and peak memory.

Run ``python -m smarketing_tools.bench --help``; the stages are listed in ``stages.STAGES``.
"""
