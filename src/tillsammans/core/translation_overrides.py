"""django-allauth strings whose Swedish we correct in our own catalogue.

Our catalogue (LOCALE_PATHS) wins over allauth's. Listing the msgids here
keeps them in django.po when `make messages` runs; nothing imports this.
"""

from django.utils.translation import gettext_noop

ALLAUTH_SWEDISH_FIXES = [
    # allauth says "Epost"; Swedish writes "e-post".
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Email Addresses"),
    # allauth's Swedish turns this sentence upside down ("already have an account? sign in").
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("The email address and/or password you specified are not correct."),
]
