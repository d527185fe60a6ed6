from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<int:notification_id>/read/", views.mark_read, name="notification_read"),
    path("read-all/", views.mark_all_read, name="notifications_read_all"),
    path("settings/", views.notification_settings, name="notification_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="notifications_unsubscribe"),
]
