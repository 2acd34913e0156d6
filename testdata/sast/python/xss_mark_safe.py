from django.utils.safestring import mark_safe
from django.shortcuts import render


def profile(request):
    bio = request.POST.get("bio", "")
    return render(request, "profile.html", {"bio": mark_safe(bio)})  # want: xss
