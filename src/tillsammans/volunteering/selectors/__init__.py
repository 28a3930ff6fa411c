"""Every non-trivial read of volunteer coordination, one module per subject.

Import from the module: ``from tillsammans.volunteering.selectors.capacity
import volunteer_free_capacity``.
"""
