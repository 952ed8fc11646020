from django.urls import path

from safeguarding import views

app_name = "safeguarding"
urlpatterns = [path("", views.home, name="home")]
