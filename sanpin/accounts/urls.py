from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("home/", views.HomeView.as_view(), name="home"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/setup/", views.OTPSetupView.as_view(), name="otp_setup"),
    path("otp/verify/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("otp/disable/", views.OTPDisableView.as_view(), name="otp_disable"),
]
