from ..oauth import EntraAdapter, views_for

oauth2_login, oauth2_callback = views_for(EntraAdapter)
