"""What the API accepts for its writes: the request bodies, checked for shape only, turned into the
services' own input (``PersonInput``, ``ActivityData``, …). The rules of the work stay in the services.

Every body the schema allows must reach the service: a check here that the OpenAPI contract does not
describe would answer 400 to a request the contract calls valid. So text is taken as typed (the services
trim it and refuse what is empty), NUL characters are dropped (PostgreSQL cannot store them and no field
needs one), and dates carry their year range in the contract as a pattern.

A PATCH changes only the fields it names: ``*_input(current)`` starts from the record as it is.

One module per domain area, as ``api.resources.views``; ``fields`` holds the field types they share.
"""
