from django.urls import path

from kefu.service.views import duty, handling, requests, survey

app_name = "service"

urlpatterns = [
    path("requests/", requests.request_list, name="list"),
    path("requests/new/<slug:kind>/", requests.request_new, name="new"),
    path("requests/<int:pk>/", requests.request_detail, name="detail"),
    path("requests/<int:pk>/details/", requests.request_details_edit, name="details"),
    path("requests/<int:pk>/reply/", handling.reply, name="reply"),
    path("requests/<int:pk>/call/", handling.call_customer, name="call"),
    path("requests/<int:pk>/transition/", handling.transition, name="transition"),
    path("requests/<int:pk>/assign/", handling.assign, name="assign"),
    path("requests/<int:pk>/work-log/", handling.work_log, name="work_log"),
    path("requests/<int:pk>/work-order/", handling.work_order_new, name="work_order_new"),
    path("work-orders/", handling.my_work_orders, name="work_orders"),
    path("work-orders/<int:pk>/", handling.work_order, name="work_order"),
    path("duty/", duty.duty, name="duty"),
    path("duty/toggle/", duty.duty_toggle, name="duty_toggle"),
    path("duty/note/", duty.duty_note, name="duty_note"),
    path("duty/handovers/<int:pk>/acknowledge/", duty.acknowledge, name="acknowledge"),
    path("outbound/", duty.outbound_lists, name="outbound_lists"),
    path("outbound/new/", duty.outbound_list_new, name="outbound_new"),
    path("outbound/<int:pk>/", duty.outbound_list, name="outbound_list"),
    path("outbound/<int:pk>/dial/", duty.outbound_dial, name="outbound_dial"),
    path("outbound/entries/<int:pk>/", duty.outbound_entry, name="outbound_entry"),
    path("bulletins/new/", duty.bulletin_new, name="bulletin_new"),
    path("survey/<str:token>/", survey.survey, name="survey"),
]
