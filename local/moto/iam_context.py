"""
Resource-level IAM for moto_server, loaded by sitecustomize.py when the local stack runs moto in IAM mode.

moto evaluates every request against the caller's IAM policies once INITIAL_NO_AUTH_ACTION_COUNT requests have
passed, but for DynamoDB, Secrets Manager and Lambda (5.2) it asks about resource "*" only: a statement scoped to
a table or to `secret:apikeys/*` never matches, and an action is granted only by `Resource: "*"`. It also checks
`dynamodb:TransactWriteItems`, an action IAM does not have. This file gives moto's own evaluator the request
context AWS documents: the ARN each call acts on, and for a transaction the action of each item on its table. The
policies are evaluated by moto (moto.iam.access_control); only the question asked is ours.

Refusals of JSON-protocol services are answered as AWS answers them, `AccessDeniedException` in JSON naming the
action and the resource, instead of moto's XML, which the SDK's JSON protocols cannot parse.
"""
import json

from moto import settings
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import JsonRESTError
from moto.iam.access_control import IAMRequest

DENIAL_MARK = "apikeys: denied "

# Services whose protocols read errors as JSON documents.
_JSON_SERVICES = {"dynamodb", "secretsmanager", "lambda", "kms"}

# DynamoDB transaction items and the IAM action AWS checks for each.
_TRANSACT_WRITE_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem"}


class _AuthError(JsonRESTError):
    code = 403


def _credential_scope(headers):
    authorization = headers.get("Authorization") or ""
    scope = authorization.partition("Credential=")[2].partition(",")[0].split("/")
    return scope if len(scope) >= 4 else None


class _ResourceIAMRequest(IAMRequest):
    """moto's IAMRequest, remembering the resource it is asked about so that a refusal can name it."""

    _resource = "*"

    def check_action_permitted(self, resource):
        self._resource = resource
        super().check_action_permitted(resource)

    def _raise_access_denied(self):
        # local/motoServer.ts collects these lines: a refusal the code under test swallows is still seen.
        denial = {"principal": self._access_key.arn, "action": self._action, "resource": self._resource}
        print(f"{DENIAL_MARK}{json.dumps(denial)}", flush=True)
        if self._service not in _JSON_SERVICES:
            return super()._raise_access_denied()
        raise _AuthError(
            "AccessDeniedException",
            f"User: {self._access_key.arn} is not authorized to perform: {self._action} on resource: {self._resource}"
            f" because no identity-based policy allows the {self._action} action",
        )

    def _raise_signature_does_not_match(self):
        if self._service not in _JSON_SERVICES:
            return super()._raise_signature_does_not_match()
        raise _AuthError("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.")

    def _raise_invalid_access_key(self, reason):
        if self._service not in _JSON_SERVICES:
            return super()._raise_invalid_access_key(reason)
        raise _AuthError("UnrecognizedClientException", "The security token included in the request is invalid.")


def _json_body(handler):
    try:
        body = handler.raw_body
        return json.loads(body.decode("utf-8") if isinstance(body, bytes) else body or "{}")
    except (ValueError, UnicodeDecodeError):
        return {}


def _dynamodb_checks(handler, operation, region, account):
    body = _json_body(handler)

    def table(name, index=None):
        arn = f"arn:aws:dynamodb:{region}:{account}:table/{name}"
        return f"{arn}/index/{index}" if index else arn

    if operation == "TransactWriteItems":
        checks = []
        for item in body.get("TransactItems", []):
            for kind, action in _TRANSACT_WRITE_ACTIONS.items():
                if kind in item:
                    checks.append((action, table(item[kind]["TableName"])))
        return checks
    if operation == "TransactGetItems":
        return [("GetItem", table(item["Get"]["TableName"])) for item in body.get("TransactItems", []) if "Get" in item]
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [(operation, table(name)) for name in body.get("RequestItems", {})]
    if "TableName" in body:
        return [(operation, table(body["TableName"], body.get("IndexName")))]
    return [(operation, "*")]


def _secretsmanager_checks(handler, operation, region, account):
    from moto.secretsmanager.models import secretsmanager_backends

    body = _json_body(handler)
    secret_id = body.get("SecretId") or body.get("Name")
    if not secret_id:
        return [(operation, "*")]
    secret = secretsmanager_backends[account][region].secrets.get(secret_id)
    if secret is not None:
        arn = secret.arn
    elif secret_id.startswith("arn:"):
        arn = secret_id
    else:
        arn = f"arn:aws:secretsmanager:{region}:{account}:secret:{secret_id}"
    checks = [(operation, arn)]
    # AWS checks TagResource too when CreateSecret carries tags.
    if operation == "CreateSecret" and body.get("Tags"):
        checks.append(("TagResource", arn))
    return checks


def _lambda_checks(handler, operation, region, account):
    if operation != "Invoke":
        return None
    identifier = handler.path.rstrip("/").rsplit("/", 2)[-2]
    from urllib.parse import unquote

    identifier = unquote(identifier)
    arn = identifier if identifier.startswith("arn:") else f"arn:aws:lambda:{region}:{account}:function:{identifier}"
    return [("InvokeFunction", arn)]


_CHECKS = {"dynamodb": _dynamodb_checks, "secretsmanager": _secretsmanager_checks, "lambda": _lambda_checks}


def _authorize(self, resource="*"):
    if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        ActionAuthenticatorMixin.request_count += 1
        return
    if self.headers.get("X-Amz-Target") in ActionAuthenticatorMixin.PUBLIC_OPERATIONS:
        return
    scope = _credential_scope(self.headers)
    checks_of = _CHECKS.get(scope[3]) if scope else None
    checks = checks_of(self, self._get_action(), scope[2], self.current_account) if checks_of else None
    # Other services: moto's own question (its resource, often "*").
    checks = checks or [(self._get_action(), resource)]
    path = self.parsed_url.path + (f"?{self.parsed_url.query}" if self.parsed_url.query else "")
    for index, (action, arn) in enumerate(checks):
        request = _ResourceIAMRequest(
            account_id=self.current_account,
            method=self.method,
            path=path,
            data=self.data,
            body=self.raw_body,
            headers=self.headers,
            action=action,
        )
        if index == 0:
            request.check_signature()
        request.check_action_permitted(arn)


ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authorize
# local/motoServer.ts waits for this line, so IAM mode never runs without the request context.
print("apikeys: moto IAM request context installed", flush=True)
