"""Places on a page of consult's where the apps above put a template of their
own (docs/architecture.md, "Templates follow the layers"): consult's
templates then name no upper app's route, template or tag library. Each app
registers a template for a place from its AppConfig.ready(); the page
includes them there, in `order`, with the page's own context."""


class Places:
    def __init__(self, page: str, places: tuple[str, ...]):
        self.page = page
        self.places = places
        self._parts: list[tuple[str, int, str]] = []

    def register(self, place: str, template: str, order: int = 50) -> None:
        if place not in self.places:
            raise ValueError(f"No place {place!r} on the {self.page}: one of {self.places}")
        if (place, order, template) not in self._parts:
            self._parts.append((place, order, template))

    def parts(self) -> dict[str, list[str]]:
        """{place: [template, ...]} in each place's order."""
        placed = {place: [] for place in self.places}
        for place, _order, template in sorted(self._parts):
            placed[place].append(template)
        return placed
