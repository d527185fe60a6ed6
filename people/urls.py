from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("accounts/profile/", views.profile_edit, name="profile_edit"),
    path("accounts/data/", views.your_data, name="your_data"),
    path("accounts/data/download.json", views.download_data, name="download_data"),
    path("accounts/delete/", views.delete_account, name="delete_account"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/join/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/members/", views.members, name="members"),
    path("organisations/<slug:slug>/members/<int:user_id>/remove/", views.member_remove, name="member_remove"),
    path("organisations/<slug:slug>/members/<int:user_id>/admin/", views.member_admin, name="member_admin"),
    path("organisations/<slug:slug>/invitations/<int:invitation_id>/withdraw/", views.invitation_withdraw,
         name="invitation_withdraw"),
    path("organisations/<slug:slug>/verify/", views.verify_number, name="verify_number"),
    path("people/<int:user_id>/reset-name/", views.reset_name, name="reset_name"),
]
