"""The site's error pages: the reason, when it is ours to give."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 with the reason, when the reason is ours to give (a BadRequest we raised)."""
    reason = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 with the reason a PermissionDenied gave."""
    reason = str(exception) if type(exception) is PermissionDenied else ""
    return render(request, "403.html", {"reason": reason}, status=403)
