"""``python -m local invoke``: one Lambda invocation in a fresh process, as ``sam local invoke`` does without Docker.

Kept free of imports: the local gateway imports :mod:`local.invoke.bootstrap` (the Lambda context) from here.
"""
