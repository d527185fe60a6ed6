from django.urls import path

from . import follow_views, views

urlpatterns = [
    path("<int:idea_id>/", views.idea_detail, name="idea_detail"),
    path("<int:idea_id>/edit/", views.idea_edit, name="idea_edit"),
    path("<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("<int:idea_id>/comments/", views.idea_comment, name="idea_comment"),
    path("<int:idea_id>/follow/", views.idea_follow, name="idea_follow"),
    path("<int:idea_id>/status/", views.idea_status, name="idea_status"),
    path("<int:idea_id>/respond/", views.idea_respond, name="idea_respond"),
    path("<int:idea_id>/about-participant/", views.idea_about_participant, name="idea_about_participant"),
    path("<int:idea_id>/history/", views.idea_history, name="idea_history"),
    path("<int:idea_id>/comments/<int:comment_id>/fragment/", views.comment_fragment, name="comment_fragment"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:comment_id>/support/", views.comment_support, name="comment_support"),
    path("follow/mission/<int:mission_id>/", follow_views.mission_follow, name="mission_follow"),
    path("follow/tag/<slug:slug>/", follow_views.tag_follow, name="tag_follow"),
]
