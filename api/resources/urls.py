"""The local network's endpoints, included under /api/v1/ by api.urls."""

from rest_framework.routers import SimpleRouter

from api.resources import views

router = SimpleRouter(use_regex_path=False)
router.register("households", views.HouseholdViewSet, basename="household")
router.register("people", views.PersonViewSet, basename="person")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("match-requests", views.MatchRequestViewSet, basename="match-request")
router.register("matches", views.MatchViewSet, basename="match")
router.register("pathways", views.PathwayViewSet, basename="pathway")
router.register("district-neighbours", views.DistrictNeighbourViewSet, basename="district-neighbour")

urlpatterns = router.urls
