from django.http import JsonResponse
from .models import Customer


def search(request):
    q = request.GET.get("q", "")
    people = Customer.objects.raw("SELECT * FROM app_customer WHERE name LIKE '%%" + q + "%%'")  # want: sql-injection
    return JsonResponse({"n": len(list(people))})
