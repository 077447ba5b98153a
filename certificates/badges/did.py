"""did:web identifiers (W3C CCG did:web method): ``https://host[:port]/a/b/did.json`` is the
document of ``did:web:host[%3Aport]:a:b``."""

from urllib.parse import quote, urlsplit


def did_web(document_url: str) -> str:
    parts = urlsplit(document_url)
    path = parts.path
    if not path.endswith("/did.json"):
        raise ValueError("A did:web document's path ends in /did.json.")
    segments = [segment for segment in path[: -len("/did.json")].split("/") if segment]
    host = quote(parts.netloc, safe="")  # a port's colon becomes %3A
    return ":".join(["did:web", host, *segments])


def document(did: str, *, jwks: list[dict]) -> dict:
    """The DID document publishing the issuer's verification keys: the current one and the
    earlier ones not retired, each a method of its own named by the key's ``kid``."""
    methods = [
        {
            "id": f"{did}#{jwk['kid']}",
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": jwk,
        }
        for jwk in jwks
    ]
    return {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
