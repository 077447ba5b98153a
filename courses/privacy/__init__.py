"""Personal data under Vietnam's Law on Personal Data Protection (README "Personal data").

``registry``: what each app holds; ``services``: export, erasure, restriction, consent and
requests across all apps; ``archive``: the delegate's ZIP; ``retention``: periods applied by
``manage.py apply_retention``; ``access_log``: who looked at whose data.
"""
