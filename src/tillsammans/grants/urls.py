from tillsammans.grants.views import applications, assessment, decisions, programmes

app_name = "grants"

urlpatterns: list = [
    *programmes.urlpatterns,
    *applications.urlpatterns,
    *assessment.urlpatterns,
    *decisions.urlpatterns,
]
