"""
moto_server's start-up hook. Python imports `sitecustomize` from its path at start-up, and local/motoServer.ts puts
this directory there for every moto it starts (nothing else does). It loads what makes moto answer as AWS
documents: always the secret-version rule of secret_versions.py, and in IAM mode the request context of
iam_context.py. Each module prints a line once it is in place, which local/motoServer.ts waits for.
"""
import os

import secret_versions  # noqa: F401

# The name is local/motoServer.ts's MOTO_IAM_ENV.
if os.environ.get("APIKEYS_MOTO_IAM") == "1":
    import iam_context  # noqa: F401
