"""GET/POST _meta: the site and one resource, per-user rights, hidden fields, routes and relations."""

import pytest
from django.contrib.auth.models import User

from cruddy_django.test import override_resource
from example_project import settings as example_settings
from tests.secureapp.models import Project

pytestmark = pytest.mark.django_db


def fields_of(description):
    return {field["name"]: field for field in description["fields"]}


def resource_in(body, model):
    return next(resource for resource in body["resources"] if resource["model"] == model)


@pytest.fixture
def staff():
    return User.objects.create_user("boss", is_staff=True)


@pytest.fixture
def example_policies(settings):
    settings.CRUDDY_DJANGO = example_settings.CRUDDY_DJANGO


def test_the_site_meta_describes_every_resource(api, signed_in_api):
    anonymous = resource_in(api.get("/api/_meta").json(), "staff.Crew")
    assert anonymous["rights"] == {"list": True, "retrieve": True, "create": False, "update": False,
                                   "destroy": False}  # the default policies: writes need a signed-in user
    response = signed_in_api.get("/api/_meta")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Test API"
    crews = resource_in(body, "staff.Crew")
    assert crews["name"] == "crews"
    assert crews["namespace"] == "staff"
    assert crews["url"] == "http://testserver/api/staff/crews/"
    assert (crews["verbose_name"], crews["verbose_name_plural"]) == ("crew", "crews")
    assert crews["primary_key"] == "id"
    assert crews["ordering"] == ["id"]
    assert crews["upsert_keys"] == ["code"]
    assert crews["rights"] == {"list": True, "retrieve": True, "create": True, "update": True, "destroy": True}
    prefixes = [resource["url"] for resource in body["resources"]]
    assert prefixes == sorted(prefixes)


def test_both_urls_work_and_one_resource_matches_its_site_entry(api):
    site_entry = resource_in(api.get("/api/_meta/").json(), "testapp.Book")
    for url in ("/api/library/books/_meta", "/api/library/books/_meta/"):
        response = api.get(url)
        assert response.status_code == 200
        assert response.json() == site_entry


def test_field_descriptors(signed_in_api):
    api = signed_in_api
    fields = fields_of(api.get("/api/library/books/_meta").json())
    assert {key: fields["id"][key] for key in ("type", "primary_key", "read_only", "required")} == {
        "type": "integer", "primary_key": True, "read_only": True, "required": False}
    isbn = fields["isbn"]
    assert (isbn["type"], isbn["max_length"], isbn["unique"], isbn["required"]) == ("string", 13, True, True)
    assert isbn["rights"] == {"read": True, "modify": True}
    assert "icontains" in isbn["operators"] and isbn["sortable"] is True
    assert fields["genre"]["choices"] == [{"value": "fiction", "label": "Fiction"},
                                          {"value": "science", "label": "Science"},
                                          {"value": "history", "label": "History"}]
    assert fields["genre"]["default"] == "fiction"
    assert fields["price"]["type"] == "decimal"
    assert fields["rating"]["nullable"] is True and fields["rating"]["required"] is False
    assert (fields["pages"]["min"], fields["pages"]["max"]) == (0, None)  # PositiveIntegerField
    assert fields["pages"]["default"] == 100
    assert fields["uuid"]["default"] == {"$callable": "uuid.uuid4"}
    assert fields["metadata"]["type"] == "json" and fields["metadata"]["default"] == {"$callable": "dict"}
    assert fields["created_at"]["read_only"] is True
    assert fields["created_at"]["rights"] == {"read": True, "modify": False}
    assert fields["website"]["format"] == "url"
    expected_types = {"title": "string", "pages": "integer", "rating": "float", "published": "date",
                      "created_at": "datetime", "available": "boolean", "uuid": "uuid", "duration": "duration",
                      "reading_time": "time", "author": "relation", "tags": "relation"}
    assert {name: fields[name]["type"] for name in expected_types} == expected_types


def test_validator_bounds_and_database_ranges(api):
    fields = fields_of(api.get("/api/library/reviews/_meta").json())
    assert (fields["stars"]["min"], fields["stars"]["max"]) == (1, 5)
    assert fields["body"]["type"] == "text"
    materials = fields_of(api.get("/api/assets/materials/_meta").json())
    # GreaterThanValidator(0): an exclusive bound
    assert (materials["price"]["min"], materials["price"]["exclusive_min"]) == (0, True)
    # the database's integer range is not a business rule, and differs between databases
    assert fields["id"]["min"] is None and fields["id"]["max"] is None


