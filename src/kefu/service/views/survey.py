"""The customer's survey page (X13): no log-on, reached by the token link.

Opening the link (GET) only shows the form, so mail and SMS link scanners that fetch every
link create no rating; only the explicit submit (POST) records one. The page speaks the
customer's language (that of the message with the link) unless the visitor chose another.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from kefu.service import actions
from kefu.service.forms import SurveyForm
from kefu.service.language import customer_language
from kefu.service.models import Survey
from kefu.service.views.panels import attempt


@never_cache
def survey(request: HttpRequest, token: str) -> HttpResponse:
    found = Survey.objects.select_related("request").filter(token=token).first()
    if found is None:
        raise Http404
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(customer_language(found.request))
        request.LANGUAGE_CODE = translation.get_language()
    if found.answered_at is not None:
        return render(request, "service/survey.html", {"survey": found, "thanks": True})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            form,
            actions.do_answer_survey,
            token,
            csat=data["csat"],
            nps=data["nps"],
            comment=data["comment"],
        ):
            return render(request, "service/survey.html", {"survey": found, "thanks": True})
    return render(request, "service/survey.html", {"survey": found, "form": form})
