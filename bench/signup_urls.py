"""URLs for bench/signup_surge.py only: every product URL, plus the floor — the
least a Django view can do that writes (one INSERT), served through the same
middleware as every page, to compare the sign-up with."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tillsammans.urls import urlpatterns as product_urlpatterns

FLOOR_TABLE = "bench_signup_floor"


@csrf_exempt  # as the JSON API it is compared with
@require_POST
def floor(request):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (payload) VALUES (%s)",  # noqa: S608 (a constant)
            [request.body[:300].decode("utf-8", "replace")],
        )
    return JsonResponse({"ok": True}, status=202)


urlpatterns = [path("bench/floor/", floor), *product_urlpatterns]
