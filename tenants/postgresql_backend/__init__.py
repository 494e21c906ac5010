"""django-tenants' PostgreSQL backend with introspection that does not read the whole catalog.

Set as ``ENGINE`` by ``ivplatform.database``; everything else is django-tenants' own backend.
"""
