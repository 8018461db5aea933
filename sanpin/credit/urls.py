"""Credit pages: staff credit files and the rulebook, the entity's own credit, bank reports."""

from django.urls import path

from . import views_bank, views_mine, views_staff

app_name = "credit"
urlpatterns = [
    path("", views_staff.StandingListView.as_view(), name="list"),
    path("entities/<int:pk>/", views_staff.CreditFileView.as_view(), name="file"),
    path("entities/<int:pk>/events/new/", views_staff.CreditEventCreateView.as_view(), name="event_create"),
    path("rulebook/", views_staff.RulebookView.as_view(), name="rulebook"),
    path("rulebook/new/", views_staff.RulebookPublishView.as_view(), name="rulebook_publish"),
    path("mine/", views_mine.MyCreditView.as_view(), name="mine"),
    path("mine/consents/<int:pk>/withdraw/", views_mine.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("bank/", views_bank.BankHomeView.as_view(), name="bank"),
    path("bank/reports/<int:entity_id>/", views_bank.BankReportView.as_view(), name="bank_report"),
    path("bank/reports/<int:entity_id>/pdf/", views_bank.BankReportPdfView.as_view(), name="bank_report_pdf"),
]
