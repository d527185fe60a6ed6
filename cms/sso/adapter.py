import logging

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

logger = logging.getLogger("missioncommons.sso")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self):
        """Every call to an identity provider (discovery, keys, token,
        userinfo) says who we are: One Login asks for a User-Agent."""
        session = super().get_requests_session()
        session.headers["User-Agent"] = settings.SSO_USER_AGENT
        return session

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        logger.warning("Single sign-on with %s refused: %s (%s)", getattr(provider, "id", provider), error, exception)
        return super().on_authentication_error(request, provider, error, exception, extra_context)
