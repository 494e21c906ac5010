"""The local network's endpoints, included under /api/v1/ by api.urls."""

from rest_framework.routers import SimpleRouter

from api.resources.views import activities, matching, partners, people

router = SimpleRouter(use_regex_path=False)
router.register("households", people.HouseholdViewSet, basename="household")
router.register("people", people.PersonViewSet, basename="person")
router.register("partners", partners.PartnerViewSet, basename="partner")
router.register("activities", activities.ActivityViewSet, basename="activity")
router.register("sessions", activities.SessionViewSet, basename="session")
router.register("registrations", activities.RegistrationViewSet, basename="registration")
router.register("attendance", activities.AttendanceViewSet, basename="attendance")
router.register("projects", activities.ProjectViewSet, basename="project")
router.register("match-requests", matching.MatchRequestViewSet, basename="match-request")
router.register("matches", matching.MatchViewSet, basename="match")
router.register("pathways", matching.PathwayViewSet, basename="pathway")
router.register("district-neighbours", matching.DistrictNeighbourViewSet, basename="district-neighbour")

urlpatterns = router.urls