def test_relations_name_their_target_url_and_cardinality(api):
    fields = fields_of(api.get("/api/staff/crews/_meta").json())
    lead, astronauts = fields["lead"], fields["astronauts"]
    assert (lead["type"], lead["cardinality"], lead["target"], lead["nullable"]) == (
        "relation", "to_one", "staff/astronauts", True)
    assert lead["url"] == "http://testserver/api/staff/astronauts/"
    assert (astronauts["cardinality"], astronauts["sortable"], astronauts["reverse"]) == ("to_many", False, False)
    authors = fields_of(api.get("/api/library/authors/_meta").json())
    assert (authors["books"]["cardinality"], authors["books"]["reverse"]) == ("to_many", True)


def test_relations_to_unregistered_models_have_no_target(api):
    employees = fields_of(api.get("/api/secure/employees/_meta").json())
    for name, model in (("vault", "secureapp.Vault"), ("user", "auth.User")):
        assert employees[name]["type"] == "relation"
        assert (employees[name]["target"], employees[name]["url"]) == (None, None)
        assert employees[name]["target_model"] == model


def test_hidden_and_excluded_fields_are_not_listed(api, staff):
    anonymous = fields_of(api.get("/api/secure/employees/_meta").json())
    assert "notes" not in anonymous  # excluded
    assert "salary" not in anonymous  # its read rule says staff only
    api.force_authenticate(staff)
    seen_by_staff = fields_of(api.get("/api/secure/employees/_meta").json())
    assert seen_by_staff["salary"]["rights"] == {"read": True, "modify": False}  # write: superusers
    api.force_authenticate(User.objects.create_superuser("root"))
    assert fields_of(api.get("/api/secure/employees/_meta").json())["salary"]["rights"]["modify"] is True


def test_the_site_meta_hides_the_same_fields(api):
    employees = resource_in(api.get("/api/_meta").json(), "secureapp.Employee")
    assert "salary" not in fields_of(employees)


def test_rights_follow_the_policies_per_user(api, staff, example_policies):
    anonymous = api.get("/api/assets/materials/_meta").json()
    assert anonymous["rights"] == {"list": True, "retrieve": True, "create": False, "update": False,
                                   "destroy": False}
    # a field can only be changed through a write the user may make
    assert fields_of(anonymous)["code"]["rights"] == {"read": True, "modify": False}
    assert fields_of(anonymous)["code"]["required"] is True
    api.force_authenticate(User.objects.create_user("demo"))
    signed_in = api.get("/api/assets/materials/_meta").json()
    assert signed_in["rights"] == {"list": True, "retrieve": True, "create": True, "update": True,
                                   "destroy": False}
    assert fields_of(signed_in)["code"]["rights"] == {"read": True, "modify": True}
    api.force_authenticate(staff)
    assert all(api.get("/api/assets/materials/_meta").json()["rights"].values())


def test_a_resource_the_user_may_not_use_is_a_403_and_absent_from_the_site(api):
    assert api.get("/api/secure/projects/_meta").status_code in {401, 403}
    models = {resource["model"] for resource in api.get("/api/_meta").json()["resources"]}
    assert "secureapp.Project" not in models
    api.force_authenticate(User.objects.create_user("someone"))
    assert api.get("/api/secure/projects/_meta").status_code == 200


def test_disabled_actions_are_not_allowed(api):
    reviews = api.get("/api/library/reviews/_meta").json()
    assert reviews["rights"]["destroy"] is False
    assert reviews["disabled"] == ["destroy"]


