"""The local network's REST API: households, people, activities, sessions and the rest under /api/v1/.

Views read through the same selectors as the pages (so the protected-identity rule and the volunteers'
view hold here too) and write through the same services.
"""
