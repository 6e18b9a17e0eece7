"""The baselines, written as a Django REST framework user would write them, each serving the same data as
cruddy_django's ``expand`` requests:

    /drf/...    (1) ModelViewSets with nested ModelSerializers, no prefetching
    /tuned/...  (2) the same, hand-tuned with select_related / Prefetch
    /flex/...   (3) drf-flex-fields serializers with ``?expand=``, prefetching what is expanded
    /floor/...  (4) plain Django views returning ``.values()`` rows as JSON
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F, Prefetch, Sum
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from rest_flex_fields import FlexFieldsModelSerializer, is_expanded
from rest_flex_fields.views import FlexFieldsModelViewSet
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import SimpleRouter

from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 1000


# -- (1) and (2): nested ModelSerializers --------------------------------------------------------------
class AstronautSerializer(serializers.ModelSerializer):
    class Meta:
        model = Astronaut
        fields = ["id", "code", "name", "role"]


class CrewSerializer(serializers.ModelSerializer):
    lead = AstronautSerializer(allow_null=True)

    class Meta:
        model = Crew
        fields = ["id", "code", "name", "lead", "astronauts"]


class CrewWithAstronautsSerializer(serializers.ModelSerializer):
    astronauts = AstronautSerializer(many=True)

    class Meta:
        model = Crew
        fields = ["id", "code", "name", "lead", "astronauts"]


class RocketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rocket
        fields = ["id", "code", "name", "description"]


class StationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = ["id", "code", "name", "description", "coordinates"]


class MissionSerializer(serializers.ModelSerializer):
    crew = CrewSerializer()
    rocket = RocketSerializer()
    station = StationSerializer()

    class Meta:
        model = Mission
        fields = ["id", "code", "name", "description", "crew", "rocket", "station", "launch_date"]


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = ["id", "code", "name", "description", "price"]


class RocketPartSerializer(serializers.ModelSerializer):
    material = MaterialSerializer()

    class Meta:
        model = RocketPart
        fields = ["id", "code", "rocket", "material", "quantity"]


def rocket_price(rocket: Rocket) -> float | None:
    parts = rocket.parts.all()
    return sum(part.material.price * part.quantity for part in parts) if parts else None


class RocketDetailSerializer(serializers.ModelSerializer):
    parts = RocketPartSerializer(many=True)
    price = serializers.SerializerMethodField()

    class Meta:
        model = Rocket
        fields = ["id", "code", "name", "description", "parts", "price"]

    def get_price(self, rocket: Rocket) -> float | None:
        return rocket_price(rocket)


class PlainMissions(viewsets.ReadOnlyModelViewSet):
    queryset = Mission.objects.order_by("pk")
    serializer_class = MissionSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_fields = {"launch_date": ["gte"]}
    ordering_fields = ["launch_date", "id"]


class PlainCrews(viewsets.ReadOnlyModelViewSet):
    queryset = Crew.objects.order_by("pk")
    serializer_class = CrewWithAstronautsSerializer
    pagination_class = Pagination


class PlainRockets(viewsets.ReadOnlyModelViewSet):
    queryset = Rocket.objects.order_by("pk")
    serializer_class = RocketDetailSerializer


class TunedMissions(PlainMissions):
    queryset = (
        Mission.objects.order_by("pk")
        .select_related("crew__lead", "rocket", "station")
        .prefetch_related(Prefetch("crew__astronauts", Astronaut.objects.order_by("pk")))
    )


class TunedCrews(PlainCrews):
    queryset = Crew.objects.order_by("pk").prefetch_related(
        Prefetch("astronauts", Astronaut.objects.order_by("pk"))
    )


class TunedRockets(PlainRockets):
    queryset = Rocket.objects.prefetch_related(
        Prefetch("parts", RocketPart.objects.select_related("material").order_by("pk"))
    )


# -- (3) drf-flex-fields --------------------------------------------------------------------------------
class FlexAstronaut(FlexFieldsModelSerializer):
    class Meta:
        model = Astronaut
        fields = ["id", "code", "name", "role"]


class FlexCrew(FlexFieldsModelSerializer):
    class Meta:
        model = Crew
        fields = ["id", "code", "name", "lead", "astronauts"]
        expandable_fields = {"lead": FlexAstronaut, "astronauts": (FlexAstronaut, {"many": True})}


class FlexMission(FlexFieldsModelSerializer):
    class Meta:
        model = Mission
        fields = ["id", "code", "name", "description", "crew", "rocket", "station", "launch_date"]
        expandable_fields = {"crew": FlexCrew, "rocket": RocketSerializer, "station": StationSerializer}


class FlexPart(FlexFieldsModelSerializer):
    class Meta:
        model = RocketPart
        fields = ["id", "code", "rocket", "material", "quantity"]
        expandable_fields = {"material": MaterialSerializer}


class FlexRocket(FlexFieldsModelSerializer):
    price = serializers.SerializerMethodField()

    class Meta:
        model = Rocket
        fields = ["id", "code", "name", "description", "price"]
        expandable_fields = {"parts": (FlexPart, {"many": True})}

    def get_price(self, rocket: Rocket) -> float | None:
        return rocket_price(rocket)


class FlexMissions(FlexFieldsModelViewSet):
    serializer_class = FlexMission
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_fields = {"launch_date": ["gte"]}
    ordering_fields = ["launch_date", "id"]
    permit_list_expands = ["crew", "crew.lead", "rocket", "station"]

    def get_queryset(self) -> Any:  # prefetch what the request expands, as the flex docs advise
        queryset = Mission.objects.order_by("pk")
        for name in ("crew", "rocket", "station"):
            if is_expanded(self.request, name):
                queryset = queryset.select_related(name)
        if is_expanded(self.request, "lead"):
            queryset = queryset.select_related("crew__lead")
        return queryset.prefetch_related(Prefetch("crew__astronauts", Astronaut.objects.order_by("pk")))


class FlexCrews(FlexFieldsModelViewSet):
    serializer_class = FlexCrew
    pagination_class = Pagination
    permit_list_expands = ["astronauts", "lead"]

    def get_queryset(self) -> Any:
        return Crew.objects.order_by("pk").prefetch_related(
            Prefetch("astronauts", Astronaut.objects.order_by("pk"))
        )


class FlexRockets(FlexFieldsModelViewSet):
    serializer_class = FlexRocket

    def get_queryset(self) -> Any:
        return Rocket.objects.prefetch_related(
            Prefetch("parts", RocketPart.objects.select_related("material").order_by("pk"))
        )


# -- (4) the floor: .values() and JsonResponse ----------------------------------------------------------
def _nest(row: dict[str, Any], prefix: str, names: list[str]) -> dict[str, Any] | None:
    if row[f"{prefix}__id"] is None:
        return None
    return {name: row[f"{prefix}__{name}"] for name in names}


def floor_missions(request: HttpRequest) -> JsonResponse:
    queryset = Mission.objects.order_by("pk")
    if "launch_date__gte" in request.GET:
        queryset = queryset.filter(launch_date__gte=request.GET["launch_date__gte"])
    if request.GET.get("ordering") == "-launch_date,id":
        queryset = queryset.order_by("-launch_date", "pk")
    limit = int(request.GET.get("limit", 20))
    rows = list(
        queryset.values(
            "id",
            "code",
            "name",
            "description",
            "launch_date",
            "crew__id",
            "crew__code",
            "crew__name",
            "crew__lead__id",
            "crew__lead__code",
            "crew__lead__name",
            "crew__lead__role",
            "rocket__id",
            "rocket__code",
            "rocket__name",
            "rocket__description",
            "station__id",
            "station__code",
            "station__name",
            "station__description",
            "station__coordinates",
        )[:limit]
    )
    members = defaultdict(list)
    through = Crew.astronauts.through.objects.filter(crew_id__in={row["crew__id"] for row in rows})
    for crew_id, astronaut_id in through.order_by("astronaut_id").values_list("crew_id", "astronaut_id"):
        members[crew_id].append(astronaut_id)
    results = [
        {
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "description": row["description"],
            "crew": {
                "id": row["crew__id"],
                "code": row["crew__code"],
                "name": row["crew__name"],
                "lead": _nest(row, "crew__lead", ["id", "code", "name", "role"]),
                "astronauts": members[row["crew__id"]],
            },
            "rocket": _nest(row, "rocket", ["id", "code", "name", "description"]),
            "station": _nest(row, "station", ["id", "code", "name", "description", "coordinates"]),
            "launch_date": row["launch_date"],
        }
        for row in rows
    ]
    return JsonResponse({"count": queryset.count(), "results": results})


def floor_crews(request: HttpRequest) -> JsonResponse:
    limit = int(request.GET.get("limit", 20))
    crews = list(Crew.objects.order_by("pk").values("id", "code", "name", "lead")[:limit])
    members = defaultdict(list)
    astronauts = Astronaut.objects.filter(crews__in=[crew["id"] for crew in crews]).order_by("pk")
    for row in astronauts.values("crews", "id", "code", "name", "role"):
        members[row.pop("crews")].append(row)
    results = [{**crew, "astronauts": members[crew["id"]]} for crew in crews]
    return JsonResponse({"count": Crew.objects.count(), "results": results})


def floor_rocket(request: HttpRequest, pk: int) -> JsonResponse:
    rocket = (
        Rocket.objects.filter(pk=pk)
        .annotate(price=Sum(F("parts__material__price") * F("parts__quantity")))
        .values("id", "code", "name", "description", "price")
        .first()
    )
    if rocket is None:
        raise Http404
    parts = (
        RocketPart.objects.filter(rocket_id=pk)
        .order_by("pk")
        .values(
            "id",
            "code",
            "rocket",
            "quantity",
            "material__id",
            "material__code",
            "material__name",
            "material__description",
            "material__price",
        )
    )
    rocket["parts"] = [
        {
            "id": part["id"],
            "code": part["code"],
            "rocket": part["rocket"],
            "material": _nest(part, "material", ["id", "code", "name", "description", "price"]),
            "quantity": part["quantity"],
        }
        for part in parts
    ]
    return JsonResponse(rocket)


def _router(prefix: str, missions: type, crews: type, rockets: type) -> list[Any]:
    router = SimpleRouter()
    router.register(f"{prefix}/missions", missions, basename=f"{prefix}-missions")
    router.register(f"{prefix}/crews", crews, basename=f"{prefix}-crews")
    router.register(f"{prefix}/rockets", rockets, basename=f"{prefix}-rockets")
    return router.urls


urlpatterns = [
    *_router("drf", PlainMissions, PlainCrews, PlainRockets),
    *_router("tuned", TunedMissions, TunedCrews, TunedRockets),
    *_router("flex", FlexMissions, FlexCrews, FlexRockets),
    path("floor/missions/", floor_missions),
    path("floor/crews/", floor_crews),
    path("floor/rockets/<int:pk>/", floor_rocket),
]
