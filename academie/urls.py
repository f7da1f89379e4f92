app_name = "academie"
urlpatterns: list = []
