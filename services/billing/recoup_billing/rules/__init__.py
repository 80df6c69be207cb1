"""Pure billing rules (R-39..R-44): fee schedules, recovery rates, fee tiers, statements. No I/O.

Split by sub-domain: ``money`` (exact Decimal arithmetic and rounding), ``schedule`` (contract
terms, validation, versions), ``fees`` (recovery rate, tier, lines, statements).
"""
from .fees import *  # noqa: F401,F403
from .fees import __all__ as _fees_all
from .money import *  # noqa: F401,F403
from .money import __all__ as _money_all
from .schedule import *  # noqa: F401,F403
from .schedule import __all__ as _schedule_all

__all__ = [*_money_all, *_schedule_all, *_fees_all]
