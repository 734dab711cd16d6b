"""What every part of the generation reads: the window, the true world, the staff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from smarketing_tools.generator.campaigns import CampaignBook
from smarketing_tools.generator.clock import Window
from smarketing_tools.generator.population import Orgs, People
from smarketing_tools.generator.scales import Scale
from smarketing_tools.generator.users import Staff

Progress = Callable[[str, int, int], None]


@dataclass
class Context:
    scale: Scale
    seed: int
    window: Window
    orgs: Orgs
    people: People
    staff: Staff
    book: CampaignBook
    inbox: Path
    truth: Path
    progress: Progress
