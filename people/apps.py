from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People and organisations (issue #16): display names and profiles,
    organisations with type, size and region, their members and invitations.
    It sits beside consult, below ideas (docs/architecture.md): ideas asks it
    who a person is and on whose behalf they may post; it imports only the
    leaves."""

    name = "people"
    verbose_name = "People and organisations"

    def ready(self):
        from . import receivers, services

        receivers.connect()
        services.register_data_rights()
