"""Every write of volunteer coordination, one module per subject.

Import from the module: ``from tillsammans.volunteering.services.volunteers
import volunteer_sign_up``.
"""
