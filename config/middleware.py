"""Requests the site refuses before any view sees them."""

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse

API_PREFIX = "/api/"
# The largest body the API reads: an annotation with the longest note allowed is
# some 200 KB.
API_MAX_BODY_BYTES = 1024 * 1024


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is the API's: its answers, refusals included, are JSON."""
    return request.path.startswith(API_PREFIX)


class RefuseNulCharacters:
    """A NUL character is never text a person typed, and PostgreSQL cannot store or
    compare it (a search or filter with one was a server error there, in the admin's
    filters for instance). A request carrying one in its query string or form fields
    gets a 400 with the reason, on both databases alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API's bodies are JSON: its parser refuses a NUL in them (reading them here
        # as a form would leave the API no body to read).
        form = request.method == "POST" and not is_api_request(request)
        if _has_nul(request.GET) or (form and _has_nul(_form(request))):
            return refusal(request, "A NUL character is not allowed in a request.", status=400)
        return self.get_response(request)


def refusal(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    """A refusal in the API's form (JSON) on its paths, in plain text elsewhere."""
    if is_api_request(request):
        return JsonResponse({"error": reason}, status=status)
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")


class LimitApiBodies:
    """An API request announcing a body over the limit is refused (413) before it is
    read. (Django reads no body that announces no length.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request) and request.method in ("POST", "PUT", "PATCH"):
            declared = request.META.get("CONTENT_LENGTH") or ""
            too_large = f"An annotation is at most {API_MAX_BODY_BYTES // 1024} KB."
            if declared and (not declared.isdigit() or int(declared) > API_MAX_BODY_BYTES):
                return refusal(request, too_large, status=413)
        return self.get_response(request)


def _form(request: HttpRequest):
    try:
        return request.POST
    except SuspiciousOperation:
        # Over a limit (too many files or fields, too large): Django's 400 says which.
        # Swallowed, it would leave the view an empty form to misread.
        raise
    except Exception:  # an unreadable body: the view's own parsing answers it
        return QueryDict()


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in str(value) for value in data.getlist(key)) for key in data
    )


ADMIN_SEARCH_MAX_LENGTH = 200


class BoundAdminSearches:
    """The admin's searches (``q`` on every list, ``term`` in autocomplete), cut to 200
    characters with a message: SQLite refuses a LIKE pattern past 50,000 bytes, which
    was a server error on every list with a search box, Django's and third parties'
    alike. Nobody searches with more than a sentence."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.path.startswith(self.prefix):
            long = [
                key
                for key in ("q", "term")
                if len(request.GET.get(key, "")) > ADMIN_SEARCH_MAX_LENGTH
            ]
            if long:
                request.GET = request.GET.copy()
                for key in long:
                    request.GET[key] = request.GET[key][:ADMIN_SEARCH_MAX_LENGTH]
                messages.warning(
                    request,
                    f"Searches are cut to their first {ADMIN_SEARCH_MAX_LENGTH} characters.",
                )
        return self.get_response(request)
