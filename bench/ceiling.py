"""The ceiling: the least a page can do here — one query, one small template, the full middleware stack."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from tongchuan_portal.units.models import Unit


@require_safe
def ceiling(request):
    unit = Unit.objects.only("name").order_by("pk").first()
    return render(request, "bench/ceiling.html", {"unit": unit})
