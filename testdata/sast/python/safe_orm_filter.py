from django.http import JsonResponse
from .models import Order


def orders(request):
    status = request.GET.get("status")
    qs = Order.objects.filter(status=status).extra(select={"n": "1"})
    return JsonResponse({"n": qs.count()})
