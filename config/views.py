"""The site's error pages: the reason, when it is ours to give."""

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from config.middleware import is_api_request


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 with the reason, when the reason is ours to give (a BadRequest we raised)."""
    reason = str(exception) if type(exception) is BadRequest else _limit_reason(exception)
    if is_api_request(request):
        return JsonResponse({"error": reason or "Bad request."}, status=400)
    return render(request, "400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 with the reason a PermissionDenied gave."""
    reason = str(exception) if type(exception) is PermissionDenied else ""
    if is_api_request(request):
        return JsonResponse({"error": reason or "Forbidden."}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"error": "Nothing here: see /api/openapi.json."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"error": "The server failed; the error is logged."}, status=500)
    return render(request, "500.html", status=500)


def _limit_reason(exception: Exception) -> str:
    """Django's own request limits, said for the person who hit them."""
    if isinstance(exception, TooManyFilesSent):
        return (
            f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files at once: nothing was imported."
        )
    if isinstance(exception, TooManyFieldsSent):
        return "The form sent too many fields."
    if isinstance(exception, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_048_576
        return f"The form's text is larger than {megabytes} MB: nothing was stored."
    return ""
