from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="moderation_index"),
    path("<slug:mission_slug>/", views.queue, name="moderation_queue"),
    path("<slug:mission_slug>/act/", views.act, name="moderation_act"),
    path("<slug:mission_slug>/log/", views.log, name="moderation_log"),
    path("<slug:mission_slug>/suspend/", views.suspend, name="moderation_suspend"),
    path("<slug:mission_slug>/items/<str:kind>/<int:pk>/", views.item_detail, name="moderation_item"),
]
