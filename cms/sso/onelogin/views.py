from ..oauth import OneLoginAdapter, views_for

oauth2_login, oauth2_callback = views_for(OneLoginAdapter)
