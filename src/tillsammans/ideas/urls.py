from tillsammans.ideas import views

app_name = "ideas"

urlpatterns: list = views.urlpatterns
