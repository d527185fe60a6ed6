from django.conf import settings


def site(request):
    return {"SITE_NAME": "Mission Commons", "SITE_URL": settings.SITE_URL}
