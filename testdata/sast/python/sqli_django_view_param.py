from django.db import connection
from django.http import JsonResponse


def article(request, slug):
    with connection.cursor() as cur:
        cur.execute(f"SELECT title FROM articles WHERE slug = '{slug}'")  # want: sql-injection
        return JsonResponse({"title": cur.fetchone()[0]})
