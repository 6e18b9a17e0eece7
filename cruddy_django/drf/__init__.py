"""DRF classes generated for a resource and the pieces they are made of: serializers and their fields, bulk
validation, filtersets, pagination, the JSON renderer, route parameters and the GET body.

    from cruddy_django.drf.serializers import serializer_class_for
    serializer_class_for(site.get_resource("Rocket"))   # RocketSerializer, cached on the site
"""