def test_routes_with_parameters_types_and_rights(api, staff):
    routes = {route["name"]: route for route in api.get("/api/library/books/_meta").json()["routes"]}
    discount = routes["discount"]
    assert (discount["methods"], discount["detail"], discount["url_path"]) == (["POST"], True, "discount")
    assert discount["parameters"] == [
        {"name": "percent", "type": "integer", "required": True, "nullable": False, "default": None},
        {"name": "reason", "type": "string", "required": False, "nullable": False, "default": ""}]
    assert discount["returns"] == "library/books"
    assert discount["rights"] == {"execute": False}  # policies = {"discount": [is_staff]}
    assert routes["archive"]["url_path"] == "archive-now"
    assert (routes["stats"]["detail"], routes["stats"]["methods"]) == (False, ["GET"])
    retag = routes["retag"]["parameters"][0]
    assert (retag["type"], retag["items"]["type"], retag["items"]["target"]) == ("list", "relation", "library/tags")
    genre = next(parameter for parameter in routes["reprice"]["parameters"] if parameter["name"] == "genre")
    assert [choice["value"] for choice in genre["choices"]] == ["fiction", "science", "history"]
    api.force_authenticate(staff)
    routes = {route["name"]: route for route in api.get("/api/library/books/_meta").json()["routes"]}
    assert routes["discount"]["rights"] == {"execute": True}


def test_a_natural_primary_key_is_described_and_aliased_as_id(api):
    countries = api.get("/api/geo/countries/_meta").json()
    fields = fields_of(countries)
    assert countries["primary_key"] == "code"
    assert fields["id"]["read_only"] is True and fields["id"]["type"] == "string"
    assert fields["code"]["primary_key"] is True and fields["code"]["required"] is True


def test_post_meta_evaluates_object_policies_for_the_item(api):
    owner, other = User.objects.create_user("owner"), User.objects.create_user("other")
    project = Project.objects.create(name="P", owner=owner)
    api.force_authenticate(other)
    collection = api.get("/api/secure/projects/_meta").json()
    assert collection["rights"]["destroy"] is True  # has_permission only: any signed-in user
    for_the_row = api.post("/api/secure/projects/_meta", {"id": project.pk}, format="json")
    assert for_the_row.status_code == 200
    assert for_the_row.json()["rights"]["destroy"] is False  # owner_only("owner") on this row
    mine = api.post("/api/secure/projects/_meta", {"owner": other.pk, "name": "mine"}, format="json").json()
    assert mine["rights"]["destroy"] is True
    api.force_authenticate(owner)
    assert api.post("/api/secure/projects/_meta/", {"id": project.pk}, format="json").json()["rights"]["destroy"]


def test_post_meta_calls_field_rules_with_the_item(api, settings):
    from cruddy_django import site
    from tests.secureapp.models import Employee

    resource = site.get_resource(Employee)
    seen = []

    def read_rule(request, obj):
        seen.append(obj)
        return obj is not None and obj.name == "me"

    with override_resource(resource.model, field_rules={"salary": {"read": read_rule}}):
        assert "salary" not in fields_of(api.post("/api/secure/employees/_meta", {"name": "you"},
                                                  format="json").json())
        assert "salary" in fields_of(api.post("/api/secure/employees/_meta", {"name": "me"}, format="json").json())
    assert any(getattr(obj, "name", None) == "me" for obj in seen)


@pytest.mark.parametrize("body", [{"nope": 1}, {"salary": 1}, [1, 2]])
def test_post_meta_refuses_unknown_or_hidden_fields_and_non_objects(api, body):
    response = api.post("/api/secure/employees/_meta", body, format="json")
    assert response.status_code == 400


def test_post_meta_ignores_values_that_do_not_convert(api):
    response = api.post("/api/library/books/_meta", {"pages": "many", "published": "soon"}, format="json")
    assert response.status_code == 200


def test_meta_is_a_collection_action_never_a_pk(api):
    assert api.get("/api/library/books/_meta").json()["name"] == "books"
    assert api.get("/api/library/books/_check").status_code == 405


def test_meta_costs_no_query_for_an_anonymous_visitor(api, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert api.get("/api/_meta").status_code == 200
    with django_assert_num_queries(0):
        assert api.get("/api/staff/crews/_meta").status_code == 200


def test_the_per_user_view_leaves_the_shared_description_untouched(api, staff):
    from cruddy_django import site
    from cruddy_django.meta import describe_resource
    from tests.secureapp.models import Employee

    description = describe_resource(site.get_resource(Employee))
    before = repr(description)
    api.get("/api/secure/employees/_meta")
    api.force_authenticate(staff)
    api.post("/api/secure/employees/_meta", {"name": "x"}, format="json")
    assert repr(description) == before
    assert "rights" not in description and "salary" in {field["name"] for field in description["fields"]}
