"""The Django project package.

It is called ``ivplatform`` and not ``platform`` (as the design card has it): a top-level package named
``platform`` shadows Python's own ``platform`` module, which ``uuid``, stripe and others import.
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
