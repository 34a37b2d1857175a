"""Every change to service requests goes through these functions (one transaction each).

Views, the API, admin actions, management commands, the demo loader and tests call them; see
docs/requests.md for the list.
"""

from kefu.service.actions.accept import (
    NewRequest,
    check_new_request,
    do_create_bulletin,
    do_create_request,
    do_update_details,
)
from kefu.service.actions.dialling import (
    do_dial_outbound_list,
    do_finish_notification_run,
    do_record_notification_result,
)
from kefu.service.actions.duty import (
    current_shift,
    do_acknowledge_handover,
    do_go_off_duty,
    do_go_on_duty,
    do_hand_over,
    do_write_duty_log,
)
from kefu.service.actions.outreach import (
    do_answer_survey,
    do_attach_inbound_mail,
    do_call_outbound_entry,
    do_create_outbound_list,
    do_record_outbound_result,
    send_survey,
)
from kefu.service.actions.replies import (
    ReplyInput,
    do_call_customer,
    do_email_reply,
    do_reply,
    do_sms_reply,
    do_voice_reply,
)
from kefu.service.actions.workflow import (
    allowed_transitions,
    closed_loop_problems,
    do_assign,
    do_auto_assign,
    do_transition,
    on_duty_handlers,
)
from kefu.service.actions.workorders import (
    do_add_work_log,
    do_create_work_order,
    do_update_work_order,
)

__all__ = [
    "NewRequest",
    "ReplyInput",
    "allowed_transitions",
    "check_new_request",
    "closed_loop_problems",
    "current_shift",
    "do_acknowledge_handover",
    "do_add_work_log",
    "do_answer_survey",
    "do_assign",
    "do_attach_inbound_mail",
    "do_auto_assign",
    "do_call_customer",
    "do_call_outbound_entry",
    "do_create_bulletin",
    "do_create_outbound_list",
    "do_create_request",
    "do_create_work_order",
    "do_dial_outbound_list",
    "do_email_reply",
    "do_finish_notification_run",
    "do_go_off_duty",
    "do_go_on_duty",
    "do_hand_over",
    "do_record_notification_result",
    "do_record_outbound_result",
    "do_reply",
    "do_sms_reply",
    "do_transition",
    "do_update_details",
    "do_update_work_order",
    "do_voice_reply",
    "do_write_duty_log",
    "on_duty_handlers",
    "send_survey",
]
