"""The Administrators' webhook pages: endpoints (add, change, rotate the secret,
delete) and the delivery log with its "retry now". Everyone else gets 403."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring_site.access import is_administrator
from hiring_site.params import choice_param, int_param, page_of
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint

PAGE_SIZE = 25


def administrator_required(view):
    """Login required, then 403 unless the user is an Administrator (or a superuser)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_administrator(request.user):
            raise PermissionDenied("Only an Administrator manages webhooks.")
        return view(request, *args, **kwargs)

    return wrapper


def _get_endpoint_for_user(request, pk) -> Endpoint:
    """Every endpoint is every Administrator's (the views require the group)."""
    return get_object_or_404(Endpoint, pk=pk)


@administrator_required
@require_GET
def endpoints(request):
    listed = Endpoint.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
    )
    return render(request, "webhooks/endpoints.html", {"endpoints": listed})


@administrator_required
@require_http_methods(["GET", "POST"])
def endpoint_add(request):
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(commit=False)
        endpoint.created_by = request.user
        endpoint.save()
        messages.success(
            request,
            "Endpoint added. Copy its signing secret into the receiver: every delivery "
            "is signed with it.",
        )
        return redirect("webhooks:endpoint", endpoint.pk)
    status = 422 if form.errors else 200
    return render(request, "webhooks/endpoint_form.html", {"form": form}, status=status)


@administrator_required
@require_http_methods(["GET", "POST"])
def endpoint(request, pk):
    endpoint = _get_endpoint_for_user(request, pk)
    form = EndpointForm(request.POST if request.method == "POST" else None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Endpoint saved.")
        return redirect("webhooks:endpoint", endpoint.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"form": form, "endpoint": Endpoint.objects.get(pk=endpoint.pk)},
        status=status,
    )


@administrator_required
@require_POST
def endpoint_rotate(request, pk):
    endpoint = _get_endpoint_for_user(request, pk)
    endpoint.rotate_secret()
    messages.success(
        request,
        "New secret made: deliveries are signed with it from now on, so update the receiver now.",
    )
    return redirect("webhooks:endpoint", endpoint.pk)


@administrator_required
@require_POST
def endpoint_delete(request, pk):
    endpoint = _get_endpoint_for_user(request, pk)
    endpoint.delete()
    messages.success(request, f"Endpoint {endpoint.url} deleted, with its deliveries.")
    return redirect("webhooks:endpoints")


@administrator_required
@require_GET
def deliveries(request):
    status = choice_param(
        request, "status", Delivery.Status.values, default="", what="delivery status"
    )
    endpoint_id = int_param(request, "endpoint", what="endpoint id")
    listed = Delivery.objects.select_related("event", "endpoint").order_by("-id")
    if status:
        listed = listed.filter(status=status)
    endpoint = None
    if endpoint_id is not None:
        endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
        listed = listed.filter(endpoint=endpoint)
    page = page_of(request, Paginator(listed, PAGE_SIZE))
    return render(
        request,
        "webhooks/deliveries.html",
        {
            "page": page,
            "status": status,
            "statuses": Delivery.Status.choices,
            "endpoint": endpoint,
        },
    )


@administrator_required
@require_POST
def delivery_retry(request, pk):
    delivery = get_object_or_404(Delivery.objects.select_related("endpoint"), pk=pk)
    if delivery.status == Delivery.Status.DELIVERED:
        messages.info(request, "That delivery was already delivered; nothing to retry.")
    elif not delivery.endpoint.active:
        delivery.retry_now()
        messages.warning(
            request,
            "Queued, but its endpoint is inactive: it is sent once the endpoint is active again.",
        )
    else:
        delivery.retry_now()
        messages.success(
            request, "Queued: the webhook worker sends it on its next pass (within seconds)."
        )
    return redirect("webhooks:deliveries")
