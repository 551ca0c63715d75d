"""
A secret version never changes, as AWS documents for PutSecretValue, CreateSecret and UpdateSecret: a
ClientRequestToken that names an existing version is accepted only with that version's own secret data, and refused
with ResourceExistsException otherwise.

moto 5.2 makes an exception for a version labelled AWSPENDING (its RotateSecret makes one as a placeholder for the
rotation Lambda to fill in) and lets the request replace its value. Two createSecret steps of one rotation that race
each other then both succeed, the second replacing the value the first had already handed on to setSecret and
finishSecret; the rotation steps rely on the refusal AWS gives (lambdas/operations/rotationSteps.ts). A version
that holds no secret data yet, which only moto makes, may still be filled.
"""
from moto.secretsmanager.exceptions import ResourceExistsException
from moto.secretsmanager.models import SecretsManagerBackend

_check_existing = SecretsManagerBackend._check_with_existing_secrets_and_versions


def _refuse_changed_version(self, secret_name, client_request_token, secret_string, secret_binary, on_create=False):
    secret = self.secrets.get(secret_name)
    versions = getattr(secret, "versions", None) or {}
    version = versions.get(client_request_token) if client_request_token else None
    held = (version or {}).get("secret_string"), (version or {}).get("secret_binary")
    if held != (None, None) and held != (secret_string, secret_binary):
        raise ResourceExistsException(
            f"You can't use ClientRequestToken {client_request_token} because that value is already in use for a"
            f" version of secret {secret.arn}."
        )
    return _check_existing(self, secret_name, client_request_token, secret_string, secret_binary, on_create)


SecretsManagerBackend._check_with_existing_secrets_and_versions = _refuse_changed_version
# local/motoServer.ts waits for this line, so no local stack runs without the rule.
print("apikeys: moto secret-version rule installed", flush=True)
