"""Pure contact rules (R-14..R-25, R-47, R-49): no web, database or bus code, no I/O, no clock reads —
`today` / `now` (debtor's zone) and the working calendar are arguments. Imports: the standard
library, pydantic, phonenumbers and recoup_shared's pure modules (vocabulary, calendar,
identifiers); errors.py subclasses recoup_shared.errors.ServiceError (docs/architecture.md).

Public functions, by module:
- config:     ContactConfig (per-client, jsonb), load_config, config_errors
- followup:   next_follow_up (R-22 status → next follow-up window), previous_working_day, roll_forward
- cadence:    cadence (R-20 due date, overdue since / by), worklist_priority (new cases first)
- promises:   validate_promise, promise_from_draft, evaluate_promises (R-23 matching, kept/broken),
              kept_threshold, deadline, next_open_instalment, status_after
- worklist:   row_colour, days_since, reminders (R-24)
- records:    is_effective, cap_count (R-15), point_state_after, check_correction, records_in_force
- codes:      validate_record (client code table + status rules), table_in_force, default_code_table
- phones:     phone_region (号码归属地), dialable, debtor_unreachable, dialling_order (R-21)
- complaints: grade_complaint, complaint_decision (R-47)
- reports:    ReportTemplate, default_report_template, report_row (催记报告 layouts per client)
Types live in model.py (vocabulary) and beside their rules; errors in errors.py.
"""
from .model import *  # noqa: F401,F403
from .model import __all__ as _model_all
from .errors import *  # noqa: F401,F403
from .errors import __all__ as _errors_all
from .config import *  # noqa: F401,F403
from .config import __all__ as _config_all
from .followup import *  # noqa: F401,F403
from .followup import __all__ as _followup_all
from .cadence import *  # noqa: F401,F403
from .cadence import __all__ as _cadence_all
from .promises import *  # noqa: F401,F403
from .promises import __all__ as _promises_all
from .worklist import *  # noqa: F401,F403
from .worklist import __all__ as _worklist_all
from .records import *  # noqa: F401,F403
from .records import __all__ as _records_all
from .codes import *  # noqa: F401,F403
from .codes import __all__ as _codes_all
from .phones import *  # noqa: F401,F403
from .phones import __all__ as _phones_all
from .complaints import *  # noqa: F401,F403
from .complaints import __all__ as _complaints_all
from .reports import *  # noqa: F401,F403
from .reports import __all__ as _reports_all

__all__ = [
    *_model_all,
    *_errors_all,
    *_config_all,
    *_followup_all,
    *_cadence_all,
    *_promises_all,
    *_worklist_all,
    *_records_all,
    *_codes_all,
    *_phones_all,
    *_complaints_all,
    *_reports_all,
]
