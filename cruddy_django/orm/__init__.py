"""The ORM layer: a parsed query tree compiled to a Django ``Q`` for one request, values converted with the
fields' own ``to_python``, computed expressions, and look-ups by many keys in chunks.

    from cruddy_django.orm.compiler import QueryCompiler
    QueryCompiler(access).compile(parse_where('{"crew.name": "Alpha"}'))   # -> Q(...)
"""
