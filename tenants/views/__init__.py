"""Views of onboarding: ``public`` on the platform's host, ``welcome`` and ``board`` on tenants' hosts."""
