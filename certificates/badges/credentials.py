"""Open Badges 3.0 ``OpenBadgeCredential``s, secured as VC-JWT (OB 3.0 §8.2: the credential's
members are the JWT's claims, with ``iss``, ``jti``, ``nbf`` and ``exp`` beside them).

``build_credential`` is pure: it turns the facts a certificate snapshotted into the credential.
The identity of the holder is what the certificate prints (their name) and a salted hash of
their email address: nothing else about them leaves the LMS.
"""

import hashlib
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from joserfc import jwt
from joserfc.jwk import OKPKey

from certificates.badges import keys

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
ALGORITHM = "EdDSA"


@dataclass(frozen=True, slots=True)
class CredentialFacts:
    credential_url: str  # the public credential page: the credential's id
    issuer_did: str
    issuer_name: str
    issuer_url: str
    achievement_url: str  # the course page: one achievement, whichever year it was earned
    achievement_name: str
    achievement_description: str
    criteria: str
    holder_name: str
    holder_email: str
    email_salt: str
    issued_at: datetime
    valid_until: date | None
    time_zone: str
    status_list_url: str
    status_index: int


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def end_of_day(day: date, time_zone: str) -> datetime:
    """The last second of ``day`` where the agency is: a certificate valid until 31 May is
    valid all of that day in Viet Nam."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(time_zone))


def identifiers(facts: CredentialFacts) -> list[dict]:
    found = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": facts.holder_name,
        }
    ]
    if facts.holder_email:
        digest = hashlib.sha256(
            (facts.holder_email.strip().lower() + facts.email_salt).encode()
        ).hexdigest()
        found.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": f"sha256${digest}",
                "salt": facts.email_salt,
            }
        )
    return found


def build_credential(facts: CredentialFacts) -> dict:
    credential = {
        "@context": list(CONTEXTS),
        "id": facts.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.achievement_name,
        "issuer": {
            "id": facts.issuer_did,
            "type": ["Profile"],
            "name": facts.issuer_name,
            "url": facts.issuer_url,
        },
        "validFrom": _timestamp(facts.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers(facts),
            "achievement": {
                "id": facts.achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": facts.achievement_name,
                "description": facts.achievement_description,
                "criteria": {"narrative": facts.criteria},
            },
        },
        "credentialStatus": {
            "id": f"{facts.status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(facts.status_index),
            "statusListCredential": facts.status_list_url,
        },
        "credentialSchema": [dict(SCHEMA)],
    }
    if facts.valid_until is not None:
        credential["validUntil"] = _timestamp(end_of_day(facts.valid_until, facts.time_zone))
    return credential


def build_status_list_credential(
    *, url: str, issuer_did: str, encoded_list: str, now: datetime
) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": _timestamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def jwt_claims(credential: dict) -> dict:
    """The credential with the registered claims OB 3.0 maps its members to."""
    issuer = credential["issuer"]
    claims = {
        **credential,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": int(datetime.fromisoformat(credential["validFrom"]).timestamp()),
    }
    if "validUntil" in credential:
        claims["exp"] = int(datetime.fromisoformat(credential["validUntil"]).timestamp())
    subject_id = credential["credentialSubject"].get("id")
    if subject_id:
        claims["sub"] = subject_id
    return claims


def sign(credential: dict, *, key: OKPKey, issuer_did: str) -> str:
    """The compact JWS of the credential, naming the did:web key that verifies it."""
    header = {"alg": ALGORITHM, "typ": "JWT", "kid": f"{issuer_did}#{keys.key_id(key)}"}
    with warnings.catch_warnings():
        # RFC 9864 prefers "Ed25519" to "EdDSA"; OB 3.0 verifiers and wallets know "EdDSA".
        warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=Warning)
        return jwt.encode(header, jwt_claims(credential), key, algorithms=[ALGORITHM])
