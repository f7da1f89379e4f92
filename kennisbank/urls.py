app_name = "kennisbank"
urlpatterns: list = []
