"""Smarketing warehouse: one set of facts about leads for Sales and Marketing."""

__version__ = "0.1.0"
