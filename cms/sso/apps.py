from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "cms.sso"
    label = "cms_sso"
    verbose_name = "Single sign-on"
