"""Open Badges 3.0 credentials of certificates: VC-JWT signed with the agency's Ed25519 key
(docs/decisions/0004-badges-open-badges-as-vc-jwt.md), a did:web issuer document and a Bitstring
Status List."""
