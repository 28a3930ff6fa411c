from tillsammans.grants.views import (
    agreements,
    applications,
    assessment,
    awards,
    decisions,
    follow_up,
    programmes,
    transparency,
)

app_name = "grants"

urlpatterns: list = [
    *programmes.urlpatterns,
    *applications.urlpatterns,
    *assessment.urlpatterns,
    *decisions.urlpatterns,
    *transparency.urlpatterns,
    *awards.urlpatterns,
    *follow_up.urlpatterns,
    *agreements.urlpatterns,
]
