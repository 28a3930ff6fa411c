"""Settings for bench/signup_surge.py only: the product's settings with a URLconf
that adds the floor view. Never used by the product."""

from tillsammans.settings import *  # noqa: F403

ROOT_URLCONF = "bench.signup_urls"

# The surge comes from one address; the per-address hourly limit on sign-ups
# would stop it after a few requests.
VOLUNTEERING_SIGNUP_RATE = 10**9
